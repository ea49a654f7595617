"""FalkorDB's query protocol over `agkg.graph.resp`, without the `falkordb` client.

Parameters travel as the protocol's own parameters: a `CYPHER name=value …` header before the query text,
each value written exactly as the falkordb client's encoder writes it (`falkordb.helpers`; a test compares
the two). Replies are asked for in the compact format and decoded into the plain values every back end
hands out (`agkg.graph.store`: maps with sorted keys, nodes, relationships and paths as dicts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from agkg.graph.resp import Pool, ReplyError
from agkg.graph.store import Row, map_value, node_value, path_value, relationship_value

# --- parameters, as the falkordb client encodes them -------------------------------------------------------


def quote_string(value: str) -> str:
    if "\\" in value or '"' in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f'"{value}"'


# A load sends ~100 MB of rows through here: pieces appended to one list and joined once, map keys checked
# once per name, strings without a quote or backslash written as they are.
_MAP_KEYS: dict[str, str] = {}


def _map_key(key: object) -> str:
    if type(key) is not str:  # 1 == True: only exact strings are cached
        return f"`{_identifier(key, 'map key')}`:"
    text = _MAP_KEYS.get(key)
    if text is None:
        text = f"`{_identifier(key, 'map key')}`:"
        if len(_MAP_KEYS) < 4096:
            _MAP_KEYS[key] = text
    return text


def _encode(value: Any, out: list[str]) -> None:
    """One parameter's value in the header (falkordb.helpers.stringify_param_value), appended to `out`."""
    kind = type(value)
    if kind is str:
        out.append(f'"{value}"' if "\\" not in value and '"' not in value else quote_string(value))
    elif value is None:
        out.append("null")
    elif kind is dict or isinstance(value, dict):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_map_key(key))
            _encode(item, out)
        out.append("}")
    elif kind is list or kind is tuple or isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif isinstance(value, str):
        out.append(quote_string(value))
    else:
        out.append(str(value))


def _identifier(key: object, what: str) -> str:
    """A backtick-quoted name as the falkordb client checks it (same messages)."""
    name = key.decode() if isinstance(key, bytes) else str(key)
    if name == "":
        raise ValueError(f"Cypher {what} cannot be empty")
    if "`" in name:
        raise ValueError(
            f"Cypher {what} cannot contain a backtick: {name!r} (FalkorDB does not support escaped "
            "backticks in identifiers)"
        )
    return name


def params_header(params: Mapping[str, Any] | None) -> str:
    """`CYPHER \\`name\\`=value … ` (falkordb.Graph._build_params_header); empty without parameters."""
    if params is None:
        return ""
    out = ["CYPHER "]
    for key, value in params.items():
        out.append(f"`{_identifier(key, 'parameter name')}`=")
        _encode(value, out)
        out.append(" ")
    return "".join(out)


# --- compact replies ---------------------------------------------------------------------------------------

# FalkorDB's scalar types in compact replies (falkordb.query_result.ResultSetScalarTypes).
UNKNOWN, NULL, STRING, INTEGER, BOOLEAN, DOUBLE, ARRAY, EDGE, NODE, PATH, MAP, POINT, VECTORF32 = range(13)
DATETIME, DATE, TIME, DURATION = range(13, 17)


class GraphSchema:
    """Label, relationship type and property names by id: compact replies name them by number."""

    def __init__(self, procedure: Callable[[str], list[str]]) -> None:
        self._procedure = procedure
        self._names: dict[str, list[str]] = {}

    def name(self, kind: str, index: int) -> str:
        names = self._names.get(kind)
        if names is None or index >= len(names):
            names = self._names[kind] = self._procedure(kind)
        return names[index]


def decode(cell: list[Any], schema: GraphSchema) -> Any:
    """One `[type, value]` cell as a plain value (the same as the falkordb client's value made plain)."""
    kind, value = int(cell[0]), cell[1]
    if kind == STRING:
        return value if isinstance(value, str) else str(value)
    if kind == INTEGER:
        return int(value)
    if kind == NULL:
        return None
    if kind == BOOLEAN:
        return value == "true"
    if kind == DOUBLE:
        return float(value)
    if kind == ARRAY:
        return [decode(item, schema) for item in value]
    if kind == MAP:
        return map_value({str(value[i]): decode(value[i + 1], schema) for i in range(0, len(value), 2)}, _same)
    if kind == NODE:
        labels = [schema.name("labels", int(i)) for i in value[1]]
        return node_value([x for x in labels if isinstance(x, str) and x], _properties(value[2], schema), _same)
    if kind == EDGE:
        return relationship_value(schema.name("relationshipTypes", int(value[1])), _properties(value[4], schema), _same)
    if kind == PATH:
        return path_value(decode(value[0], schema), decode(value[1], schema), _same)
    if kind == POINT:
        return {"latitude": float(value[0]), "longitude": float(value[1])}
    if kind == VECTORF32:
        return [float(v) for v in value]
    if kind in (DATETIME, DATE, TIME, DURATION):
        return _temporal(kind, value)
    return None  # an unknown type: the falkordb client gives None too


def _same(value: Any) -> Any:
    return value


def _properties(props: list[list[Any]], schema: GraphSchema) -> dict[str, Any]:
    return {schema.name("propertyKeys", int(p[0])): decode(p[1:], schema) for p in props}


def _temporal(kind: int, value: Any) -> Any:
    from datetime import UTC, datetime

    moment = datetime.fromtimestamp(value, tz=UTC)
    if kind == DATETIME:
        return moment
    if kind == DATE:
        return moment.date()
    if kind == TIME:
        return moment.time()
    from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

    return relativedelta(moment, datetime(1970, 1, 1, tzinfo=UTC))


class WireGraph:
    """One named graph on the embedded server, queried over a pool of unix-socket connections."""

    def __init__(self, pool: Pool, name: str) -> None:
        self.pool = pool
        self.name = name
        self.schema = GraphSchema(self._names)

    def query(self, text: str, params: Mapping[str, Any] | None = None, *, read_only: bool = False) -> list[Row]:
        """Rows of `text` run with `params` (GRAPH.RO_QUERY when `read_only`); a server error is `ReplyError`."""
        command = "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY"
        reply = self.pool.call(command, self.name, params_header(params) + text, "--compact")
        if isinstance(reply[-1], Exception):  # a run-time error ends the reply
            raise ReplyError(str(reply[-1]))
        if len(reply) == 1 or not reply[0]:  # statistics only
            return []
        names = [column[1] for column in reply[0]]
        return [dict(zip(names, [decode(c, self.schema) for c in row], strict=True)) for row in reply[1]]

    def _names(self, kind: str) -> list[str]:
        return [str(next(iter(row.values()))) for row in self.query(f"CALL db.{kind}()", read_only=True)]

    def delete(self) -> None:
        self.pool.call("GRAPH.DELETE", self.name)
