"""The library: one `Graph`, opened on a store, with a method per lookup command.

    from agkg import Graph
    with Graph.open("path/or/uri") as g:          # None: the same default store as the CLI
        summary = g.ingest(["data/"]).summary
        rows = g.members("PMU", as_of="2024-06")   # every lookup command is a method of the same name

Every name argument takes a name, an alias or an id. Dates may be partial (`2024`, `2024-06`). Lookups
follow only relations a source asserts unless `include_planned`/`include_denied` say otherwise (README:
What counts as support). Rows are typed, frozen objects (`agkg.rows`); `row.model_dump(mode="json")` is
what the command prints with `--format json`. Errors are `agkg.errors.AgkgError` subclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from agkg.errors import NotFound, UsageError
from agkg.lookups import GROUPS, PLACES, Names, build_profile, date_bound, relation_name, search_entities, support
from agkg.rows import (
    Affiliation,
    Backing,
    BorderPresence,
    CoLocated,
    Evidence,
    Member,
    Operating,
    PathStep,
    Presence,
    Profile,
    SearchHit,
    TimelineEntry,
    Withdrawal,
)

if TYPE_CHECKING:
    from agkg.graph.store import GraphStore, Row
    from agkg.loaders.ingest import Summary
    from agkg.loaders.names import KnownEntity
    from agkg.loaders.runs import RunResult

MAX_HOPS = 6
Progress = Callable[[str, int, int], None]


class Filters(TypedDict, total=False):
    """The options every lookup of relations takes (README: What counts as support)."""

    as_of: str | None  # only relations valid on this (partial) date
    include_planned: bool  # also relations sources only announce
    include_denied: bool  # also relations sources only deny


class Stats(dict[str, Any]):
    """`{"entities": {kind: n}, "relations": {relation: n}, "claims": n, "sources": n, "bookkeeping": {...}}`."""


class Graph:
    """A knowledge graph in one store (an embedded FalkorDB directory, a FalkorDB server or Neo4j)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.names = Names(store)

    @classmethod
    def open(cls, location: str | None = None) -> Graph:
        """Open the store at `location`: a directory, falkordb://host:port, or bolt:// / neo4j:// URI.

        None: `AGKG_STORE`, else `NEO4J_URI`, else the default directory (as the CLI does).
        """
        from agkg.graph.store import open_store

        return cls(open_store(location))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # --- loading --------------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        full: bool = False,
        prune: bool = False,
        wait: float = 0.0,
        progress: Progress | None = None,
    ) -> RunResult:
        """Load fact files (incremental unless `full`), under the store's lock, recorded in the run ledger."""
        from agkg.loaders.files import check_paths
        from agkg.loaders.runs import run_ingest

        paths = list(paths)
        check_paths(paths)
        return run_ingest(self.store, paths, full=full, prune=prune, wait=wait, progress=progress)

    def validate(self, paths: Iterable[str | Path]) -> Summary:
        """Check fact files against the schema and the store's names; write nothing."""
        from agkg.loaders.files import check_paths
        from agkg.loaders.ingest import validate

        paths = list(paths)
        check_paths(paths)
        return validate(self.store, paths)

    def runs(self, last: int = 10) -> list[dict[str, Any]]:
        """The newest `last` ingest runs of the ledger."""
        from agkg.loaders.runs import list_runs

        return list_runs(self.store, last)

    def stats(self) -> Stats:
        """What the graph knows, apart from its bookkeeping; every kind and relation of the schema is counted."""
        from agkg.graph.cypher import cypher
        from agkg.graph.schema import load_schema

        schema = load_schema()
        rows = self.store.read(cypher("stats"))
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found.setdefault(row["what"], {})[row["name"]] = row["count"]
        entities = {kind: found.get("entities", {}).get(kind, 0) for kind in schema.kinds}
        relations = {name: found.get("relations", {}).get(name, 0) for name in schema.relations}
        return Stats(
            entities=entities,
            relations=relations,
            claims=found.get("claims", {}).get("claims", 0),
            sources=found.get("sources", {}).get("sources", 0),
            bookkeeping=found.get("bookkeeping", {}),
        )

    # --- queries --------------------------------------------------------------------------------------

    def query(self, name: str, **params: Any) -> list[Row]:
        """Run canned query `name` (queries/NAME.cypher). Parameters of type `entity` take names too."""
        from agkg import queries

        canned = queries.get(name)
        resolved = dict(params)
        for param in canned.params:
            value = resolved.get(param.name)
            if param.type == "entity" and isinstance(value, str):
                resolved[param.name] = self.names.entity(value).id
        return queries.run(self.store, canned.name, resolved)

    def cypher(self, text: str, **params: Any) -> list[Row]:
        """Run read-only Cypher (the database refuses writes); values only as parameters."""
        return self.store.read(text, params)

    def _run(self, name: str, **params: Any) -> list[Row]:
        from agkg.queries import run

        return run(self.store, name, params)

    def entity(self, name: str, kinds: tuple[str, ...] = (), role: str = "") -> KnownEntity:
        """The entity a name, alias or id denotes (NotFound with suggestions otherwise)."""
        return self.names.entity(name, kinds, role)

    # --- lookups: one per command ---------------------------------------------------------------------

    def _stated(self, query: str, filters: Filters, **params: Any) -> list[Row]:
        """A lookup of relations: valid on `as_of`, of the support asked for."""
        return self._run(
            query,
            as_of=date_bound(filters.get("as_of"), "--as-of"),
            support=support(filters.get("include_planned", False), filters.get("include_denied", False)),
            **params,
        )

    def profile(self, name: str, **filters: Unpack[Filters]) -> Profile:
        entity = self.entity(name)
        rows = self._stated("profile", filters, id=entity.id)
        if not rows:
            raise NotFound(f"'{entity.name}' is no longer in the graph")
        return build_profile(rows[0])

    def members(self, umbrella: str, *, direct: bool = False, **filters: Unpack[Filters]) -> list[Member]:
        entity = self.entity(umbrella, ("umbrella",), "`agkg members`")
        return [Member(**r) for r in self._stated("members", filters, umbrella=entity.id, direct=direct)]

    def affiliations(self, name: str, **filters: Unpack[Filters]) -> list[Affiliation]:
        entity = self.entity(name, GROUPS, "`agkg affiliations`")
        return [Affiliation(**r) for r in self._stated("affiliations", filters, id=entity.id)]

    def where(self, group: str, *, direct: bool = False, **filters: Unpack[Filters]) -> list[Presence]:
        entity = self.entity(group, GROUPS, "`agkg where`")
        return [Presence(**r) for r in self._stated("where", filters, id=entity.id, direct=direct)]

    def operating_in(self, place: str, **filters: Unpack[Filters]) -> list[Operating]:
        entity = self.entity(place, PLACES, "`agkg operating-in`")
        return [Operating(**r) for r in self._stated("operating-in", filters, place=entity.id)]

    def withdrawals(
        self,
        *,
        group: str | None = None,
        from_: str | None = None,
        since: str | None = None,
        until: str | None = None,
        include_planned: bool = False,
        include_denied: bool = False,
    ) -> list[Withdrawal]:
        """Withdrawals, optionally of one group, from a place (or places within it), between dates."""
        lo = date_bound(since, "--since", "lo")
        hi = date_bound(until, "--until", "hi")
        who = self.entity(group, GROUPS, "--group").id if group else None
        where_from = self.entity(from_, PLACES, "--from").id if from_ else None
        rows = self._run(
            "withdrawals",
            group=who,
            since=lo,
            until=hi,
            support=support(include_planned, include_denied),
            **{"from": where_from},
        )
        return [Withdrawal(**r) for r in rows]

    def backed_by(self, state: str, **filters: Unpack[Filters]) -> list[Backing]:
        entity = self.entity(state, ("state",), "`agkg backed-by`")
        return [Backing(**r) for r in self._stated("backed-by", filters, state=entity.id)]

    def border(self, state_a: str, state_b: str, **filters: Unpack[Filters]) -> list[BorderPresence]:
        first = self.entity(state_a, ("state",), "`agkg border`")
        second = self.entity(state_b, ("state",), "`agkg border`")
        if first.id == second.id:
            raise UsageError("`agkg border` needs two different states")
        pair = {"state_a": first.id, "state_b": second.id}
        return [BorderPresence(**r) for r in self._stated("border", filters, **pair)]

    def co_located(self, group: str, **filters: Unpack[Filters]) -> list[CoLocated]:
        entity = self.entity(group, GROUPS, "`agkg co-located`")
        return [CoLocated(**r) for r in self._stated("co-located", filters, id=entity.id)]

    def path(
        self,
        a: str,
        b: str,
        *,
        max_hops: int = 4,
        include_planned: bool = False,
        include_denied: bool = False,
    ) -> list[PathStep]:
        if not 1 <= max_hops <= MAX_HOPS:
            raise UsageError(f"--max-hops: {max_hops} is not between 1 and {MAX_HOPS}")
        first = self.entity(a)
        second = self.entity(b)
        if first.id == second.id:
            raise UsageError(f"'{a}' and '{b}' are the same entity ({first.id})")
        rows = self._run(
            "path",
            max_hops=max_hops,
            support=support(include_planned, include_denied),
            **{"from": first.id, "to": second.id},
        )
        return [PathStep(**r) for r in rows]

    def timeline(self, name: str) -> list[TimelineEntry]:
        entity = self.entity(name)
        return [TimelineEntry(**r) for r in self._run("timeline", id=entity.id)]

    def evidence(self, subject: str, relation: str | None = None, object: str | None = None) -> list[Evidence]:
        """Every claim behind a subject's relations (of `relation`, with `object`), whatever its status.

        A `relation` that names no relation but an entity is taken as the object.
        """
        from agkg.graph.schema import load_schema
        from agkg.loaders.names import closest

        entity = self.entity(subject)
        rel = relation_name(relation) if relation else None
        if relation and rel is None:
            if object is None and self.names.candidates(relation):
                object, relation = relation, None
            else:
                relations = load_schema().relations
                hint = closest(relation.lower(), relations)
                suffix = f"; did you mean '{hint[0]}'?" if hint else ""
                raise UsageError(f"unknown relation '{relation}'{suffix} (relations: {', '.join(relations)})")
        other = self.entity(object) if object else None
        rows = self._run("evidence", subject=entity.id, relation=rel, object=other.id if other else None)
        return [Evidence(**r) for r in rows]

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """Entities named like `text` (any spelling, script or typo), best first."""
        return search_entities(self._run("entities"), text, limit)
