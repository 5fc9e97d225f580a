"""mocks/core/serving.py: one write per response, and what it relies on in uvicorn.

The protocol tests drive uvicorn's real httptools protocol (the one `mocks run`, the container and MockServer use)
over a recording transport, so they see exactly the writes a socket would; the last tests go over a real socket.
"""

from __future__ import annotations

import asyncio
import inspect
import socket

from uvicorn.protocols.http import httptools_impl
from uvicorn.server import ServerState

from mocks.core.serving import CoalescingHttpProtocol, CoalescingTransport, server_config


class RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def is_closing(self) -> bool:
        return self.closed

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name, default=None):
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 5000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _turn() -> None:
    await asyncio.sleep(0)  # the loop runs the callbacks scheduled before this point


def test_writes_of_one_loop_turn_leave_as_one_write():
    async def scenario():
        real = RecordingTransport()
        transport = CoalescingTransport(real, asyncio.get_running_loop())
        transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
        transport.write(b"")  # nothing to send, nothing scheduled
        transport.write(memoryview(b"body"))
        assert real.writes == [] and transport.get_write_buffer_size() == len(b"HTTP/1.1 200 OK\r\n\r\nbody")
        await _turn()
        assert real.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
        transport.write(b"next")
        transport.close()  # close sends what was written first
        assert real.writes[-1] == b"next" and real.closed
        assert transport.is_closing()  # the rest is the real transport's

    asyncio.run(scenario())


def test_abort_drops_what_was_not_sent():
    async def scenario():
        real = RecordingTransport()
        transport = CoalescingTransport(real, asyncio.get_running_loop())
        transport.write(b"half a response")
        transport.abort()
        await _turn()
        assert real.writes == [] and real.aborted

    asyncio.run(scenario())


async def _app(scope, receive, send):
    await receive()
    if scope["path"] == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"one", "more_body": True})
        await asyncio.sleep(0.01)  # a streamed response leaves chunk by chunk
        await send({"type": "http.response.body", "body": b"two"})
        return
    status = 204 if scope["path"] == "/empty" else 200
    body = b"" if status == 204 else b'{"ok": true}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _serve(requests: bytes, *, settle: float = 0.05) -> list[bytes]:
    """The writes uvicorn's protocol (as served by the suite) makes for these raw requests."""

    async def scenario():
        config = server_config(_app, host="127.0.0.1", port=0)
        config.load()
        protocol = CoalescingHttpProtocol(config=config, server_state=ServerState(), app_state={})
        real = RecordingTransport()
        protocol.connection_made(real)
        protocol.data_received(requests)
        await asyncio.sleep(settle)
        protocol.connection_lost(None)
        return real.writes

    return asyncio.run(scenario())


def test_a_response_is_one_write_with_head_and_body():
    writes = _serve(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
    assert len(writes) == 1
    head, _, body = writes[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"content-length: 12" in head and body == b'{"ok": true}'
    assert b"server:" not in head.lower()  # a vendor's answers do not name uvicorn


def test_head_and_204_answers_are_sent_whole():
    head_only = _serve(b"HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n")
    assert len(head_only) == 1 and head_only[0].startswith(b"HTTP/1.1 200 OK") and head_only[0].endswith(b"\r\n\r\n")
    empty = _serve(b"GET /empty HTTP/1.1\r\nHost: a\r\n\r\n")
    assert len(empty) == 1 and empty[0].startswith(b"HTTP/1.1 204 No Content") and empty[0].endswith(b"\r\n\r\n")


def test_pipelined_requests_are_answered_in_order():
    writes = _serve(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /empty HTTP/1.1\r\nHost: a\r\n\r\n")
    sent = b"".join(writes)
    assert sent.index(b"HTTP/1.1 200 OK") < sent.index(b"HTTP/1.1 204 No Content")
    assert sent.count(b"HTTP/1.1 ") == 2


def test_a_streamed_response_still_leaves_chunk_by_chunk():
    writes = _serve(b"GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
    assert len(writes) == 2  # head + first chunk, then the second chunk and the end
    assert writes[0].endswith(b"3\r\none\r\n") and writes[1] == b"3\r\ntwo\r\n0\r\n\r\n"


def test_uvicorn_still_writes_through_the_transport_given_to_connection_made():
    """What serving.py relies on: if this fails after a uvicorn upgrade, re-check CoalescingHttpProtocol."""
    protocol_source = inspect.getsource(httptools_impl.HttpToolsProtocol)
    assert "self.transport = transport" in inspect.getsource(httptools_impl.HttpToolsProtocol.connection_made)
    assert "transport=self.transport" in protocol_source, "RequestResponseCycle no longer gets the protocol's transport"
    cycle_send = inspect.getsource(httptools_impl.RequestResponseCycle.send)
    assert "self.transport.write(" in cycle_send, "uvicorn's response writes changed"
    assert issubclass(CoalescingHttpProtocol, httptools_impl.HttpToolsProtocol)


def test_keep_alive_and_pipelining_over_a_real_socket(mocks):
    """The suite's live server: several pipelined requests on one connection, every answer whole."""
    host, port, count = mocks.server.host, mocks.server.port, 3
    request = f"GET /_mocks/health HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(request * count)
        received = b""
        while received.count(b"HTTP/1.1 200 OK") < count or not received.endswith(b"}"):
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {received!r}"
            received += chunk
    answers = received.split(b"HTTP/1.1 200 OK\r\n")[1:]
    assert len(answers) == count
    for answer in answers:
        head, _, body = answer.partition(b"\r\n\r\n")
        length = int(
            next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")).split(b":")[1]
        )
        assert body.startswith(b"{") and len(body) >= length and b"server:" not in head.lower()
