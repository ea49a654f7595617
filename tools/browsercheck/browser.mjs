// Drive Neo4j Browser in headless Chromium the way an analyst does: connect, run the query file's
// `// :param NAME => VALUE` example lines as `:param` commands, paste the whole file and run it,
// then check that the result shows the expected names, and save a screenshot.
//
//   NEO4J_HTTP_URI=http://127.0.0.1:7474 NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... \
//     node tools/browsercheck/browser.mjs SHOT.png [--query queries/members.cypher] [--expect NAME]...
//
// Uses the system Chromium (CHROMIUM, default /usr/bin/chromium; Debian: apt-get install chromium),
// never a downloaded build, with a fresh profile; requests that leave the server's host are refused.
// Exit status: 0 the result shows every expected name, 1 it does not (or the Browser failed),
// 2 usage or set-up error. A screenshot is saved in every case once the page has opened.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const DEFAULT_QUERY = join(REPO, 'queries', 'members.cypher');
// Members of the Popular Mobilization Units in data/ (the example of members.cypher).
const DEFAULT_EXPECT = ['Kataib Hezbollah', 'Asaib Ahl al-Haq', 'Harakat Hezbollah al-Nujaba'];
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const STEP_TIMEOUT = 30_000;
const QUERY_TIMEOUT = 60_000;

class UsageError extends Error {}

function fail(status, message) {
  process.stderr.write(`browsercheck: ${message}\n`);
  process.exit(status);
}

/** (NAME, VALUE) of the `// :param NAME => VALUE` lines after `// example:` in the file's header. */
export function exampleParams(text) {
  const found = [];
  let inExample = false;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim().startsWith('//')) break;
    if (/^\s*\/\/\s*example:/.test(line)) inExample = true;
    const param = /^\s*\/\/\s*:param\s+(\w+)\s*=>\s*(.+?)\s*;?\s*$/.exec(line);
    if (inExample && param) found.push([param[1], param[2]]);
  }
  return found;
}

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      query: { type: 'string', default: DEFAULT_QUERY },
      expect: { type: 'string', multiple: true },
    },
  });
  if (positionals.length !== 1) throw new UsageError('usage: browser.mjs SHOT.png [--query FILE] [--expect NAME]...');
  const env = process.env;
  for (const name of ['NEO4J_HTTP_URI', 'NEO4J_URI', 'NEO4J_PASSWORD']) {
    if (!env[name]) throw new UsageError(`${name} is not set`);
  }
  const chromium = env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new UsageError(`no Chromium at ${chromium}: install it (Debian: apt-get install -y chromium) or set CHROMIUM`);
  }
  const bolt = new URL(env.NEO4J_URI);
  return {
    shot: resolve(positionals[0]),
    queryFile: resolve(values.query),
    expect: values.expect ?? DEFAULT_EXPECT,
    http: env.NEO4J_HTTP_URI.replace(/\/+$/, ''),
    // The Browser's connect form takes scheme://user@host:port; the password goes into the form.
    connectURL: `${bolt.protocol}//${encodeURIComponent(env.NEO4J_USERNAME || 'neo4j')}@${bolt.host}`,
    password: env.NEO4J_PASSWORD,
    chromium,
  };
}

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch {
    throw new UsageError(`playwright-core is not installed: run \`npm ci --prefix ${HERE}\``);
  }
}

/** Type one command into the main editor, run it with Ctrl+Enter and return its (new, topmost) frame. */
async function run(page, command) {
  const frames = page.locator('[data-testid=stream] [data-testid=frame]');
  const before = await frames.count();
  await page.locator('[data-testid=activeEditor] .monaco-editor').first().click();
  await page.keyboard.insertText(command); // one input event, as a paste: no auto-closed brackets
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(
    ([selector, count]) => document.querySelectorAll(selector).length > count,
    ['[data-testid=stream] [data-testid=frame]', before],
    { timeout: STEP_TIMEOUT },
  );
  return frames.first();
}

/** What a frame shows below its command line (all of it if it has no contents yet), on one line. */
async function frameText(frame) {
  const contents = frame.locator('[data-testid=frameContents]');
  const shown = (await contents.count()) ? contents.first() : frame;
  return (await shown.innerText()).replace(/\s+/g, ' ').trim().slice(0, 600);
}

async function check(page, config, log) {
  await page.goto(`${config.http}/browser/?connectURL=${encodeURIComponent(config.connectURL)}`);
  await page.locator('[data-testid=password]').fill(config.password, { timeout: STEP_TIMEOUT });
  await page.locator('[data-testid=connect]').click();
  try {
    await page.getByText('You are connected as user').waitFor({ timeout: STEP_TIMEOUT });
  } catch {
    const shown = await frameText(page.locator('[data-testid=stream] [data-testid=frame]').first());
    throw new Error(`the Browser did not connect to ${config.connectURL}; it shows: ${shown}`);
  }
  log(`connected to ${config.connectURL}`);

  const text = readFileSync(config.queryFile, 'utf8');
  for (const [name, value] of exampleParams(text)) {
    const frame = await run(page, `:param ${name} => ${value}`);
    const done = frame.getByText(/Successfully set your parameters|error/i).first();
    await done.waitFor({ timeout: STEP_TIMEOUT });
    if (!/Successfully set/i.test(await done.innerText())) {
      throw new Error(`:param ${name} => ${value} failed: ${await frameText(frame)}`);
    }
    log(`:param ${name} => ${value}`);
  }

  const frame = await run(page, text);
  const error = frame.locator('[data-testid=cypherFrameErrorMessage]');
  const rows = frame.locator('[data-testid=frameStatusbar]').getByText(/record/i);
  await Promise.race([error.waitFor({ timeout: QUERY_TIMEOUT }), rows.waitFor({ timeout: QUERY_TIMEOUT })]);
  if (await error.count()) throw new Error(`the query failed in the Browser: ${await frameText(frame)}`);
  const shown = await frame.locator('[data-testid=frameContents]').innerText();
  const missing = config.expect.filter((name) => !shown.includes(name));
  if (missing.length) {
    throw new Error(`the result lacks ${missing.join(', ')}; the frame shows: ${await frameText(frame)}`);
  }
  log(`${await rows.first().innerText()}; shows ${config.expect.join(', ')}`);
}

async function main() {
  let config;
  let playwright;
  try {
    config = options();
    playwright = await loadPlaywright();
  } catch (exc) {
    fail(exc instanceof UsageError ? 2 : 1, exc.message);
  }
  const log = (message) => process.stdout.write(`browsercheck: ${message}\n`);
  const profile = mkdtempSync(join(tmpdir(), 'agkg-browsercheck-'));
  const allowed = new URL(config.http).host;
  let context;
  try {
    context = await playwright.chromium.launchPersistentContext(profile, {
      executablePath: config.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    // The Browser asks for web fonts, analytics and a feedback widget: no network beyond the server.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      return url.host === allowed || url.protocol === 'data:' ? route.continue() : route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      await check(page, config, log);
    } finally {
      await page.screenshot({ path: config.shot }).catch(() => {});
    }
    log(`screenshot ${config.shot}`);
  } catch (exc) {
    const where = existsSync(config.shot) ? ` (screenshot ${config.shot})` : '';
    process.stderr.write(`browsercheck: ${exc.message.split('\n')[0]}${where}\n`);
    process.exitCode = 1;
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
