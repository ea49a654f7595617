"""The analyst's lookups: one command per canned query in `queries/`, plus `search`, `query` and `cypher`.

Every name argument accepts a name, an alias or an id, resolved like the loader
resolves names in fact files. Heavy modules are imported inside the commands so
that `agkg --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agkg.errors import AgkgError, NotFound, UsageError
from agkg.main import FormatOption, app, fail, opened
from agkg.output import Format, render, to_json

if TYPE_CHECKING:
    from agkg.graph.store import GraphStore, Row
    from agkg.loaders.names import KnownEntity, NameIndex
    from agkg.queries import Query

LOOKUPS = "Lookups"
GROUPS = ("group", "umbrella")
PLACES = ("place", "state")

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Only relations valid on DATE (YYYY, YYYY-MM or YYYY-MM-DD): since on or before it, "
        "until unset or after it. Relations without dates always count.",
    ),
]
PlannedOption = Annotated[
    bool,
    typer.Option(
        "--include-planned",
        help="Also follow and show relations that sources only announce (status planned), with their dates.",
    ),
]
DeniedOption = Annotated[
    bool,
    typer.Option("--include-denied", help="Also follow and show relations that sources only deny (status denied)."),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", metavar="KEY=VALUE", help="A query parameter; repeat for more."),
]


class Lookup:
    """An open store, and the name index built from it on first use."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._index: NameIndex | None = None

    def run(self, name: str, **params: Any) -> list[Row]:
        from agkg.queries import run

        return run(self.store, name, params)

    @property
    def index(self) -> NameIndex:
        if self._index is None:
            from agkg.loaders.names import NameIndex

            index = NameIndex()
            for row in self.run("entities"):
                index.add(row["id"], row["kind"], row["name"], row["aliases"] or [])
            self._index = index
        return self._index

    def candidates(self, name: str) -> list[KnownEntity]:
        """The entities `name` denotes, read by their normalised names (no full scan of the client's side)."""
        from agkg.loaders.names import KnownEntity, normalise

        key = normalise(name)
        if not key:
            return []
        rows = self.run("resolve-name", key=key)
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
            # Only now is every name read: for suggestions.
            index = self.index
            hint = index.suggest(name)
            if not index.entities:
                raise NotFound(f"unknown name '{name}': the graph is empty (load fact files with `agkg ingest PATH`)")
            suffix = f"; did you mean {hint}?" if hint else f"; try `agkg search {_quote(name)}`"
            raise NotFound(f"unknown name '{name}'{suffix}")
        known = found[0]
        if kinds and known.kind not in kinds:
            wanted = " or ".join(kinds)
            raise NotFound(f"'{known.name}' is {_a(known.kind)}, but {role or 'this command'} needs {_a(wanted)}")
        return known


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


@contextmanager
def lookup() -> Iterator[Lookup]:
    try:
        with opened() as store:
            yield Lookup(store)
    except AgkgError as exc:
        raise fail(exc) from None


def as_of(value: str | None, option: str = "--as-of") -> str | None:
    return date_bound(value, option, "lo")


def date_bound(value: str | None, option: str, end: str) -> str | None:
    """The first (`lo`) or last (`hi`) day a partial date can mean, as YYYY-MM-DD."""
    if value is None:
        return None
    from agkg.loaders.dates import parse_partial_date

    try:
        parsed = parse_partial_date(value)
    except ValueError as exc:
        raise fail(UsageError(f"{option}: {exc}")) from None
    return parsed.lo if end == "lo" else parsed.hi


def support(planned: bool, denied: bool) -> list[str]:
    """The support classes a lookup follows: asserted relations, plus those the flags ask for."""
    return ["asserted", *(["announced"] if planned else []), *(["denied"] if denied else [])]


def show(rows: Sequence[Mapping[str, Any]], fmt: Format, columns: Sequence[str], empty: str) -> None:
    """Rows as asked; a relation some source denies is marked in its status (tables) or columns (CSV)."""
    plain = [dict(r) for r in rows]
    contested = any("contested" in r for r in plain)
    if fmt is Format.table:
        for row in plain:
            if row.get("contested"):
                row["status"] = f"{row.get('status')} (contested)"
    elif fmt is Format.csv and contested:
        columns = [*columns, *(c for c in ("contested", "denied_by") if c not in columns)]
    typer.echo(render(plain, fmt, columns, empty=empty))


