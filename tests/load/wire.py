"""Raw-socket clients: requests no HTTP library would send (a body cut off, a trickle, a flood)."""

from __future__ import annotations

import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.soak_recipes import RECIPES


def connect(base_url: str) -> socket.socket:
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with a Content-Length body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data!r}")
        data += chunk
    head_bytes, rest = data.split(b"\r\n\r\n", 1)
    status_line, *lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    length = int(headers.get("content-length", 0))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return int(status_line.split()[1]), headers, rest[:length]


def vendor_headers(client: httpx.Client, vendor: str, **extra: Any) -> dict[str, str]:
    """The bench caller's headers of a vendor, minted through the admin API."""
    answer = client.post("/_mocks/tokens", json={"vendor": vendor, **RECIPES[vendor].token, **extra})
    assert answer.status_code == 201, answer.text
    return answer.json()["headers"]


def json_body(value: Any) -> bytes:
    return json.dumps(value).encode()


def wait_for(predicate, what: str, timeout: float = 10.0):
    """Poll until `predicate()` is truthy (the server works on its own schedule); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")
