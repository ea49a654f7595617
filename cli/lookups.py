"""The analyst's lookups: one command per `Graph` lookup method, plus `query` and `cypher`.

Each command parses its options, calls the library (`agkg.Graph`) and formats the rows. Library errors
reach the one handler in `agkg.cli.main.main`. Heavy modules are imported inside the commands so that
`agkg --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agkg.cli.main import FormatOption, app, opened
from agkg.cli.output import Format, render, to_json
from agkg.errors import UsageError

if TYPE_CHECKING:
    from agkg.queries import Query
    from agkg.rows import Row

LOOKUPS = "Lookups"
MAX_HOPS = 6

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


def plain(rows: Sequence[Row]) -> list[dict[str, Any]]:
    return [row.model_dump(mode="json") for row in rows]


def show(rows: Sequence[Mapping[str, Any]], fmt: Format, columns: Sequence[str], empty: str) -> None:
    """Rows as asked; a relation some source denies is marked in its status (tables) or columns (CSV)."""
    plain_rows = [dict(r) for r in rows]
    contested = any("contested" in r for r in plain_rows)
    if fmt is Format.table:
        for row in plain_rows:
            if row.get("contested"):
                row["status"] = f"{row.get('status')} (contested)"
    elif fmt is Format.csv and contested:
        columns = [*columns, *(c for c in ("contested", "denied_by") if c not in columns)]
    typer.echo(render(plain_rows, fmt, columns, empty=empty))


def _at(date: str | None) -> str:
    """' on 2020-01-01' for --as-of 2020: the day the lookup used."""
    from agkg.lookups import date_bound

    return f" on {date_bound(date, '--as-of')}" if date else ""


# --- profile ------------------------------------------------------------------------------------------

RELATION_COLUMNS = ["relation", "name", "id", "since", "until", "on", "status", "sources", "contested", "denied_by"]


@app.command(rich_help_panel=LOOKUPS)
def profile(
    name: Annotated[str, typer.Argument(help="Name, alias or id of any entity.")],
    date: AsOfOption = None,
    planned: PlannedOption = False,
    denied: DeniedOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Everything the graph says about one entity: names, relations both ways, sources.

    JSON is one object with id, name, kind, aliases, description, then one list
    per relation and its inverse as graph/schema.yaml names them (member_of,
    members, part_of, components, operates_in, operating_here, ...), then
    sources; each relation is {name, id, since, until, on, status, sources,
    contested, denied_by}. CSV has one row per relation.

    Example: agkg profile "Kataib Hezbollah"
    """
    with opened() as graph:
        found = graph.profile(name, as_of=date, include_planned=planned, include_denied=denied)
    data = found.model_dump(mode="json")
    if fmt is Format.json:
        typer.echo(to_json(data))
        return
    flat = [
        {"relation": key, **item.model_dump(mode="json")} for key, items in found.relations().items() for item in items
    ]
    if fmt is Format.csv:
        show(flat, fmt, RELATION_COLUMNS, "")
        return
    typer.echo(f"{found.name}  ({found.kind}, id {found.id})")
    if found.aliases:
        typer.echo("aliases: " + ", ".join(found.aliases))
    if found.description:
        typer.echo(found.description)
    typer.echo("")
    show(flat, fmt, RELATION_COLUMNS[:7], f"No relations{_at(date)}.")
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
    with opened() as graph:
        rows = graph.members(umbrella, direct=direct, as_of=date, include_planned=planned, include_denied=denied)
        empty = f"No members of {graph.entity(umbrella).name} in the graph{_at(date)}." if not rows else ""
    columns = ["name", "id", "kind", "via", "since", "until", "status", "sources"]
    show(plain(rows), fmt, columns, empty)


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
    with opened() as graph:
        rows = graph.affiliations(name, as_of=date, include_planned=planned, include_denied=denied)
        who = graph.entity(name).name if not rows else ""
    columns = ["name", "id", "kind", "depth", "relation", "via", "since", "until", "status"]
    show(plain(rows), fmt, columns, f"{who} belongs to no umbrella or state in the graph{_at(date)}.")


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
    with opened() as graph:
        rows = graph.where(group, direct=direct, as_of=date, include_planned=planned, include_denied=denied)
        who = graph.entity(group).name if not rows else ""
    columns = ["place", "id", "kind", "within", "since", "until", "status", "sources", "via"]
    show(plain(rows), fmt, columns, f"No known place of operation for {who}{_at(date)}.")


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
    with opened() as graph:
        rows = graph.operating_in(place, as_of=date, include_planned=planned, include_denied=denied)
        what = graph.entity(place).name if not rows else ""
    columns = ["group", "id", "place", "since", "until", "status", "sources"]
    show(plain(rows), fmt, columns, f"No group known to operate in {what}{_at(date)}.")


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
    with opened() as graph:
        rows = graph.withdrawals(
            group=group, from_=place, since=since, until=until, include_planned=planned, include_denied=denied
        )
    columns = ["group", "id", "from", "on", "status", "sources"]
    show(plain(rows), fmt, columns, "No withdrawals match.")


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
    with opened() as graph:
        rows = graph.backed_by(state, as_of=date, include_planned=planned, include_denied=denied)
        who = graph.entity(state).name if not rows else ""
    columns = ["group", "id", "via", "since", "until", "status", "sources"]
    show(plain(rows), fmt, columns, f"No group known to be backed by {who}{_at(date)}.")


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
    with opened() as graph:
        rows = graph.border(state_a, state_b, as_of=date, include_planned=planned, include_denied=denied)
        pair = f"{graph.entity(state_a).name}-{graph.entity(state_b).name}" if not rows else ""
    columns = ["group", "id", "place", "state", "since", "until", "status", "sources"]
    show(plain(rows), fmt, columns, f"No group known on the {pair} border{_at(date)}.")


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
    with opened() as graph:
        rows = graph.co_located(group, as_of=date, include_planned=planned, include_denied=denied)
        who = graph.entity(group).name if not rows else ""
    show(plain(rows), fmt, ["group", "id", "places"], f"No other group shares a place with {who}{_at(date)}.")


