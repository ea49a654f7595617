"""Resolve validated files against the store's entities and each other, producing Documents.

The name index is built the way a fresh load would see it: the store's
declarations minus those of the documents being replaced, plus the new files'
declarations, in file order. A file that fails is dropped and the rest are
resolved again without it, because its entities are then not loaded either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from agkg.errors import Problem
from agkg.graph.schema import Schema, load_schema
from agkg.loaders.dates import parse_partial_date
from agkg.loaders.model import FactFile
from agkg.loaders.names import NameIndex, Unresolved, a, closest, slugify
from agkg.loaders.parse import ParsedFile
from agkg.loaders.records import Claim, Document, EdgeKey, EntityRecord, stable_hash


@dataclass
class Candidate:
    parsed: ParsedFile
    facts: FactFile
    doc_id: str


PUBLISHER_SLUG_MAX = 24


def document_id(parsed: ParsedFile, facts: FactFile) -> str:
    """The source's `id`, else a short, stable one: publisher slug, publication date and a 6-character hash
    of the URL (else the title), e.g. `al-mayadeen-english-2024-01-30-5c1e2a`; a file without a source
    (a gazetteer) is named by its file name."""
    source = facts.source
    if source is None:
        return slugify(parsed.path.stem)
    if source.id:
        return source.id
    publisher = slugify(source.publisher)[:PUBLISHER_SLUG_MAX].rstrip("-_") or "source"
    return f"{publisher}-{source.published}-{stable_hash(source.url or source.title, length=6)}"


def resolve(
    candidates: list[Candidate], store_records: Iterable[EntityRecord]
) -> tuple[list[Document], dict[str, list[Problem]]]:
    """Documents for the files that resolve; problems by file for those that do not."""
    schema = load_schema()
    stored = list(store_records)
    failed: dict[str, list[Problem]] = {}
    live = list(candidates)
    while True:
        replacing = {c.doc_id for c in live}
        index = NameIndex()
        for record in stored:
            if record.doc not in replacing:
                index.add(record.entity_id, record.kind, record.name, [record.name, *record.aliases])
        documents: list[Document] = []
        new_failures: dict[str, list[Problem]] = {}
        records_by_file = []
        for cand in live:
            records, problems = _declare(cand, index)
            records_by_file.append(records)
            if problems:
                new_failures[cand.parsed.display] = problems
        for cand, records in zip(live, records_by_file, strict=True):
            if cand.parsed.display in new_failures:
                continue
            claims, problems = _claims(cand, index, schema)
            if problems:
                new_failures[cand.parsed.display] = problems
                continue
            documents.append(_document(cand, records, claims))
        if not new_failures:
            return documents, failed
        failed.update(new_failures)
        live = [c for c in live if c.parsed.display not in new_failures]


def _declare(cand: Candidate, index: NameIndex) -> tuple[list[EntityRecord], list[Problem]]:
    parsed, problems, records = cand.parsed, [], []
    first_entry: dict[str, int] = {}
    for i, spec in enumerate(cand.facts.entities):
        loc = ("entities", i)
        names = [spec.name, *spec.aliases] + ([spec.id] if spec.id else [])
        found: dict[str, str] = {}
        for text in names:
            for entity_id in index.candidates(text):
                found.setdefault(entity_id, text)
        own_id = spec.id or slugify(spec.name)
        if not own_id:
            problems.append(parsed.problem((*loc, "name"), f"name '{spec.name}' gives an empty id; set `id`"))
            continue
        if len(found) > 1:
            listed = " and ".join(
                f"'{index.entities[e].name}' ({index.entities[e].kind}, id {e}, matched by '{t}')"
                for e, t in sorted(found.items())
            )
            problems.append(
                parsed.problem(
                    loc,
                    f"entity '{spec.name}' matches two different entities: {listed}; "
                    "remove the name or alias that belongs to the other one",
                )
            )
            continue
        if found:
            entity_id = next(iter(found))
            known = index.entities[entity_id]
            if spec.id and spec.id != entity_id:
                shared = found[entity_id]
                where = (*loc, "aliases", spec.aliases.index(shared)) if shared in spec.aliases else (*loc, "name")
                problems.append(
                    parsed.problem(
                        where,
                        f"entity '{spec.name}' (id {spec.id}) shares the name '{shared}' with '{known.name}' "
                        f"(id {entity_id}): a name or alias must name one entity; remove '{shared}' here, "
                        f"or drop `id` to add these names to '{known.name}'",
                    )
                )
                continue
            if known.kind != spec.kind:
                problems.append(
                    parsed.problem(
                        (*loc, "kind"),
                        f"entity '{spec.name}' is declared here as {a(spec.kind)}, but '{known.name}' "
                        f"(id {entity_id}) is {a(known.kind)}: expected kind {known.kind}, as an entity has one kind",
                    )
                )
                continue
        else:
            entity_id = own_id
            if entity_id in index.entities:
                other = index.entities[entity_id]
                problems.append(
                    parsed.problem(
                        loc, f"id '{entity_id}' is already used by '{other.name}' ({other.kind}); set a distinct `id`"
                    )
                )
                continue
        if entity_id in first_entry:
            first = parsed.locate(("entities", first_entry[entity_id]))[0]
            problems.append(
                parsed.problem(
                    loc,
                    f"entity '{spec.name}' is declared twice in this file (first at line {first}, as "
                    f"'{cand.facts.entities[first_entry[entity_id]].name}'); merge the two entries",
                )
            )
            continue
        first_entry[entity_id] = i
        index.add(entity_id, spec.kind, spec.name, names)
        aliases = tuple(sorted({a for a in spec.aliases if a != spec.name}))
        records.append(
            EntityRecord(
                cand.doc_id, entity_id, spec.kind, spec.name, aliases, spec.description, defines=(own_id == entity_id)
            )
        )
    return records, problems


def _claims(cand: Candidate, index: NameIndex, schema: Schema) -> tuple[list[Claim], list[Problem]]:
    parsed, facts = cand.parsed, cand.facts
    problems: list[Problem] = []
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    declared_wrong: set[str] = set()  # entities of this file whose declared kind a fact contradicts (said once)
    source_id = cand.doc_id
    for i, fact in enumerate(facts.facts):
        loc = ("facts", i)
        relation = schema.relations.get(fact.relation)
        if relation is None:
            hint = closest(fact.relation, schema.relations)
            tail = f"; did you mean '{hint[0]}'?" if hint else f"; expected one of {', '.join(schema.relations)}"
            problems.append(parsed.problem((*loc, "relation"), f"unknown relation '{fact.relation}'{tail}"))
            continue
        misplaced = _misplaced_dates(fact, relation.name, relation.event)
        for field, message in misplaced:
            problems.append(parsed.problem((*loc, field), message))
        if misplaced:
            continue
        subject_locs = (
            [((*loc, "subject", j), s) for j, s in enumerate(fact.subject)]
            if isinstance(fact.subject, list)
            else [((*loc, "subject"), fact.subject)]
        )
        resolved: list[tuple[str, str]] = []
        ends: list[tuple[tuple[Any, ...], str, tuple[str, ...]]] = [
            *((at, name, relation.sources) for at, name in subject_locs),
            ((*loc, "object"), fact.object, relation.targets),
        ]
        for at, name, kinds in ends:
            try:
                resolved.append((index.resolve(name, kinds).id, name))
            except Unresolved as exc:
                problems.append(parsed.problem(at, exc.message))
        if len(resolved) != len(subject_locs) + 1:
            continue
        object_id, object_name = resolved[-1]
        object_kind = index.entities[object_id].kind
        ok = True
        if object_kind not in relation.targets:
            problems.append(
                parsed.problem(
                    (*loc, "object"), _kind_message(relation.name, "object", object_name, object_kind, relation.targets)
                )
            )
            _blame_declaration(cand, index, object_id, relation.targets, loc, declared_wrong, problems)
            ok = False
        for (sloc, _), (subject_id, subject_name) in zip(subject_locs, resolved, strict=False):
            subject_kind = index.entities[subject_id].kind
            if subject_kind not in relation.sources:
                problems.append(
                    parsed.problem(
                        sloc, _kind_message(relation.name, "subject", subject_name, subject_kind, relation.sources)
                    )
                )
                _blame_declaration(cand, index, subject_id, relation.sources, loc, declared_wrong, problems)
                ok = False
            elif subject_id == object_id:
                problems.append(parsed.problem(sloc, f"subject and object are the same entity ('{subject_name}')"))
                ok = False
        if not ok:
            continue
        for (sloc, _), (subject_id, subject_name) in zip(subject_locs, resolved, strict=False):
            s, o = subject_id, object_id
            if relation.symmetric and o < s:
                s, o = o, s
            claim = _claim(cand, source_id, s, relation.name, o, fact, schema)
            if claim.id in seen:
                problems.append(
                    parsed.problem(
                        sloc,
                        f"duplicate fact: '{subject_name}' {relation.name} '{object_name}' repeats the fact at "
                        f"line {parsed.locate(('facts', seen[claim.id]))[0]} (same subject, relation, object and "
                        "dates); merge them or give distinct dates",
                    )
                )
                continue
            seen[claim.id] = i
            claims.append(claim)
    return claims, problems


def _blame_declaration(
    cand: Candidate,
    index: NameIndex,
    entity_id: str,
    wanted: tuple[str, ...],
    fact_loc: tuple[Any, ...],
    said: set[str],
    problems: list[Problem],
) -> None:
    """When this file declares the entity a fact cannot use, the likely mistake is the declared kind: say so
    at the declaration too (once per entity)."""
    if entity_id in said:
        return
    for i, spec in enumerate(cand.facts.entities):
        if entity_id in index.candidates(spec.name):
            said.add(entity_id)
            line = cand.parsed.locate(fact_loc)[0]
            problems.append(
                cand.parsed.problem(
                    ("entities", i, "kind"),
                    f"entity '{spec.name}' is declared as {a(spec.kind)}, but the fact at line {line} needs "
                    f"{' or '.join(a(k) for k in wanted)}: is this kind wrong?",
                )
            )
            return


def _misplaced_dates(fact: Any, relation: str, event: bool) -> list[tuple[str, str]]:
    """An event happens on a date (`on`); other relations hold over an interval (`since`/`until`)."""
    if event:
        return [
            (
                field,
                f"relation {relation} is an event: it takes `on` (the date it happened), not `{field}`; "
                f"use `on: {getattr(fact, field)}`",
            )
            for field in ("since", "until")
            if getattr(fact, field)
        ]
    if fact.on:
        return [
            (
                "on",
                f"relation {relation} holds over an interval: it takes `since`/`until`, not `on`; "
                f"use `since: {fact.on}` for when it began (or `until` for when it ended)",
            )
        ]
    return []


def _kind_message(relation: str, end: str, name: str, kind: str, allowed: tuple[str, ...]) -> str:
    return (
        f"relation {relation} does not take {a(kind)} as {end}: '{name}' is {a(kind)}; expected {' or '.join(allowed)}"
    )


def _claim(cand: Candidate, source_id: str, s: str, relation: str, o: str, fact: Any, schema: Schema) -> Claim:
    dates: dict[str, str | None] = {}
    for name in ("since", "until", "on"):
        value = getattr(fact, name)
        bounds = parse_partial_date(value) if value else None
        dates |= {name: value, f"{name}_lo": bounds.lo if bounds else None, f"{name}_hi": bounds.hi if bounds else None}
    return Claim(
        id=stable_hash(source_id, s, relation, o, fact.since, fact.until, fact.on),
        doc=cand.doc_id,
        source_id=source_id,
        key=EdgeKey(s, relation, o),
        symmetric=schema.relations[relation].symmetric,
        status=fact.status,
        status_rank=schema.status_rank(fact.status),
        credibility=fact.credibility,
        quote=fact.quote,
        note=fact.note,
        **dates,
    )


def _document(cand: Candidate, records: list[EntityRecord], claims: list[Claim]) -> Document:
    source = None
    spec = cand.facts.source
    if spec is not None:
        published = parse_partial_date(spec.published)
        source = {
            "id": cand.doc_id,
            "title": spec.title,
            "publisher": spec.publisher,
            "published": spec.published,
            "published_lo": published.lo,
            "published_hi": published.hi,
            "url": spec.url,
            "author": spec.author,
            "reliability": spec.reliability,
            "cites": list(spec.cites),
            "doc": cand.doc_id,
        }
    return Document(
        cand.doc_id, str(cand.parsed.path.resolve()), cand.parsed.display, cand.parsed.sha256, source, records, claims
    )
