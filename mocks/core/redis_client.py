"""A lean Redis client for the shared store: RESP over one asyncio connection, auto-pipelined.

Every command issued in one event-loop turn leaves in one write; replies are parsed by hiredis (C) and handed
back in order. Why not redis-py: one EVALSHA costs its asyncio client 42 µs of CPU against 4 µs here, measured
from 16 concurrent tasks by bench/redis_cost.py (docs/design/redis-scale-out.md, section 6a), and the mock's whole
in-process request costs about 27 µs.

`Redis` reconnects on its own: after a lost connection each call fails at once with `RedisUnavailable` (the caller
answers its vendor's 503) until a new connection is made, tried at most every `retry_after` seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import select
import socket
import time
from collections import deque
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import hiredis

DEFAULT_PORT = 6379
Arg = str | bytes | int | float  # what a command's arguments may be


class RedisUnavailable(ConnectionError):
    """Redis cannot be reached: not at connect time, or the connection was lost."""


class RedisReplyError(Exception):
    """Redis answered a command with an error reply (a wrong type, a script error...)."""


@dataclass(frozen=True)
class RedisAddress:
    host: str
    port: int = DEFAULT_PORT
    db: int = 0
    username: str | None = None
    password: str | None = None

    def __str__(self) -> str:
        return f"redis://{self.host}:{self.port}/{self.db}"


def parse_store_url(url: str) -> RedisAddress:
    """`redis://[user:password@]host[:port][/db]`, or ValueError saying what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme != "redis":
        raise ValueError(f"store URL {url!r}: the scheme must be redis://")
    if not parts.hostname:
        raise ValueError(f"store URL {url!r}: no host")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise ValueError(f"store URL {url!r}: the port must be a number from 1 to 65535") from None
    db_text = parts.path.strip("/") or "0"
    if not db_text.isdigit():
        raise ValueError(f"store URL {url!r}: the database must be a number (redis://host:port/0)")
    if parts.query or parts.fragment:
        raise ValueError(f"store URL {url!r}: no query or fragment is understood")
    return RedisAddress(
        parts.hostname,
        port,
        int(db_text),
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
    )


class RedisConnection(asyncio.Protocol):
    """One connection. `call` returns a future at once; the commands of one loop turn are written together."""

    def __init__(self, address: RedisAddress) -> None:
        self.address = address
        self._reader = hiredis.Reader()
        self._waiting: deque[asyncio.Future] = deque()
        self._outgoing: list[bytes] = []
        self._transport: asyncio.Transport | None = None
        self.lost: Exception | None = None

    @classmethod
    async def open(cls, address: RedisAddress, *, timeout: float = 2.0) -> RedisConnection:
        """A ready connection (authenticated, its database selected), or RedisUnavailable in one line."""
        loop = asyncio.get_running_loop()
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(lambda: cls(address), address.host, address.port), timeout
            )
        except (OSError, TimeoutError) as error:
            reason = str(error) or type(error).__name__
            raise RedisUnavailable(f"Redis at {address.host}:{address.port} is unreachable: {reason}") from None
        try:
            if address.password is not None:
                credentials = [address.username, address.password] if address.username else [address.password]
                await asyncio.wait_for(connection.call("AUTH", *credentials), timeout)
            if address.db:
                await asyncio.wait_for(connection.call("SELECT", str(address.db)), timeout)
        except RedisReplyError as error:
            connection.close()
            raise RedisUnavailable(f"Redis at {address.host}:{address.port} refused the connection: {error}") from None
        except TimeoutError:
            connection.close()
            raise RedisUnavailable(f"Redis at {address.host}:{address.port} did not answer in {timeout} s") from None
        return connection

    @property
    def usable(self) -> bool:
        return self.lost is None and self._transport is not None and not self._transport.is_closing()

    def call(self, *parts: str | bytes | int | float) -> asyncio.Future:
        """Send one command; the future holds its reply (bytes, int, list, None) or raises."""
        if not self.usable:
            raise RedisUnavailable(f"the connection to Redis at {self.address.host}:{self.address.port} was lost")
        loop = asyncio.get_running_loop()
        if not self._outgoing:
            loop.call_soon(self._flush)
        self._outgoing.append(hiredis.pack_command(parts))  # type: ignore[arg-type]  # its stub allows 1-tuples only
        future = loop.create_future()
        self._waiting.append(future)
        return future

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    # -- asyncio.Protocol -------------------------------------------------------------------
    def connection_made(self, transport: Any) -> None:
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._reader.feed(data)
        while (reply := self._reader.gets()) is not False:
            future = self._waiting.popleft()
            if future.done():  # its caller was cancelled: the reply is dropped, the order kept
                continue
            if isinstance(reply, hiredis.ReplyError):
                future.set_exception(RedisReplyError(str(reply)))
            else:
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = exc or RedisUnavailable("Redis closed the connection")
        self._outgoing.clear()
        where = f"{self.address.host}:{self.address.port}"
        while self._waiting:
            future = self._waiting.popleft()
            if not future.done():
                future.set_exception(RedisUnavailable(f"the connection to Redis at {where} was lost"))

    def _flush(self) -> None:
        if self._outgoing and self.usable:
            assert self._transport is not None
            self._transport.write(b"".join(self._outgoing))
        self._outgoing.clear()