# --- connections and evidence ------------------------------------------------------------------------------


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
    with opened() as graph:
        steps = plain(graph.path(a, b, max_hops=max_hops, include_planned=planned, include_denied=denied))
        ends = f"{graph.entity(a).name} and {graph.entity(b).name}" if not steps else ""
    if fmt is Format.table:
        marked = {"forward": "", "backward": " (reversed)"}
        steps = [{**s, "relation": s["relation"] + marked[s["direction"]]} for s in steps]
    show(
        steps,
        fmt,
        ["step", "from", "relation", "to", "status"],
        f"No connection between {ends} within {max_hops} hops.",
    )


@app.command(rich_help_panel=LOOKUPS)
def timeline(
    name: Annotated[str, typer.Argument(help="Name, alias or id of any entity.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Every dated claim about an entity, as subject or object, in date order.

    Rows: date, what (on, since or until), subject, relation, object, status, source.

    Example: agkg timeline "Pro-Iranian militias in Iraq"
    """
    with opened() as graph:
        rows = graph.timeline(name)
        who = graph.entity(name).name if not rows else ""
    columns = ["date", "what", "subject", "relation", "object", "status", "source"]
    show(plain(rows), fmt, columns, f"No dated claim about {who}.")


@app.command(rich_help_panel=LOOKUPS)
def evidence(
    subject: Annotated[str, typer.Argument(help="Name, alias or id of the subject.")],
    relation: Annotated[
        str | None, typer.Argument(help="A relation, e.g. member_of (or the object, if no relation is given).")
    ] = None,
    obj: Annotated[str | None, typer.Argument(metavar="OBJECT", help="Name, alias or id of the object.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The claims behind a subject's relations: each claim's status, dates, source, quote and note.

    Every claim is listed, denials and announcements included, each with its own
    status and dates; quotes are shown whole. Table: subject, relation, object,
    status, since, until, on, source, published, quote, note; JSON and CSV add
    publisher, url and credibility. Symmetric relations (borders, allied_with)
    match either way round.

    Example: agkg evidence "Kataib Hezbollah" member_of PMU
    """
    with opened() as graph:
        rows = graph.evidence(subject, relation, obj)
        if rows:
            what = ""
        else:
            from agkg.lookups import relation_name

            rel = relation_name(relation) if relation else None
            object_name = obj if rel or obj else relation  # a relation that is no relation names the object
            what = " ".join(
                x
                for x in (graph.entity(subject).name, rel, graph.entity(object_name).name if object_name else None)
                if x
            )
    columns = ["subject", "relation", "object", "status", "since", "until", "on", "source", "published", "quote"]
    columns += ["note"]
    found = plain(rows)
    if fmt is Format.csv and found:
        columns = list(found[0])  # every field, as in JSON
    show(found, fmt, columns, f"No claim found for {what}.")


# --- search, canned and ad-hoc queries ----------------------------------------------------------------------


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
    with opened() as graph:
        found = graph.search(text, limit)
    empty = f"Nothing in the graph is named like '{text}'."
    show(plain(found), fmt, ["id", "name", "kind", "matched", "score"], empty)


def parse_params(pairs: Sequence[str] | None, query: Query | None = None) -> dict[str, Any]:
    """KEY=VALUE pairs, typed as the query's header declares them (`agkg.queries.typed`); for ad-hoc
    Cypher, VALUE is a Cypher literal (true, 4, [1, 2], 'text') or else plain text."""
    from agkg.queries import literal, typed

    params: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise UsageError(f"--param '{pair}': expected KEY=VALUE")
        declared = query.param(key) if query else None
        if declared is not None:
            params[key] = typed(declared, raw)
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
    """Run a canned query from queries/ by name, with parameters.

    Values are typed as the query's header declares them; entity parameters take
    a name, an alias or an id.

    Example: agkg query members --param umbrella=PMU --param direct=true
    """
    from agkg import queries

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
    with opened() as graph:
        rows = graph.query(canned.name, **values)
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
    values = parse_params(params)
    with opened() as graph:
        rows = graph.cypher(text, **values)
    show(rows, fmt, list(rows[0]) if rows else [], "No results.")
