"""Connection-breaking faults (a fault's `drop`, see core/faults.py), as WireMock's Fault enum offers them.

ASGI has no way to say "close the socket now" or "send bytes that are not HTTP", so this reaches the
connection through the server: under uvicorn the `send` callable is a method of the request-response cycle,
which holds the asyncio transport. The cycle is then marked disconnected, so uvicorn neither adds a 500 of
its own nor logs an error. Under another server, a drop falls back to raising after what could be sent
(servers close the connection on an exception once a response has started).
"""

from __future__ import annotations

import socket
import struct

from .serialization import dumps

_PLACEHOLDER = {"mock": "this answer was cut off by an injected fault", "padding": "x" * 200}


class ConnectionDropped(Exception):
    """Raised when a drop cannot reach the connection itself."""


def _cycle(send):
    cycle = getattr(send, "__self__", None)  # uvicorn's RequestResponseCycle.send
    return cycle if getattr(cycle, "transport", None) is not None else None


def _close(cycle, *, reset: bool = False) -> None:
    transport = cycle.transport
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:  # SO_LINGER on, 0 seconds: close() sends RST instead of FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
    cycle.disconnected = True


async def drop_connection(kind: str, body, send, inner_send) -> None:
    """Break the exchange: `send` is the request path's (journalled) send, `inner_send` the server's."""
    cycle = _cycle(inner_send)
    if kind in ("empty_reply", "reset"):
        if cycle is None:
            raise ConnectionDropped(kind)
        _close(cycle, reset=kind == "reset")
        return
    payload = dumps(_PLACEHOLDER if body is None else body)
    headers = [(b"content-type", b"application/json")]
    if kind == "truncate":
        headers.append((b"content-length", str(len(payload)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": payload[: len(payload) // 2], "more_body": True})
    if cycle is None:
        raise ConnectionDropped(kind)
    if kind == "bad_chunk":  # uvicorn sent the half as one chunk (no Content-Length): now a size that is not hex
        cycle.transport.write(b"zz\r\n" + payload[len(payload) // 2 :] + b"\r\n")
    _close(cycle)
