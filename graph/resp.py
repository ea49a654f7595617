"""A small RESP client for the embedded store's unix socket.

redis-py (which the `falkordb` client wraps, and which imports `redis.asyncio` with it) costs ~100 ms of
import on every call of the command line; a socket, hiredis's C reply parser and `pack_command` cost ~1 ms.
One connection serves one caller at a time; `Pool` hands each thread a connection of its own.
"""

from __future__ import annotations

import socket
from typing import Any

import hiredis

RECV_SIZE = 1 << 16


class ReplyError(Exception):
    """The server answered with an error; str() is its message."""


class ConnectionLost(Exception):
    """The socket could not be opened, or broke, or closed before the reply was whole."""


class Connection:
    def __init__(self, path: str, *, timeout: float | None = None) -> None:
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        try:
            self._sock.connect(path)
        except OSError as exc:
            self._sock.close()
            raise ConnectionLost(f"cannot connect to {path}: {exc.strerror or exc}") from None
        # Strings decoded as the falkordb client decodes them (utf-8, strict); error replies inside an array
        # (FalkorDB's run-time errors) come back as hiredis.ReplyError values, not exceptions.
        self._reader = hiredis.Reader(encoding="utf-8")

    def call(self, *args: str | bytes | int | float) -> Any:
        """Send one command and return its reply; an error reply is raised as `ReplyError`."""
        try:
            self._sock.sendall(hiredis.pack_command(args))  # type: ignore[arg-type]  # its stub says a 1-tuple
            reply = self._reader.gets()
            while reply is False:
                data = self._sock.recv(RECV_SIZE)
                if not data:
                    raise ConnectionLost("the server closed the connection")
                self._reader.feed(data)
                reply = self._reader.gets()
        except OSError as exc:
            raise ConnectionLost(str(exc) or type(exc).__name__) from None
        except hiredis.ProtocolError as exc:
            raise ConnectionLost(f"protocol error: {exc}") from None
        if isinstance(reply, hiredis.ReplyError):
            raise ReplyError(str(reply))
        return reply

    def close(self) -> None:
        self._sock.close()


class Pool:
    """Connections to one socket, opened on demand and reused; a broken one is dropped, not reused."""

    def __init__(self, path: str, *, timeout: float | None = None) -> None:
        self.path = path
        self._timeout = timeout
        self._idle: list[Connection] = []  # list.pop/append are atomic: threads share the pool without a lock

    def call(self, *args: str | bytes | int | float) -> Any:
        try:
            connection = self._idle.pop()
        except IndexError:
            connection = Connection(self.path, timeout=self._timeout)
        try:
            reply = connection.call(*args)
        except ReplyError:
            self._idle.append(connection)
            raise
        except BaseException:
            connection.close()
            raise
        self._idle.append(connection)
        return reply

    def close(self) -> None:
        while self._idle:
            self._idle.pop().close()


def ping(path: str, *, timeout: float = 60.0) -> bool:
    """Whether a server answers PING on the socket (one still loading its data answers with an error)."""
    try:
        connection = Connection(path, timeout=timeout)
    except ConnectionLost:
        return False
    try:
        return bool(connection.call("PING") == "PONG")
    except (ConnectionLost, ReplyError):
        return False
    finally:
        connection.close()
