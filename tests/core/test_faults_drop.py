"""Faults that break the connection (`"drop"`), seen by real clients: a raw socket and httpx."""

from __future__ import annotations

import httpx
import pytest

from tests.load.wire import connect, head, vendor_headers

PATH = "/tasq/v1/users"


def _raw_exchange(mocks, headers: dict) -> bytes:
    """Everything the server sends before it closes (a reset raises ConnectionResetError)."""
    received = b""
    with connect(mocks.server.url) as sock:
        sock.sendall(head("GET", PATH, headers))
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.fixture
def tasq_headers(http):
    return vendor_headers(http, "tasq")


def test_empty_reply_closes_without_a_byte(mocks, http, tasq_headers):
    http.post("/_mocks/faults", json={"vendor": "tasq", "path": "/v1/users", "drop": "empty_reply", "times": 2})
    assert _raw_exchange(mocks, tasq_headers) == b""
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        httpx.get(mocks.server.url + PATH, headers=tasq_headers)
    assert http.get(PATH, headers=tasq_headers).status_code == 200  # spent: served again
    assert mocks.journal(vendor="tasq")[0].extra == {"aborted": "injected fault: empty_reply"}


def test_reset_sends_a_tcp_reset(mocks, http, tasq_headers):
    http.post("/_mocks/faults", json={"vendor": "tasq", "drop": "reset", "times": 2})
    with pytest.raises(ConnectionResetError):
        _raw_exchange(mocks, tasq_headers)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        httpx.get(mocks.server.url + PATH, headers=tasq_headers)
    assert http.get(PATH, headers=tasq_headers).status_code == 200


def test_truncate_sends_half_of_the_declared_body(mocks, http, tasq_headers):
    assert (
        http.post(
            "/_mocks/faults", json={"vendor": "tasq", "drop": "truncate", "body": {"users": ["a" * 100]}, "times": 2}
        ).status_code
        == 201
    )
    received = _raw_exchange(mocks, tasq_headers)
    head_bytes, body = received.split(b"\r\n\r\n", 1)
    assert head_bytes.startswith(b"HTTP/1.1 200 ")
    assert b"content-length: 114" in head_bytes
    assert body == b'{"users":["' + b"a" * 46  # 57 of the 114 bytes
    with pytest.raises(httpx.RemoteProtocolError, match="incomplete|peer closed"):
        httpx.get(mocks.server.url + PATH, headers=tasq_headers)
    assert http.get(PATH, headers=tasq_headers).status_code == 200


def test_bad_chunk_sends_bytes_that_are_not_a_chunk(mocks, http, tasq_headers):
    http.post("/_mocks/faults", json={"vendor": "tasq", "drop": "bad_chunk", "times": 2})
    received = _raw_exchange(mocks, tasq_headers)
    head_bytes, body = received.split(b"\r\n\r\n", 1)
    assert b"transfer-encoding: chunked" in head_bytes
    size, rest = body.split(b"\r\n", 1)
    assert rest[int(size, 16) :].startswith(b"\r\nzz\r\n")  # one good chunk, then a size that is not hex
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(mocks.server.url + PATH, headers=tasq_headers)
    assert http.get(PATH, headers=tasq_headers).status_code == 200


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"drop": "explode"}, r"^drop: 'explode' is not one of \['empty_reply', 'reset', 'truncate', 'bad_chunk'\]$"),
        ({"drop": "reset", "status": 500}, r"^a fault takes either a 'drop' or a 'status', not both$"),
        ({"path": "/x"}, r"^a fault needs a 'status', a 'latency_ms' or a 'drop'$"),
        ({"method": 5, "status": 500}, r"^method: 5 is not of type 'string'$"),
    ],
)
def test_drop_validation(mocks, spec, message):
    with pytest.raises(ValueError, match=message):
        mocks.fault("tasq", **spec)
