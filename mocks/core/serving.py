"""How the suite is served: one uvicorn configuration for `mocks run`, the container and `MockServer`.

uvicorn writes a response's head and its body with two `transport.write` calls, i.e. two `send()` syscalls and two
trips through the loopback TCP stack per request. `CoalescingHttpProtocol` hands uvicorn's httptools protocol a
transport that gathers what is written during one turn of the event loop and sends it with one write at the end
of that turn: a response built in one go (every mock response) leaves in one segment; a streamed one still
leaves chunk by chunk, each at the end of the turn that wrote it. Measured with `make bench` (server on one
core): about a third of the kernel time per request goes, and the Piwik PRO list serves ~14% more requests/s.

Relies on uvicorn's HttpToolsProtocol taking its transport in `connection_made` and writing only through it;
tests/core/test_serving.py fails with a clear message if an upgrade changes that.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class CoalescingTransport:
    """A transport that sends all writes of one event-loop turn as one write (see the module docstring)."""

    __slots__ = ("_transport", "_loop", "_pending")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data) if not isinstance(data, bytes) else data)

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        pending = self._pending
        if pending:
            data = pending[0] if len(pending) == 1 else b"".join(pending)
            pending.clear()
            self._transport.write(data)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()  # what was written before close() is sent, as with the plain transport
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def is_closing(self) -> bool:  # asked after every response: not through __getattr__
        return self._transport.is_closing()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._pending))

    def __getattr__(self, name: str) -> Any:  # everything else: the real transport's
        return getattr(self._transport, name)


class CoalescingHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol over a `CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]


def server_config(
    app: Any, *, host: str, port: int, log_level: str = "warning", access_log: bool = False
) -> uvicorn.Config:
    """The uvicorn configuration every way of serving the suite uses."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        lifespan="off",
        # no websockets (the mocks serve none): uvicorn would import the websockets package, whose legacy module
        # warns on import, which a project running pytest with -W error turns into a failure
        ws="none",
        http=CoalescingHttpProtocol,
        server_header=False,  # a vendor's answers do not name uvicorn
    )
