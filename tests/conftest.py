"""Shared fixtures: one live server per framework for the session (responses validated against our specs),
reset before every test by the `mocks` fixture of the mocks.testing plugin; and the webhook receiver the vendors'
and the engine's webhook tests share."""

from __future__ import annotations

import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # `http` is a fixture here
from typing import Any

import httpx
import pytest

from mocks.core.app import create_app
from mocks.testing import Mocks, MockServer
from tests.redis_server import RedisServer, RedisServerError


@pytest.fixture(scope="session")
def mocks_server():
    # Response validation on: a handler answering something our spec does not describe fails the test.
    with MockServer(create_app(validate_responses=True)) as server:
        yield server


@pytest.fixture(scope="session")
def flask_server():
    with MockServer(create_app(framework="flask", validate_responses=True)) as server:
        yield server


@pytest.fixture
def flask_mocks(flask_server) -> Mocks:
    control = Mocks(flask_server)
    control.reset()
    return control


@pytest.fixture(scope="session")
def redis_server():
    """A redis-server for this test process (tests use their own key namespaces); fails, saying why, when it
    cannot start."""
    try:
        server = RedisServer()
    except RedisServerError as error:
        pytest.fail(str(error))
    yield server
    server.stop()


@pytest.fixture
def http(mocks):
    """A plain HTTP client on the mock's root (the way an integration would talk to it)."""
    with httpx.Client(base_url=mocks.server.url, timeout=10) as client:
        yield client


class WebhookReceiver:
    """A webhook receiver on 127.0.0.1 (the vendors' and the engine's webhook tests): records every GET and POST
    (method, path, headers, body); answers the statuses it is told to, then `status`."""

    def __init__(self, status: int = 200) -> None:
        self.received: queue.Queue = queue.Queue()
        self.statuses: list[int] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                receiver.received.put(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else receiver.status
                self.send_response(status)
                if status == 204:  # no body, no length (RFC 9110 §8.6)
                    self.end_headers()
                    return
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def next(self, timeout: float = 5.0) -> dict:
        return self.received.get(timeout=timeout)

    def json(self, timeout: float = 5.0) -> tuple[dict, Any]:
        """The next request and its JSON body."""
        request = self.next(timeout)
        return request, json.loads(request["body"])

    def empty(self) -> bool:
        return self.received.empty()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()