class Redis:
    """A connection that comes back: calls fail fast with RedisUnavailable while Redis is away."""

    def __init__(self, address: RedisAddress, *, timeout: float = 2.0, retry_after: float = 0.5) -> None:
        self.address = address
        self.timeout = timeout
        self.retry_after = retry_after
        self._connection: RedisConnection | None = None
        self._next_try = 0.0

    async def connect(self) -> None:
        """Connect now (at start: RedisUnavailable means refuse to start)."""
        self._connection = await RedisConnection.open(self.address, timeout=self.timeout)

    def call(self, *parts: str | bytes | int | float) -> Awaitable[Any]:
        connection = self._connection
        if connection is not None and connection.usable:
            return connection.call(*parts)
        return self._reconnected_call(parts)

    async def _reconnected_call(self, parts: tuple) -> Any:
        now = time.monotonic()
        if now < self._next_try:
            raise RedisUnavailable(f"Redis at {self.address.host}:{self.address.port} is unavailable")
        self._next_try = now + self.retry_after
        await self.connect()
        assert self._connection is not None
        return await self._connection.call(*parts)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class BlockingRedis:
    """One plain-socket connection for the calls that must finish before the caller goes on: the commit of a
    world transaction runs inside synchronous store code (core/store.py `World.on_commit`), so it cannot await.
    It blocks the event loop for one round trip (about 50 µs on loopback), paid by writes only. Reconnects on the
    next call after a lost connection, at most every `retry_after` seconds."""

    def __init__(self, address: RedisAddress, *, timeout: float = 2.0, retry_after: float = 0.5) -> None:
        self.address = address
        self.timeout = timeout
        self.retry_after = retry_after
        self._socket: socket.socket | None = None
        self._reader = hiredis.Reader()
        self._next_try = 0.0

    def _where(self) -> str:
        return f"{self.address.host}:{self.address.port}"

    def _connect(self) -> socket.socket:
        now = time.monotonic()
        if now < self._next_try:
            raise RedisUnavailable(f"Redis at {self._where()} is unavailable")
        try:
            sock = socket.create_connection((self.address.host, self.address.port), self.timeout)
        except OSError as error:
            self._next_try = now + self.retry_after  # the next calls fail at once for a while
            raise RedisUnavailable(f"Redis at {self._where()} is unreachable: {error}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket, self._reader = sock, hiredis.Reader()
        try:
            if self.address.password is not None:
                credentials = [self.address.username, self.address.password]
                self._call_on(sock, "AUTH", *(c for c in credentials if c is not None))
            if self.address.db:
                self._call_on(sock, "SELECT", str(self.address.db))
        except RedisReplyError as error:
            self.close()
            raise RedisUnavailable(f"Redis at {self._where()} refused the connection: {error}") from None
        return sock

    def call(self, *parts: str | bytes | int | float) -> Any:
        """Send one command and wait for its reply (RedisReplyError for an error reply)."""
        sock = self._socket if self._socket is not None and self._open(self._socket) else self._connect()
        return self._call_on(sock, *parts)

    def _open(self, sock: socket.socket) -> bool:
        """Whether this idle connection is still good. Between calls Redis sends nothing, so anything to read means
        it closed the connection (a restart: EOF) or the stream is out of step; either way a new connection is
        made. Checked before sending, so a command never goes down a connection already gone (where its fate
        would be unknown). `select` with no wait: the socket's own timeout would make a peek wait."""
        if select.select([sock], [], [], 0)[0]:
            self.close()
            return False
        return True

    def _call_on(self, sock: socket.socket, *parts: str | bytes | int | float) -> Any:
        try:
            sock.sendall(hiredis.pack_command(parts))  # type: ignore[arg-type]
            while (reply := self._reader.gets()) is False:
                data = sock.recv(65536)
                if not data:
                    raise ConnectionError("Redis closed the connection")
                self._reader.feed(data)
        except OSError as error:  # a timeout, a reset: the reply (if any) is lost with the connection
            self.close()
            raise RedisUnavailable(f"the connection to Redis at {self._where()} was lost: {error}") from None
        if isinstance(reply, hiredis.ReplyError):
            raise RedisReplyError(str(reply))
        return reply

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


class Script:
    """A Lua script, sent by its SHA1 (EVALSHA) and in full only when Redis does not know it yet (NOSCRIPT: a
    first call, or a Redis that restarted)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()

    async def run(self, redis: Redis, keys: list[str], args: list[Arg]) -> Any:
        try:
            return await redis.call("EVALSHA", self.sha, len(keys), *keys, *args)
        except RedisReplyError as error:
            if not str(error).startswith("NOSCRIPT"):
                raise
        return await redis.call("EVAL", self.source, len(keys), *keys, *args)

    def run_blocking(self, redis: BlockingRedis, keys: list[str], args: list[Arg]) -> Any:
        try:
            return redis.call("EVALSHA", self.sha, len(keys), *keys, *args)
        except RedisReplyError as error:
            if not str(error).startswith("NOSCRIPT"):
                raise
        return redis.call("EVAL", self.source, len(keys), *keys, *args)
