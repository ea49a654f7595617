#!/usr/bin/env node
// Lint Cypher texts with Neo4j's own parser and semantic checker
// (@neo4j-cypher/language-support, no server needed).
//
// stdin:  [{"name": str, "text": str, "params": [str, ...]}, ...]
// stdout: [{"name": str, "errors": [Diag], "warnings": [Diag]}, ...]
//         Diag = {"message": str, "line": int, "column": int, "severity": "error"|"warning"}
//         line and column are 1-based; one output entry per input, same order.
// exit:   0 when every input was linted (even if it has lint errors);
//         2 with a message on stderr when the input could not be processed.
//
// Options:
//   --no-catalog   do not declare Neo4j's procedure/function catalogue; then
//                  unknown procedures/functions are not reported at all.
//   --cypher=5|25  dialect for texts without a "CYPHER n" prefix (default 5,
//                  i.e. Neo4j 5).
//
// Besides the package's own diagnostics, two errors are added here because a
// Neo4j server rejects them while the package does not: an empty text, and a
// text holding more than one statement (a driver runs one statement per call).
// Their messages start with "cypherlint:".
import { lintCypherQuery, parseStatementsStrs, testData } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function fail(message) {
  process.stderr.write(`cypherlint: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { catalog: true, cypher: 'CYPHER 5' };
  for (const arg of argv) {
    if (arg === '--no-catalog') opts.catalog = false;
    else if (arg === '--cypher=5') opts.cypher = 'CYPHER 5';
    else if (arg === '--cypher=25') opts.cypher = 'CYPHER 25';
    else fail(`unknown argument: ${arg}`);
  }
  return opts;
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function validate(items) {
  if (!Array.isArray(items)) fail('input must be a JSON array');
  items.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      fail(`item ${i}: expected an object`);
    }
    if (typeof item.name !== 'string') fail(`item ${i}: "name" must be a string`);
    if (typeof item.text !== 'string') fail(`item ${i} (${item.name}): "text" must be a string`);
    const params = item.params ?? [];
    if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) {
      fail(`item ${i} (${item.name}): "params" must be an array of strings`);
    }
  });
}

// Neo4j's built-in procedures and functions (a dump of a real Neo4j 5 DBMS
// with APOC and GDS, shipped by the package). Declaring them makes the linter
// report unknown procedure/function names and check call signatures.
function catalogue() {
  const mock = testData?.mockSchema;
  if (!mock?.procedures || !mock?.functions) {
    fail('this version of @neo4j-cypher/language-support ships no procedure catalogue; use --no-catalog');
  }
  return { procedures: mock.procedures, functions: mock.functions };
}

function lintOne(text, schema) {
  // next.2x returns an array; later versions return {diagnostics, symbolTables}.
  const result = lintCypherQuery(text, schema, { consoleCommandsEnabled: false });
  return Array.isArray(result) ? result : result.diagnostics;
}

// 0-based {line, character} of a string offset.
function positionAt(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1).length };
}

// Errors a Neo4j server raises that the package does not report.
function extraDiagnostics(text) {
  if (text.trim() === '') {
    return [{ severity: 1, message: 'cypherlint: empty query', range: { start: { line: 0, character: 0 } } }];
  }
  const statements = parseStatementsStrs(text);
  let offset = 0;
  const starts = [];
  for (const stmt of statements) {
    // A lone ";" is reported by the parser itself.
    if (stmt.replace(/;\s*$/, '').trim() !== '') {
      starts.push(offset + (stmt.length - stmt.trimStart().length));
    }
    offset += stmt.length;
  }
  if (starts.length <= 1) return [];
  return [{
    severity: 1,
    message: `cypherlint: ${starts.length} statements in one text; Neo4j runs exactly one statement per query`,
    range: { start: positionAt(text, starts[1]) },
  }];
}

// The package swallows exceptions from its semantic analyser and then reports
// nothing, so make sure it works in this Node before trusting a clean result.
function selfCheck(base) {
  const diags = lintOne('MATCH (n) RETURN m', { ...base, parameters: {} });
  if (!diags.some((d) => d.severity === 1 && /Variable `m` not defined/.test(d.message))) {
    fail(`semantic analysis is not working under Node ${process.version} (self-check found no error in 'MATCH (n) RETURN m')`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let items;
  try {
    items = JSON.parse(await readStdin());
  } catch (e) {
    fail(`cannot parse stdin as JSON: ${e.message}`);
  }
  validate(items);
  const base = { defaultLanguage: opts.cypher, ...(opts.catalog ? catalogue() : {}) };
  selfCheck(base);

  const out = items.map((item) => {
    // Any non-undefined value declares the parameter.
    const parameters = Object.fromEntries((item.params ?? []).map((p) => [p, null]));
    let diagnostics;
    try {
      diagnostics = lintOne(item.text, { ...base, parameters }).concat(extraDiagnostics(item.text));
    } catch (e) {
      fail(`linter crashed on ${JSON.stringify(item.name)}: ${e?.stack ?? e}`);
    }
    const errors = [];
    const warnings = [];
    for (const d of diagnostics) {
      // Positions are 0-based in the package (negative when unknown); 1-based here.
      const diag = {
        message: d.message,
        line: Math.max(d.range.start.line, 0) + 1,
        column: Math.max(d.range.start.character, 0) + 1,
        severity: SEVERITY[d.severity] ?? 'warning',
      };
      (d.severity === 1 ? errors : warnings).push(diag);
    }
    const byPosition = (a, b) => a.line - b.line || a.column - b.column;
    return { name: item.name, errors: errors.sort(byPosition), warnings: warnings.sort(byPosition) };
  });
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => fail(e?.stack ?? String(e)));
