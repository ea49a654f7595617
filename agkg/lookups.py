"""What the lookups need besides their queries: name resolution, the profile, search, dates and support.

Every name argument accepts a name, an alias or an id, resolved like the loader resolves names in fact
files (`agkg.loaders.names`): one index seek on the normalised name (`queries/resolve-name.cypher`); only a
name that resolves to nothing reads every entity, for suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from agkg.errors import NotFound, UsageError
from agkg.graph.schema import Schema, load_schema
from agkg.loaders.names import a

if TYPE_CHECKING:
    from agkg.graph.store import GraphStore, Row
    from agkg.loaders.names import KnownEntity, NameIndex
    from agkg.rows import Profile, SearchHit

GROUPS = ("group", "umbrella")
PLACES = ("place", "state")


class Names:
    """Resolves names given by a person to entities of one store; reads every name only for suggestions."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._index: NameIndex | None = None

    def _run(self, name: str, **params: Any) -> list[Row]:
        from agkg.queries import run

        return run(self.store, name, params)

    @property
    def index(self) -> NameIndex:
        if self._index is None:
            from agkg.loaders.names import NameIndex

            index = NameIndex()
            for row in self._run("entities"):
                index.add(row["id"], row["kind"], row["name"], row["aliases"] or [])
            self._index = index
        return self._index

    def candidates(self, name: str) -> list[KnownEntity]:
        """The entities `name` denotes, read by their normalised names (no full scan)."""
        from agkg.loaders.names import KnownEntity, normalise

        key = normalise(name)
        if not key:
            return []
        rows = self._run("resolve-name", key=key)
        return [KnownEntity(r["id"], r["kind"], r["name"], {r["name"], *(r["aliases"] or [])}) for r in rows]

    def entity(self, name: str, kinds: Sequence[str] = (), role: str = "") -> KnownEntity:
        """The entity `name` denotes, which must be of one of `kinds` (any kind if empty)."""
        found = self.candidates(name)
        if len(found) > 1:
            listed = ", ".join(f"'{e.name}' ({e.kind}, id {e.id})" for e in found)
            raise NotFound(
                f"ambiguous name '{name}': it matches {len(found)} entities, {listed}; expected a name of one "
                f"entity: write its id instead (e.g. '{found[0].id}')"
            )
        if not found:
            index = self.index
            # A store loaded before names became nodes (derivation 3) has none until its files reload:
            # the full index still resolves exact names there, only slower.
            exact = index.candidates(name)
            if len(exact) == 1:
                found = [index.entities[next(iter(exact))]]
        if not found:
            hint = index.suggest(name)
            if not index.entities:
                raise NotFound(f"unknown name '{name}': the graph is empty (load fact files with `agkg ingest PATH`)")
            from shlex import quote

            suffix = f"; did you mean {hint}?" if hint else f"; try `agkg search {quote(name)}`"
            raise NotFound(f"unknown name '{name}'{suffix}")
        known = found[0]
        if kinds and known.kind not in kinds:
            wanted = " or ".join(kinds)
            raise NotFound(f"'{known.name}' is {a(known.kind)}, but {role or 'this command'} needs {a(wanted)}")
        return known


def date_bound(value: str | None, option: str, end: str = "lo") -> str | None:
    """The first (`lo`) or last (`hi`) day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) can mean."""
    if value is None:
        return None
    from agkg.loaders.dates import parse_partial_date

    try:
        parsed = parse_partial_date(str(value))
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    return parsed.lo if end == "lo" else parsed.hi


def support(include_planned: bool, include_denied: bool) -> list[str]:
    """The support classes a lookup follows: asserted relations, plus those asked for."""
    return ["asserted", *(["announced"] if include_planned else []), *(["denied"] if include_denied else [])]


def relation_name(text: str, schema: Schema | None = None) -> str | None:
    """The schema relation `text` names (member_of, MEMBER_OF, member-of), or None."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    return key if key in (schema or load_schema()).relations else None


PROFILE_FIELDS = ("name", "id", "since", "until", "on", "status", "sources", "contested", "denied_by")


def build_profile(row: Row, schema: Schema | None = None) -> Profile:
    """The profile from the `profile` query's one row: a list per relation key of the schema, both ways."""
    from agkg.rows import Profile, ProfileRelation, ProfileSource

    schema = schema or load_schema()
    lists: dict[str, list[ProfileRelation]] = {key: [] for key in schema.relation_keys()}
    for rel in row["relations"]:
        relation = schema.relations.get(rel["relation"])
        if relation is None:
            continue  # a relation the store has but this schema no longer names
        key = relation.name if rel["outgoing"] else relation.inverse
        lists[key].append(ProfileRelation(**{f: rel.get(f) for f in PROFILE_FIELDS}))
    ordered: dict[str, Any] = {key: sorted(items, key=lambda r: (r.name, r.id)) for key, items in lists.items()}
    # The relation keys come from the schema, so they are extra fields of Profile, as is `sources` after them.
    extra = {**ordered, "sources": [ProfileSource(**s) for s in row["sources"]]}
    return Profile(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        aliases=row["aliases"] or [],
        description=row["description"],
        **extra,
    )


def search_entities(rows: Sequence[Row], text: str, limit: int, cutoff: float = 70.0) -> list[SearchHit]:
    """Entities whose id, name or an alias is close to `text`, best first (one row per entity)."""
    from rapidfuzz import fuzz

    from agkg.loaders.names import normalise
    from agkg.rows import SearchHit

    key = normalise(text)
    found: list[SearchHit] = []
    if not key:
        return found
    for row in rows:
        best: tuple[float, str] = (0.0, "")
        for candidate in (row["name"], *(row["aliases"] or []), row["id"]):
            normalised = normalise(candidate)
            score = fuzz.ratio(key, normalised)
            # A part of a longer name counts, but a short alias must not match pieces of the query.
            if len(normalised) >= len(key):
                score = max(score, 0.9 * fuzz.partial_ratio(key, normalised))
            if score > best[0]:
                best = (score, candidate)
        if best[0] >= cutoff:
            found.append(
                SearchHit(id=row["id"], name=row["name"], kind=row["kind"], matched=best[1], score=round(best[0]))
            )
    found.sort(key=lambda r: (-r.score, r.name))
    return found[:limit]