def _at(date: str | None) -> str:
    return f" on {date}" if date else ""


# --- profile ------------------------------------------------------------------------------------------

# Outgoing and incoming relations, by the key they get in the profile. The first
# block is the contract; the others make places and states useful too.
PROFILE_OUT = {
    "member_of": "member_of",
    "part_of": "part_of",
    "operates_in": "operates_in",
    "withdrew_from": "withdrew_from",
    "backed_by": "backed_by",
    "attacked": "attacked",
    "allied_with": "allied_with",
    "located_in": "located_in",
    "borders": "borders",
}
PROFILE_IN = {
    "member_of": "members",
    "allied_with": "allied_with",
    "borders": "borders",
    "part_of": "components",
    "backed_by": "backs",
    "attacked": "attacked_by",
    "operates_in": "operating_here",
    "withdrew_from": "withdrawn_from_by",
    "located_in": "contains",
}
PROFILE_KEYS = [
    "member_of",
    "members",
    "part_of",
    "operates_in",
    "withdrew_from",
    "backed_by",
    "attacked",
    "allied_with",
    "located_in",
    "borders",
    "contains",
    "components",
    "backs",
    "attacked_by",
    "operating_here",
    "withdrawn_from_by",
]
RELATION_FIELDS = ["name", "id", "since", "until", "on", "status", "sources", "contested", "denied_by"]


def build_profile(row: Row) -> dict[str, Any]:
    """The profile object from the `profile` query's one row."""
    profile: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "aliases": row["aliases"] or [],
        "description": row["description"],
    }
    lists: dict[str, list[dict[str, Any]]] = {key: [] for key in PROFILE_KEYS}
    for rel in row["relations"]:
        key = (PROFILE_OUT if rel["outgoing"] else PROFILE_IN)[rel["relation"]]
        lists[key].append({f: rel.get(f) for f in RELATION_FIELDS})
    for key in PROFILE_KEYS:
        profile[key] = sorted(lists[key], key=lambda r: (r["name"], r["id"]))
    profile["sources"] = row["sources"]
    return profile


