"""FalkorDB back end: embedded (a server of our own on a unix socket) or a server at falkordb://host:port."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from agkg.errors import QueryError, StoreUnavailable
from agkg.graph.cypher import schema_statements
from agkg.graph.embedded import EmbeddedServer
from agkg.graph.store import Row, map_value, node_value, path_value, relationship_value


class FalkorStore:
    backend = "falkordb"

    def __init__(self, client: Any, graph_name: str, location: str, server: EmbeddedServer | None = None) -> None:
        self._client = client
        self._graph = client.select_graph(graph_name)
        self.graph_name = graph_name
        self.location = location
        self._server = server
        self._wrote = False

    @classmethod
    def embedded(cls, directory: Path, *, graph_name: str = "agkg") -> FalkorStore:
        from falkordb import FalkorDB

        server = EmbeddedServer(directory)
        socket = server.acquire()
        try:
            client = FalkorDB(unix_socket_path=str(socket))
        except Exception as exc:
            server.release(compact=False)
            raise StoreUnavailable(f"embedded store {server.directory}: {exc}") from None
        return cls(client, graph_name, str(server.directory), server)

    @classmethod
    def connect_url(cls, url: str, *, graph_name: str = "agkg") -> FalkorStore:
        from falkordb import FalkorDB

        parsed = urlparse(url)
        try:
            client = FalkorDB(
                host=parsed.hostname or "localhost",
                port=parsed.port or 6379,
                username=parsed.username,
                password=parsed.password,
            )
            client.connection.ping()
        except Exception as exc:
            raise StoreUnavailable(f"FalkorDB at {parsed.hostname}:{parsed.port}: {exc}") from None
        return cls(client, graph_name, f"falkordb://{parsed.hostname}:{parsed.port or 6379}")

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, read_only=True)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        self._wrote = True
        return self._run(query, params, read_only=False)

    def _run(self, query: str, params: Mapping[str, Any] | None, *, read_only: bool) -> list[Row]:
        import redis

        try:
            try:
                result = self._execute(query, params, read_only=read_only)
            except redis.exceptions.ResponseError as exc:
                if "empty key" not in str(exc):
                    raise
                # Nobody has written to this graph yet: create it empty, so reads answer like on any graph.
                self._graph.query("RETURN 0")
                result = self._execute(query, params, read_only=read_only)
        except redis.exceptions.ConnectionError as exc:
            raise StoreUnavailable(f"store {self.location}: connection lost: {exc}") from None
        except redis.exceptions.ResponseError as exc:
            message = str(exc)
            if "to be executed only on read-only queries" in message:
                raise QueryError("refused: this command runs read-only queries and the query writes") from None
            raise QueryError(f"query failed: {message}") from None
        names = [column[1] for column in (result.header or [])]
        return [dict(zip(names, _plain(row), strict=True)) for row in result.result_set]

    def _execute(self, query: str, params: Mapping[str, Any] | None, *, read_only: bool) -> Any:
        if read_only:
            return self._graph.ro_query(query, dict(params or {}))
        return self._graph.query(query, dict(params or {}))

    def apply_schema(self) -> None:
        import redis

        for statement in schema_statements(self.backend):
            try:
                self._graph.query(statement)
            except redis.exceptions.ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise QueryError(f"schema statement failed: {exc}") from None

    def drop(self) -> None:
        """Delete the whole graph (tests and `agkg reset` only)."""
        import redis

        with contextlib.suppress(redis.exceptions.ResponseError):
            self._graph.delete()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._client.connection.close()
        if self._server is not None:
            self._server.release(compact=self._wrote)
            self._server = None


def _plain(row: list[Any]) -> list[Any]:
    """FalkorDB returns OrderedDicts for maps and its own Node, Edge and Path objects; hand out plain values
    (nodes, relationships and paths in the shape `agkg.graph.store.node_value` and its siblings give)."""
    return [_plain_value(v) for v in row]


def _plain_value(value: Any) -> Any:
    from falkordb import Edge, Node, Path

    if isinstance(value, dict):
        return map_value(value, _plain_value)
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, Node):
        return node_value(value.labels or [], value.properties, _plain_value)
    if isinstance(value, Edge):
        return relationship_value(value.relation, value.properties, _plain_value)
    if isinstance(value, Path):
        return path_value(value.nodes(), value.edges(), _plain_value)
    return value
