"""Resolve validated files against the store's entities and each other, producing Documents.

The name index is built the way a fresh load would see it: the store's
declarations minus those of the documents being replaced, plus the new files'
declarations, in file order. A file that fails is dropped and the rest are
resolved again without it, because its entities are then not loaded either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agkg.errors import Problem
from agkg.graph.schema import Schema, load_schema
from agkg.loaders.dates import parse_partial_date
from agkg.loaders.names import NameIndex, Unresolved, a, closest, common_words, normalise, slugify
from agkg.loaders.records import Claim, Document, EdgeKey, EntityRecord, stable_hash

if TYPE_CHECKING:  # the models (pydantic) load when a file is read, not for a run with nothing to read
    from agkg.loaders.model import EntitySpec, FactFile
    from agkg.loaders.parse import ParsedFile

# Kinds whose names a group's global alias must not take over (the "Amman" for Jordan mistake).
_PLACE_KINDS = ("state", "place")


@dataclass
class Candidate:
    parsed: ParsedFile
    facts: FactFile
    doc_id: str
    # Schema problems of a file whose valid parts are still checked (names, kinds, duplicates) in one pass.
    problems: list[Problem] = field(default_factory=list)
    # Warnings (never a reason to fail): new global aliases that are common words or places' names.
    warnings: list[Problem] = field(default_factory=list)
    # The file's resolved path, as the documents' catalog keys it; given by a caller that has it already.
    real: str = ""

    def __post_init__(self) -> None:
        if not self.real:
            self.real = str(self.parsed.path.resolve())


# Each normalised name of a state or place entry in the files being loaded: the entries (file, index) giving it.
_Places = dict[str, list[tuple[Candidate, int, "EntitySpec"]]]


@dataclass
class _Declared:
    """What a file's `entities` gave: its records, its own surface forms and the names it failed to declare."""

    records: list[EntityRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    local: dict[str, str] = field(default_factory=dict)  # normalised local alias -> entity id
    rejected: set[str] = field(default_factory=set)  # normalised names of entries that failed


PUBLISHER_SLUG_MAX = 24


def document_id(parsed: ParsedFile, facts: FactFile) -> str:
    """The source's `id`, else a short, stable one: publisher slug, publication date and a 6-character hash
    of the URL (else the title), e.g. `al-mayadeen-english-2024-01-30-5c1e2a`; a file without a source
    (a gazetteer) is named by its file name."""
    source = facts.source
    if source is None:
        return facts.source_id or slugify(parsed.path.stem)
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
    # From every file given, failed or not: a later file's place explains why that file fails.
    places = _places_declared(candidates)
    while True:
        replacing = {c.doc_id for c in live}
        index = NameIndex()
        for record in stored:
            if record.doc not in replacing:
                index.add(record.entity_id, record.kind, record.name, [record.name, *record.aliases])
        documents: list[Document] = []
        new_failures: dict[str, list[Problem]] = {}
        declared = [_declare(cand, index, places) for cand in live]
        for cand, decl in zip(live, declared, strict=True):
            claims, problems = _claims(cand, index, schema, decl)
            problems = sorted(set(cand.problems + decl.problems + problems))
            if problems:
                new_failures[cand.parsed.display] = problems
                continue
            documents.append(_document(cand, decl.records, claims))
        if not new_failures:
            return documents, failed
        failed.update(new_failures)
        live = [c for c in live if c.parsed.display not in new_failures]


def _places_declared(candidates: list[Candidate]) -> _Places:
    """Each normalised name of a state or place entry in the files being loaded: the entries giving it."""
    found: _Places = {}
    for cand in candidates:
        for i, spec in cand.facts.numbered_entities():
            if spec.kind in _PLACE_KINDS:
                for key in {normalise(text) for text in (spec.name, *spec.aliases)}:
                    found.setdefault(key, []).append((cand, i, spec))
    return found


def _declare(cand: Candidate, index: NameIndex, places: _Places) -> _Declared:
    from agkg.loaders.validate import rejected_names

    parsed, out = cand.parsed, _Declared()
    problems = out.problems
    cand.warnings = []
    out.rejected = {normalise(n) for n in rejected_names(parsed, cand.facts)}
    first_entry: dict[str, tuple[int, str]] = {}
    accepted: set[str] = set()
    for i, spec in cand.facts.numbered_entities():
        # Local aliases are the article's wording, not the entity's names: they never match an entry.
        names = [spec.name, *spec.aliases] + ([spec.id] if spec.id else [])
        found: dict[str, str] = {}
        for text in names:
            for entity_id in index.candidates(text):
                found.setdefault(entity_id, text)
        own_id = spec.id or slugify(spec.name)
        problem = _entry_problem(cand, index, i, spec, found, own_id, first_entry)
        if problem is not None:
            problems.append(problem)
            out.rejected |= {normalise(n) for n in (*names, *spec.local_aliases)}
            continue
        entity_id = next(iter(found)) if found else own_id
        first_entry[entity_id] = (i, spec.name)
        accepted |= {normalise(n) for n in names}
        known = index.entities.get(entity_id)
        before = {normalise(n) for n in known.names} if known else set()
        cand.warnings += _alias_warnings(cand, i, spec, entity_id, before, index, places)
        index.add(entity_id, spec.kind, spec.name, names)
        problems += _add_local_aliases(cand, i, spec, entity_id, index, out.local)
        aliases = tuple(sorted({a for a in spec.aliases if a != spec.name}))
        out.records.append(
            EntityRecord(
                cand.doc_id,
                entity_id,
                spec.kind,
                spec.name,
                aliases,
                spec.description,
                defines=(own_id == entity_id),
                local_aliases=tuple(dict.fromkeys(spec.local_aliases)),
            )
        )
    out.rejected -= accepted  # a name that one entry declared is still checked where facts use it
    return out


def _entry_problem(
    cand: Candidate,
    index: NameIndex,
    i: int,
    spec: EntitySpec,
    found: dict[str, str],
    own_id: str,
    first_entry: dict[str, tuple[int, str]],
) -> Problem | None:
    """What is wrong with one entity entry, given the known entities its names match (None: nothing)."""
    parsed, loc = cand.parsed, ("entities", i)
    if not own_id:
        return parsed.problem((*loc, "name"), f"name '{spec.name}' gives an empty id; set `id`")
    if len(found) > 1:
        listed = " and ".join(
            f"'{index.entities[e].name}' ({index.entities[e].kind}, id {e}, matched by '{t}')"
            for e, t in sorted(found.items())
        )
        return parsed.problem(
            loc,
            f"entity '{spec.name}' matches two different entities: {listed}; "
            "remove the name or alias that belongs to the other one"
            + (" (or make it a `local_aliases` entry, if it is this article's wording)" if spec.aliases else ""),
        )
    if found:
        entity_id, shared = next(iter(found.items()))
        known = index.entities[entity_id]
        if spec.id and spec.id != entity_id:
            where = (*loc, "aliases", spec.aliases.index(shared)) if shared in spec.aliases else (*loc, "name")
            return parsed.problem(
                where,
                f"entity '{spec.name}' (id {spec.id}) shares the name '{shared}' with '{known.name}' "
                f"(id {entity_id}): a name or alias must name one entity; remove '{shared}' here, "
                f"or drop `id` to add these names to '{known.name}'",
            )
        if known.kind != spec.kind:
            if shared in spec.aliases and normalise(shared) != normalise(spec.name):
                return parsed.problem(
                    (*loc, "aliases", spec.aliases.index(shared)),
                    f"alias '{shared}' of '{spec.name}' ({spec.kind}) names '{known.name}' ({known.kind}, id "
                    f"{entity_id}): a name or alias must name one entity; if '{shared}' is this article's "
                    "wording, make it a `local_aliases` entry, else remove it",
                )
            via = ""
            if normalise(shared) not in {normalise(known.name), normalise(entity_id)}:
                via = (
                    f" ('{shared}' is an alias of '{known.name}': if a file gave it as its own wording, make it a "
                    "`local_aliases` entry there)"
                )
            return parsed.problem(
                (*loc, "kind"),
                f"entity '{spec.name}' is declared here as {a(spec.kind)}, but '{known.name}' "
                f"(id {entity_id}) is {a(known.kind)}: expected kind {known.kind}, as an entity has one kind{via}",
            )
    elif own_id in index.entities:
        other = index.entities[own_id]
        return parsed.problem(
            loc, f"id '{own_id}' is already used by '{other.name}' ({other.kind}); set a distinct `id`"
        )
    entity_id = next(iter(found)) if found else own_id
    if entity_id in first_entry:
        first_index, first_name = first_entry[entity_id]
        first = parsed.locate(("entities", first_index))[0]
        return parsed.problem(
            loc,
            f"entity '{spec.name}' is declared twice in this file (first at line {first}, as "
            f"'{first_name}'); merge the two entries",
        )
    return None


def _alias_warnings(
    cand: Candidate,
    i: int,
    spec: EntitySpec,
    entity_id: str,
    before: set[str],
    index: NameIndex,
    places: _Places,
) -> list[Problem]:
    """A new global alias names the entity in every file: warn when it is a common word or a place's name."""
    warnings = []
    own = {normalise(spec.name), normalise(entity_id)} | before
    for j, alias in enumerate(spec.aliases):
        key = normalise(alias)
        if key in own:
            continue  # not new
        own.add(key)
        where = ("entities", i, "aliases", j)
        advice = (
            f"it would name '{spec.name}' in every file and every lookup; if it is this article's wording, "
            "move it to `local_aliases`"
        )
        # An acronym ("AL", "IT") is not the word it spells.
        if key in common_words() and not (alias.isupper() and len(alias) > 1):
            warnings.append(
                cand.parsed.problem(where, f"warning: new global alias '{alias}' is a common word: {advice}")
            )
            continue
        other = _place_named(key, cand, i, index, places, entity_id)
        if other:
            warnings.append(
                cand.parsed.problem(where, f"warning: new global alias '{alias}' is also the name of {other}: {advice}")
            )
    return warnings


def _place_named(
    key: str,
    cand: Candidate,
    i: int,
    index: NameIndex,
    places: _Places,
    entity_id: str,
) -> str:
    """The state or place (other than this entry's entity) that `key` names, described; '' if none."""
    for known_id in index.candidates(key):
        known = index.entities[known_id]
        if known_id != entity_id and known.kind in _PLACE_KINDS:
            return f"{a(known.kind)} '{known.name}' (id {known_id})"
    for other, j, spec in places.get(key, ()):
        if (other is cand and j == i) or entity_id in {spec.id, slugify(spec.name)}:
            continue  # this entry, or another declaration of the same entity
        line = other.parsed.locate(("entities", j))[0]
        return f"{a(spec.kind)} '{spec.name}' declared at {other.parsed.display}:{line}"
    return ""


def _add_local_aliases(
    cand: Candidate, i: int, spec: EntitySpec, entity_id: str, index: NameIndex, local: dict[str, str]
) -> list[Problem]:
    problems = []
    for j, alias in enumerate(spec.local_aliases):
        key = normalise(alias)
        owner = local.setdefault(key, entity_id)
        if owner != entity_id:
            problems.append(
                cand.parsed.problem(
                    ("entities", i, "local_aliases", j),
                    f"local alias '{alias}' of '{spec.name}' is also a local alias of "
                    f"'{index.entities[owner].name}' in this file: a name must name one entity in a file",
                )
            )
    return problems


def _claims(
    cand: Candidate, index: NameIndex, schema: Schema, declared: _Declared
) -> tuple[list[Claim], list[Problem]]:
    parsed = cand.parsed
    problems: list[Problem] = []
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    declared_wrong: set[str] = set()  # entities of this file whose declared kind a fact contradicts (said once)
    source_id = cand.doc_id
    for i, fact in cand.facts.numbered_facts():
        loc = ("facts", i)
        relation = schema.relations.get(fact.relation)
        if relation is None:
            hint = closest(fact.relation, schema.relations)
            tail = f"; did you mean '{hint[0]}'?" if hint else f"; expected one of {', '.join(schema.relations)}"
            problems.append(parsed.problem((*loc, "relation"), f"unknown relation '{fact.relation}'{tail}"))
        misplaced = _misplaced_dates(fact, relation.name, relation.event) if relation else []
        for field_name, message in misplaced:
            problems.append(parsed.problem((*loc, field_name), message))
        subject_locs = (
            [((*loc, "subject", j), s) for j, s in enumerate(fact.subject)]
            if isinstance(fact.subject, list)
            else [((*loc, "subject"), fact.subject)]
        )
        # Without a known relation the names are still resolved, with no kinds to prefer in suggestions.
        ends: list[tuple[tuple[Any, ...], str, tuple[str, ...]]] = [
            *((at, name, relation.sources if relation else ()) for at, name in subject_locs),
            ((*loc, "object"), fact.object, relation.targets if relation else ()),
        ]
        resolved: list[tuple[str, str]] = []
        for at, name, kinds in ends:
            if declared.rejected and normalise(name) in declared.rejected and normalise(name) not in declared.local:
                continue  # this file's declaration of the name failed, and says so: no cascade
            try:
                resolved.append((index.resolve(name, kinds, declared.local).id, name))
            except Unresolved as exc:
                problems.append(parsed.problem(at, exc.message))
        if relation is None or misplaced or len(resolved) != len(subject_locs) + 1:
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
    for i, spec in cand.facts.numbered_entities():
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
    return Document(cand.doc_id, cand.real, cand.parsed.display, cand.parsed.sha256, source, records, claims)
