"""Neo4j back end: a Neo4j 5 server, a cluster or Aura, through the official driver.

One driver per store, created at the edge by `Neo4jStore.connect` (which `open_store`
calls); the driver pools connections and, for `neo4j://` URIs, routes: reads go to
readers and writes to the leader.

Reads run in managed read transactions (`execute_read`, access mode READ), so the
database itself refuses a query that writes. Writes run in managed write transactions
(`execute_write`), which the driver retries on transient errors.

Deadlocks: the loader writes all nodes first, then relationships, in batches sorted by
key, and every MERGE is on a key with a uniqueness constraint (schema.neo4j.cypher), so
concurrent batches take locks in the same order. agkg also runs one ingest at a time
per store (the ingest lock). Should a deadlock still happen (another client writing),
Neo4j reports it as a transient error and the managed transaction retries the batch,
which is safe because every write statement is idempotent (MERGE/SET).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from agkg.errors import QueryError, StoreUnavailable, UsageError
from agkg.graph.cypher import schema_statements
from agkg.graph.store import INDEX_BUILD_TIMEOUT, Row, SchemaPart, map_value, node_value, path_value, relationship_value

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
DROP_BATCH_SIZE = 1_000  # nodes per transaction: 10,000 hubs' relationships overran the transaction memory
READ_ONLY_REFUSED = "refused: this command runs read-only queries and the query writes"

# Deletes at most $limit nodes (and their relationships) per transaction, so that
# dropping a large graph never needs one huge transaction.
DROP_BATCH = """
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
"""

# Legacy status code (Neo4j 5) and GQL status (2025+) of "write in a read transaction".
_READ_ONLY_CODES = {"Neo.ClientError.Statement.AccessMode"}
_READ_ONLY_GQL = {"42N02"}


class Neo4jStore:
    backend = "neo4j"

    def __init__(self, driver: Driver, location: str, database: str = DEFAULT_DATABASE) -> None:
        self._driver = driver
        self.location = location
        self.database = database

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        connection_timeout: float = 10.0,
    ) -> Neo4jStore:
        """Open a driver and check that the server answers and accepts the credentials.

        `user:password@` in the URI wins over `user` and `password` (which open_store
        takes from NEO4J_USERNAME and NEO4J_PASSWORD). There is no default password.
        """
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

        # The driver logs connection failures that are reported here as one error; without
        # a handler of its own, Python's last-resort handler would print them to stderr too.
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        bare, uri_user, uri_password = split_credentials(uri)
        user = uri_user or user or DEFAULT_USER
        password = uri_password or password
        database = database or DEFAULT_DATABASE
        where = f"Neo4j at {bare}"
        if not password:
            raise StoreUnavailable(f"{where}: no password: set NEO4J_PASSWORD (or put user:password@ in the URI)")
        try:
            driver = neo4j.GraphDatabase.driver(
                bare,
                auth=(user, password),
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=connection_timeout * 2,
                user_agent="agkg",
            )
        except (ConfigurationError, ValueError) as exc:
            raise UsageError(f"store '{bare}': {_one_line(exc)}") from None
        try:
            driver.verify_connectivity()
        except AuthError:
            driver.close()
            raise StoreUnavailable(
                f"{where}: authentication failed for user '{user}': check NEO4J_USERNAME and NEO4J_PASSWORD"
            ) from None
        except ServiceUnavailable as exc:
            driver.close()
            raise StoreUnavailable(f"{where}: server unavailable ({_reason(exc)}); is it running?") from None
        except neo4j.exceptions.Neo4jError as exc:
            driver.close()
            raise StoreUnavailable(f"{where}: {_one_line(exc.message or exc)}") from None
        except neo4j.exceptions.DriverError as exc:
            driver.close()
            raise StoreUnavailable(f"{where}: {_one_line(exc)}") from None
        return cls(driver, bare, database)

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, read_only=True)

    def prepare_write(self, query: str, params: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None]:
        return query, params  # the driver encodes as it sends

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, read_only=False)

    def _run(self, query: str, params: Mapping[str, Any] | None, *, read_only: bool) -> list[Row]:
        import neo4j
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        parameters = dict(params or {})

        def work(tx: ManagedTransaction) -> list[Row]:
            result = tx.run(query, parameters)
            keys = result.keys()
            return [{key: _plain(value) for key, value in zip(keys, record.values(), strict=True)} for record in result]

        try:
            if read_only:
                with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                    return session.execute_read(work)
            with self._driver.session(database=self.database, default_access_mode=neo4j.WRITE_ACCESS) as session:
                return session.execute_write(work)
        except AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.location}: {_one_line(exc.message or exc)}") from None
        except Neo4jError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreUnavailable(
                    f"Neo4j at {self.location}: no database '{self.database}': check NEO4J_DATABASE"
                ) from None
            if read_only and (exc.code in _READ_ONLY_CODES or getattr(exc, "gql_status", None) in _READ_ONLY_GQL):
                raise QueryError(READ_ONLY_REFUSED) from None
            raise QueryError(f"query failed: {_one_line(exc.message or exc)}") from None
        except DriverError as exc:
            raise StoreUnavailable(f"Neo4j at {self.location}: connection lost ({_reason(exc)})") from None

    def apply_schema(self, part: SchemaPart = "all", *, wait: bool = True) -> None:
        # One statement per transaction: Neo4j does not mix schema commands with other work.
        statements = schema_statements(self.backend, part)
        for statement in statements:
            try:
                self.write(statement)
            except QueryError as exc:
                raise QueryError(f"schema statement failed: {exc}") from None
        if statements and wait:
            self.await_indexes()

    def await_indexes(self) -> None:
        self.write("CALL db.awaitIndexes($seconds)", {"seconds": INDEX_BUILD_TIMEOUT})

    def drop(self) -> None:
        """Delete every node and relationship, in batches (tests and `agkg reset` only).

        Constraints and indexes stay: `apply_schema` is idempotent either way.
        """
        while self.write(DROP_BATCH, {"limit": DROP_BATCH_SIZE})[0]["deleted"]:
            pass

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._driver.close()


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """(URI without user:password@, user, password): the driver takes credentials apart,
    and messages must never show a password."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri, None, None
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return bare, user, password


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _reason(exc: BaseException) -> str:
    """The useful part of the driver's multi-line connection errors (e.g. "Connection refused")."""
    text = str(exc)
    for cause in (exc.__cause__, exc.__context__):
        if cause is not None:
            text += " " + str(cause)
    for pattern in (r"\[Errno -?\d+\] ([^)\]\n]+)", r"reason[:\s]+([^)\n]+)"):
        found: list[str] = re.findall(pattern, text)
        if found:
            return found[-1].strip()
    return _one_line(exc) or type(exc).__name__


def _plain(value: Any) -> Any:
    """Driver values to plain Python: nodes, relationships and paths in the shape `agkg.graph.store.node_value`
    and its siblings give, temporal values as ISO text."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return node_value(value.labels, dict(value.items()), _plain)
    if isinstance(value, Relationship):
        return relationship_value(value.type, dict(value.items()), _plain)
    if isinstance(value, Path):
        return path_value(value.nodes, value.relationships, _plain)
    if isinstance(value, dict):
        return map_value(value, _plain)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    iso = getattr(value, "iso_format", None)  # neo4j.time Date, DateTime, Time, Duration
    if callable(iso):
        return str(iso())
    return value
