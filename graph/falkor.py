"""FalkorDB back end: embedded (a server of our own on a unix socket) or a server at falkordb://host:port.

The embedded store is queried over agkg's own small client (`agkg.graph.falkor_wire`: the protocol's
parameters, compact replies), so that a command does not import redis-py and the `falkordb` client (~100 ms
per call); a server at falkordb://host:port goes through the `falkordb` client, which also knows clusters
and sentinels. Both hand out the same plain values.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from agkg.errors import QueryError, StoreUnavailable
from agkg.graph.embedded import EmbeddedServer
from agkg.graph.resp import ConnectionLost, ReplyError
from agkg.graph.store import INDEX_BUILD_TIMEOUT, Row, SchemaPart, map_value, node_value, path_value, relationship_value

# FalkorDB's own procedure (Neo4j lists indexes with SHOW INDEXES), sent as apply_schema sends its statements.
INDEX_STATES = "CALL db.indexes() YIELD status RETURN status"


class GraphClient(Protocol):
    """One named graph of a FalkorDB server. Errors: `ReplyError` (the server's), `ConnectionLost`."""

    def query(self, text: str, params: Mapping[str, Any] | None = None, *, read_only: bool = False) -> list[Row]: ...

    def delete(self) -> None: ...

    def close(self) -> None: ...


class EncodedParams(Mapping[str, Any]):
    """Parameters already encoded as FalkorDB's `CYPHER name=value …` header (FalkorStore.prepare_write).

    As a mapping it is empty: the values are only in the header, which `write` puts before the query."""

    __slots__ = ("header",)

    def __init__(self, header: str) -> None:
        self.header = header

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class FalkorStore:
    backend = "falkordb"

    def __init__(
        self, client: GraphClient, graph_name: str, location: str, server: EmbeddedServer | None = None
    ) -> None:
        self._graph_client = client
        self.graph_name = graph_name
        self.location = location
        self._server = server
        self._wrote = False
        self._falkordb: Any = None

    @classmethod
    def embedded(cls, directory: Path, *, graph_name: str = "agkg") -> FalkorStore:
        server = EmbeddedServer(directory)
        socket = server.acquire()
        return cls(_WireClient(str(socket), graph_name), graph_name, str(server.directory), server)

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
        return cls(_ServerClient(client, graph_name), graph_name, f"falkordb://{parsed.hostname}:{parsed.port or 6379}")

    @property
    def _client(self) -> Any:
        """The `falkordb` client on the same server, for benchmarks that read FalkorDB's own statistics."""
        if isinstance(self._graph_client, _ServerClient):
            return self._graph_client.client
        if self._falkordb is None:
            from falkordb import FalkorDB

            assert isinstance(self._graph_client, _WireClient)
            self._falkordb = FalkorDB(unix_socket_path=self._graph_client.graph.pool.path)
        return self._falkordb

    @property
    def _graph(self) -> Any:
        """The `falkordb` Graph of this store (see `_client`)."""
        return self._client.select_graph(self.graph_name)

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, read_only=True)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        self._wrote = True
        return self._run(query, params, read_only=False)

    def prepare_write(self, query: str, params: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None]:
        from agkg.graph.falkor_wire import params_header

        # FalkorDB takes parameters as a `CYPHER name=value …` header on the query, which its clients (this one
        # and the `falkordb` package) encode before sending; encoded here, on the caller's thread. The query
        # stays as given (what a statement is, for whoever reads it), the header travels as the parameters.
        return query, EncodedParams(params_header(params))

    def _run(self, query: str, params: Mapping[str, Any] | None, *, read_only: bool) -> list[Row]:
        client = self._graph_client
        if isinstance(params, EncodedParams):
            query, params = params.header + query, None
        else:
            params = dict(params or {})
        try:
            try:
                return client.query(query, params, read_only=read_only)
            except ReplyError as exc:
                if "empty key" not in str(exc):
                    raise
                # Nobody has written to this graph yet: create it empty, so reads answer like on any graph.
                client.query("RETURN 0")
                return client.query(query, params, read_only=read_only)
        except ConnectionLost as exc:
            raise StoreUnavailable(f"store {self.location}: connection lost: {exc}") from None
        except ReplyError as exc:
            message = str(exc)
            if "to be executed only on read-only queries" in message:
                raise QueryError("refused: this command runs read-only queries and the query writes") from None
            raise QueryError(f"query failed: {message}") from None

    def apply_schema(self, part: SchemaPart = "all", *, wait: bool = True) -> None:
        from agkg.graph.cypher import schema_statements  # it reads the schema: not for a lookup's start-up

        for statement in schema_statements(self.backend, part):
            try:
                self._graph_client.query(statement)
            except ReplyError as exc:
                if "already indexed" not in str(exc):
                    raise QueryError(f"schema statement failed: {exc}") from None
        if wait:
            self.await_indexes()

    def await_indexes(self) -> None:
        # An index created over existing nodes is built in the background (also the claims' indexes after a
        # start of the embedded store, graph/embedded.py); a load relies on them once this returns.
        deadline = time.monotonic() + INDEX_BUILD_TIMEOUT
        while any(r["status"] != "OPERATIONAL" for r in self._graph_client.query(INDEX_STATES, read_only=True)):
            if time.monotonic() > deadline:
                raise QueryError(f"indexes still being built after {INDEX_BUILD_TIMEOUT:g} s")
            time.sleep(0.01)

    def drop(self) -> None:
        """Delete the whole graph (tests and `agkg reset` only)."""
        with contextlib.suppress(ReplyError):
            self._graph_client.delete()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._graph_client.close()
        if self._falkordb is not None:
            with contextlib.suppress(Exception):
                self._falkordb.connection.close()
            self._falkordb = None
        if self._server is not None:
            self._server.release(compact=self._wrote)
            self._server = None


class _WireClient:
    """The embedded server, over agkg's own unix-socket client."""

    def __init__(self, socket: str, graph_name: str) -> None:
        from agkg.graph.falkor_wire import WireGraph
        from agkg.graph.resp import Pool

        self.graph = WireGraph(Pool(socket), graph_name)

    def query(self, text: str, params: Mapping[str, Any] | None = None, *, read_only: bool = False) -> list[Row]:
        return self.graph.query(text, params, read_only=read_only)

    def delete(self) -> None:
        self.graph.delete()

    def close(self) -> None:
        self.graph.pool.close()


class _ServerClient:
    """A FalkorDB server, through the `falkordb` client (redis-py underneath)."""

    def __init__(self, client: Any, graph_name: str) -> None:
        self.client = client
        self.graph = client.select_graph(graph_name)

    def query(self, text: str, params: Mapping[str, Any] | None = None, *, read_only: bool = False) -> list[Row]:
        import redis

        try:
            result = self.graph.ro_query(text, params) if read_only else self.graph.query(text, params)
        except redis.exceptions.ConnectionError as exc:
            raise ConnectionLost(str(exc)) from None
        except redis.exceptions.ResponseError as exc:
            raise ReplyError(str(exc)) from None
        names = [column[1] for column in (result.header or [])]
        return [dict(zip(names, _plain(row), strict=True)) for row in result.result_set]

    def delete(self) -> None:
        import redis

        try:
            self.graph.delete()
        except redis.exceptions.ResponseError as exc:
            raise ReplyError(str(exc)) from None

    def close(self) -> None:
        self.client.connection.close()


def _plain(row: list[Any]) -> list[Any]:
    """The falkordb client returns OrderedDicts for maps and its own Node, Edge and Path objects; hand out plain
    values (nodes, relationships and paths in the shape `agkg.graph.store.node_value` and its siblings give)."""
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