@app.command(rich_help_panel=LOOKUPS)
def profile(
    name: Annotated[str, typer.Argument(help="Name, alias or id of any entity.")],
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Everything the graph says about one entity: names, relations both ways, sources.

    JSON is one object with id, name, kind, aliases, member_of, members, part_of,
    operates_in, withdrew_from, backed_by, attacked, allied_with, sources (and
    located_in, borders, contains, ... for places); each relation is a list of
    {name, id, since, until, on, status, sources, contested, denied_by}. CSV has one
    row per relation.

    Example: agkg profile "Kataib Hezbollah"
    """
    when = as_of(date)
    with lookup() as look:
        entity = look.entity(name)
        rows = look.run("profile", id=entity.id, as_of=when, support=support(planned, denied))
    if not rows:
        raise fail(NotFound(f"'{entity.name}' is no longer in the graph"))
    data = build_profile(rows[0])
    if fmt is Format.json:
        typer.echo(to_json(data))
        return
    flat = [{"relation": key, **item} for key in PROFILE_KEYS for item in data[key]]
    columns = ["relation", *RELATION_FIELDS]
    if fmt is Format.csv:
        show(flat, fmt, columns, "")
        return
    typer.echo(f"{data['name']}  ({data['kind']}, id {data['id']})")
    if data["aliases"]:
        typer.echo("aliases: " + ", ".join(data["aliases"]))
    if data["description"]:
        typer.echo(data["description"])
    typer.echo("")
    show(flat, fmt, [c for c in columns if c not in ("sources", "contested", "denied_by")], f"No relations{_at(when)}.")
    if data["sources"]:
        typer.echo("")
        show(data["sources"], fmt, ["id", "publisher", "published", "title"], "")


# --- membership ------------------------------------------------------------------------------------------


@app.command(rich_help_panel=LOOKUPS)
def members(
    umbrella: Annotated[str, typer.Argument(help="Name, alias or id of an umbrella.")],
    direct: Annotated[
        bool, typer.Option("--direct", help="Only direct members, not members of nested umbrellas.")
    ] = False,
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Members of an umbrella, through nested umbrellas unless --direct.

    One row per member: name, id, kind, via (the umbrellas in between), since,
    until, status, sources.

    Example: agkg members PMU --as-of 2024-06
    """
    when = as_of(date)
    with lookup() as look:
        entity = look.entity(umbrella, ("umbrella",), "`agkg members`")
        rows = look.run("members", umbrella=entity.id, direct=direct, as_of=when, support=support(planned, denied))
    columns = ["name", "id", "kind", "via", "since", "until", "status", "sources"]
    show(rows, fmt, columns, f"No members of {entity.name} in the graph{_at(when)}.")


@app.command(rich_help_panel=LOOKUPS)
def affiliations(
    name: Annotated[str, typer.Argument(help="Name, alias or id of a group or umbrella.")],
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """The chain upward from a group through member_of and part_of: umbrellas, then states.

    Rows: name, id, kind, depth (1 = direct), relation, via, since, until, status.

    Example: agkg affiliations "Kataib Hezbollah"
    """
    when = as_of(date)
    with lookup() as look:
        entity = look.entity(name, GROUPS, "`agkg affiliations`")
        rows = look.run("affiliations", id=entity.id, as_of=when, support=support(planned, denied))
    columns = ["name", "id", "kind", "depth", "relation", "via", "since", "until", "status"]
    show(rows, fmt, columns, f"{entity.name} belongs to no umbrella or state in the graph{_at(when)}.")


# --- places ------------------------------------------------------------------------------------------------


@app.command("where", rich_help_panel=LOOKUPS)
def where(
    group: Annotated[str, typer.Argument(help="Name, alias or id of a group or umbrella.")],
    direct: Annotated[
        bool, typer.Option("--direct", help="Only the group's own presence, not that of umbrellas it belongs to.")
    ] = False,
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Where a group operates, with the places that contain each one up to the state.

    Rows: place, id, kind, within, since, until, status, sources, via. Unless
    --direct, places where an umbrella of the group operates are listed too, with
    that umbrella in `via`.

    Example: agkg where "Kataib Hezbollah" --as-of 2025-01
    """
    when = as_of(date)
    with lookup() as look:
        entity = look.entity(group, GROUPS, "`agkg where`")
        rows = look.run("where", id=entity.id, direct=direct, as_of=when, support=support(planned, denied))
    columns = ["place", "id", "kind", "within", "since", "until", "status", "sources", "via"]
    show(rows, fmt, columns, f"No known place of operation for {entity.name}{_at(when)}.")


@app.command("operating-in", rich_help_panel=LOOKUPS)
def operating_in(
    place: Annotated[str, typer.Argument(help="Name, alias or id of a place or state.")],
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Groups operating in a place or anywhere located within it.

    Rows: group, id, place, since, until, status, sources.

    Example: agkg operating-in Anbar --as-of 2025-01
    """
    when = as_of(date)
    with lookup() as look:
        entity = look.entity(place, PLACES, "`agkg operating-in`")
        rows = look.run("operating-in", place=entity.id, as_of=when, support=support(planned, denied))
    columns = ["group", "id", "place", "since", "until", "status", "sources"]
    show(rows, fmt, columns, f"No group known to operate in {entity.name}{_at(when)}.")


@app.command(rich_help_panel=LOOKUPS)
def withdrawals(
    group: Annotated[str | None, typer.Option("--group", "-g", help="Only this group or umbrella.")] = None,
    place: Annotated[
        str | None, typer.Option("--from", help="Only withdrawals from this place or state, or places within it.")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Only on or after DATE.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Only on or before DATE.")] = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Who withdrew from where, and when (planned withdrawals with --include-planned).

    Rows: group, id, from, on, status, sources, contested, denied_by. Dates may be
    partial: --until 2024 means to the end of 2024.

    Example: agkg withdrawals --from Syria --since 2024-12
    """
    lo = date_bound(since, "--since", "lo")
    hi = date_bound(until, "--until", "hi")
    with lookup() as look:
        who = look.entity(group, GROUPS, "--group").id if group else None
        where_from = look.entity(place, PLACES, "--from") if place else None
        rows = look.run(
            "withdrawals",
            group=who,
            since=lo,
            until=hi,
            support=support(planned, denied),
            **{"from": where_from.id if where_from else None},
        )
    columns = ["group", "id", "from", "on", "status", "sources"]
    show(rows, fmt, columns, "No withdrawals match.")


@app.command("backed-by", rich_help_panel=LOOKUPS)
def backed_by(
    state: Annotated[str, typer.Argument(help="Name, alias or id of a state.")],
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Groups backed by a state, directly or as members of an umbrella it backs.

    Rows: group, id, via (the umbrellas through which the backing runs, empty when
    direct), since, until, status, sources.

    Example: agkg backed-by Iran
    """
    when = as_of(date)
    with lookup() as look:
        entity = look.entity(state, ("state",), "`agkg backed-by`")
        rows = look.run("backed-by", state=entity.id, as_of=when, support=support(planned, denied))
    columns = ["group", "id", "via", "since", "until", "status", "sources"]
    show(rows, fmt, columns, f"No group known to be backed by {entity.name}{_at(when)}.")


@app.command(rich_help_panel=LOOKUPS)
def border(
    state_a: Annotated[str, typer.Argument(metavar="STATE_A", help="Name, alias or id of a state.")],
    state_b: Annotated[str, typer.Argument(metavar="STATE_B", help="Name, alias or id of the other state.")],
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Groups operating in the border area of two states.

    A place is in the border area when it lies in one state and borders the other,
    itself or through a place that contains it (a strip that borders both counts
    too). Rows: group, id, place, state (where the place lies), since, until,
    status, sources.

    Example: agkg border Iraq Syria --as-of 2025-01
    """
    when = as_of(date)
    with lookup() as look:
        a = look.entity(state_a, ("state",), "`agkg border`")
        b = look.entity(state_b, ("state",), "`agkg border`")
        if a.id == b.id:
            raise fail(UsageError("`agkg border` needs two different states"))
        rows = look.run("border", state_a=a.id, state_b=b.id, as_of=when, support=support(planned, denied))
    columns = ["group", "id", "place", "state", "since", "until", "status", "sources"]
    show(rows, fmt, columns, f"No group known on the {a.name}-{b.name} border{_at(when)}.")


@app.command("co-located", rich_help_panel=LOOKUPS)
def co_located(
    group: Annotated[str, typer.Argument(help="Name, alias or id of a group or umbrella.")],
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Other groups that operate in a place where this group operates.

    Rows: group, id, places (the shared places).

    Example: agkg co-located "Pro-Iranian militias in Iraq" --as-of 2025-01
    """
    when = as_of(date)
    with lookup() as look:
        entity = look.entity(group, GROUPS, "`agkg co-located`")
        rows = look.run("co-located", id=entity.id, as_of=when, support=support(planned, denied))
    show(rows, fmt, ["group", "id", "places"], f"No other group shares a place with {entity.name}{_at(when)}.")


# --- connections and evidence ------------------------------------------------------------------------------

MAX_HOPS = 6


@app.command(rich_help_panel=LOOKUPS)
def path(
    a: Annotated[str, typer.Argument(metavar="A", help="Name, alias or id of an entity.")],
    b: Annotated[str, typer.Argument(metavar="B", help="Name, alias or id of another entity.")],
    max_hops: Annotated[
        int, typer.Option("--max-hops", min=1, max=MAX_HOPS, help="Longest connection to look for.")
    ] = 4,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """The shortest connection between two entities, over any relation in either direction.

    Only relations that a source asserts are crossed (see --include-planned and
    --include-denied). One row per step: step, from, relation, to, status; JSON adds
    from_id, to_id, direction (forward or backward), sources, contested, denied_by.
    In tables a relation followed against its direction is marked "(reversed)":
    "Iran  backed_by (reversed)  Fatimiyun" reads "Fatimiyun is backed by Iran".

    Example: agkg path "Kataib Hezbollah" Al-Qaim
    """
    with lookup() as look:
        first = look.entity(a)
        second = look.entity(b)
        if first.id == second.id:
            raise fail(UsageError(f"'{a}' and '{b}' are the same entity ({first.id})"))
        rows = look.run(
            "path", max_hops=max_hops, support=support(planned, denied), **{"from": first.id, "to": second.id}
        )
    empty = f"No connection between {first.name} and {second.name} within {max_hops} hops."
    if fmt is Format.table:
        marked = {"forward": "", "backward": " (reversed)"}
        rows = [{**r, "relation": r["relation"] + marked[r["direction"]]} for r in rows]
    show(rows, fmt, ["step", "from", "relation", "to", "status"], empty)


@app.command(rich_help_panel=LOOKUPS)
def timeline(
    name: Annotated[str, typer.Argument(help="Name, alias or id of any entity.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Every dated claim about an entity, as subject or object, in date order.

    Rows: date, what (on, since or until), subject, relation, object, status, source.

    Example: agkg timeline "Pro-Iranian militias in Iraq"
    """
    with lookup() as look:
        entity = look.entity(name)
        rows = look.run("timeline", id=entity.id)
    columns = ["date", "what", "subject", "relation", "object", "status", "source"]
    show(rows, fmt, columns, f"No dated claim about {entity.name}.")


def relation_name(text: str) -> str | None:
    """The schema relation `text` names (member_of, MEMBER_OF, member-of), or None."""
    from agkg.graph.schema import load_schema

    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    return key if key in load_schema().relations else None


@app.command(rich_help_panel=LOOKUPS)
def evidence(
    subject: Annotated[str, typer.Argument(help="Name, alias or id of the subject.")],
    relation: Annotated[
        str | None, typer.Argument(help="A relation, e.g. member_of (or the object, if no relation is given).")
    ] = None,
    obj: Annotated[str | None, typer.Argument(metavar="OBJECT", help="Name, alias or id of the object.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The claims behind a subject's relations: source, publisher, date, URL, quote, status, credibility.

    Rows: subject, relation, object, source, publisher, published, url, quote,
    status, credibility. Symmetric relations (borders, allied_with) match either
    way round.

    Example: agkg evidence "Kataib Hezbollah" member_of PMU
    """
    from agkg.graph.schema import load_schema
    from agkg.loaders.names import closest

    with lookup() as look:
        entity = look.entity(subject)
        rel = relation_name(relation) if relation else None
        if relation and rel is None:
            if obj is None and look.candidates(relation):
                obj, relation = relation, None
            else:
                hint = closest(relation.lower(), load_schema().relations)
                suffix = f"; did you mean '{hint[0]}'?" if hint else ""
                known = ", ".join(load_schema().relations)
                raise fail(UsageError(f"unknown relation '{relation}'{suffix} (relations: {known})"))
        other = look.entity(obj) if obj else None
        rows = look.run("evidence", subject=entity.id, relation=rel, object=other.id if other else None)
    columns = [
        "subject",
        "relation",
        "object",
        "source",
        "publisher",
        "published",
        "url",
        "quote",
        "status",
        "credibility",
    ]
    what = " ".join(x for x in (entity.name, rel, other.name if other else None) if x)
    show(rows, fmt, columns, f"No claim found for {what}.")


# --- search, canned and ad-hoc queries ----------------------------------------------------------------------


def search_entities(rows: Sequence[Row], text: str, limit: int, cutoff: float = 70.0) -> list[dict[str, Any]]:
    """Entities whose id, name or an alias is close to `text`, best first (one row per entity)."""
    from rapidfuzz import fuzz

    from agkg.loaders.names import normalise

    key = normalise(text)
    found: list[dict[str, Any]] = []
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
                {"id": row["id"], "name": row["name"], "kind": row["kind"], "matched": best[1], "score": round(best[0])}
            )
    found.sort(key=lambda r: (-r["score"], r["name"]))
    return found[:limit]


@app.command(rich_help_panel=LOOKUPS)
def search(
    text: Annotated[str, typer.Argument(help="Any part or spelling of a name or alias.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many results.")] = 10,
    fmt: FormatOption = Format.table,
) -> None:
    """Fuzzy search over names and aliases (any script, spelling variants, typos).

    Rows: id, name, kind, matched (the name or alias that matched), score (0-100).

    Example: agkg search hizballah
    """
    with lookup() as look:
        rows = look.run("entities")
    found = search_entities(rows, text, limit)
    show(found, fmt, ["id", "name", "kind", "matched", "score"], f"Nothing in the graph is named like '{text}'.")


def parse_params(pairs: Sequence[str] | None, query: Query | None = None) -> dict[str, Any]:
    """KEY=VALUE pairs; VALUE is a Cypher literal (true, 4, [1, 2], 'text') or else plain text.

    A parameter the query documents as a string or a date stays text, so
    `as_of=2024` is '2024', not 2024.
    """
    from agkg.queries import literal

    params: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise UsageError(f"--param '{pair}': expected KEY=VALUE")
        declared = query.param(key) if query else None
        textual = declared is not None and (
            isinstance(query.example.get(key) if query else None, str) or "YYYY" in declared.description
        )
        if textual:
            params[key] = raw
            continue
        try:
            params[key] = literal(raw)
        except (ValueError, IndexError):
            params[key] = raw
    return params


@app.command(rich_help_panel=LOOKUPS)
def query(
    name: Annotated[str | None, typer.Argument(help="A canned query (see --list).")] = None,
    params: ParamOption = None,
    list_: Annotated[bool, typer.Option("--list", "-l", help="List the canned queries and their parameters.")] = False,
    show_text: Annotated[
        bool, typer.Option("--show", help="Print the query file (header and Cypher) to paste into Neo4j Browser.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Run a canned query from queries/ by name, with parameters (ids, not names).

    Values are Cypher literals (true, 4, null, [1, 2]) or plain text.

    Example: agkg query members --param umbrella=popular-mobilization-units --param direct=true
    """
    from agkg import queries

    try:
        if list_ or name is None:
            if name is None and not list_:
                raise UsageError("name a query, or use --list to see them")
            listed = [
                {
                    "name": q.name,
                    "params": ", ".join(p.name if p.required else f"[{p.name}]" for p in q.params),
                    "description": q.description,
                }
                for q in queries.catalogue().values()
            ]
            show(listed, fmt, ["name", "params", "description"], "No canned queries.")
            return
        canned = queries.get(name)
        if show_text:
            from importlib import resources

            typer.echo(resources.files(queries).joinpath(f"{canned.name}.cypher").read_text("utf-8").rstrip())
            return
        values = parse_params(params, canned)
        with opened() as store:
            rows = queries.run(store, canned.name, values)
    except AgkgError as exc:
        raise fail(exc) from None
    show(rows, fmt, list(rows[0]) if rows else [], "No results.")


@app.command(rich_help_panel=LOOKUPS)
def cypher(
    text: Annotated[str, typer.Argument(metavar="CYPHER", help="A read-only Cypher query.")],
    params: ParamOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Run ad-hoc Cypher, read-only: the database itself refuses any write.

    Pass values as parameters ($name), never pasted into the text. A node
    comes out as {_labels, ...its properties}, a relationship as {_type,
    ...its properties}, a path as {nodes, relationships}, the same on every
    store (internal ids are left out: they differ from store to store).

    Example: agkg cypher "MATCH (e:Entity {kind: \\$kind}) RETURN e.name AS name" --param kind=state
    """
    try:
        values = parse_params(params)
        with opened() as store:
            rows = store.read(text, values)
    except AgkgError as exc:
        raise fail(exc) from None
    show(rows, fmt, list(rows[0]) if rows else [], "No results.")
