"""Shared fixtures: one live server per framework for the session (responses validated against our specs),
reset before every test by the `mocks` fixture; and the webhook receiver the vendors' and the engine's webhook
tests share.

The vendors' HTTP behaviour suites (tests/<vendor>/) run twice: on the embedded store (`[embedded]`) and on two
workers sharing one Redis (`[redis]`: two served suites, each with its own event loop, replicas and connections,
as two worker processes have, against a real redis-server). On the second, the `http` client sends each request
to the other worker in turn, so every read follows a write made through the other worker.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # `http` is a fixture here
from pathlib import Path
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


VENDOR_SUITES = {Path(__file__).parent / name for name in ("eloomi", "perscom", "personio", "piwik_pro", "tasq")}
STORES = ("embedded", "redis")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each vendor suite's test that drives a mock runs on both stores."""
    if "mocks" in metafunc.fixturenames and Path(metafunc.definition.path).parent in VENDOR_SUITES:
        only = metafunc.definition.get_closest_marker("embedded_only")
        if only is not None and not (only.args or only.kwargs):
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: embedded_only needs its reason")
        metafunc.parametrize("mocks", STORES[:1] if only else STORES, indirect=True)


@pytest.fixture(scope="session")
def redis_workers(redis_server):
    """Two workers of one mock on one Redis (a database of its own), responses validated against our specs."""
    store = redis_server.url.rsplit("/", 1)[0] + "/3"
    servers = [MockServer(create_app(validate_responses=True, store=store)).start() for _ in range(2)]
    yield servers
    for server in servers:
        server.suite.shared.close()
        server.stop()


@pytest.fixture
def mocks(request, mocks_server) -> Mocks:
    """The controls of a fresh mock: the session's server, or on `[redis]` the first of two Redis workers (its
    controls act on the shared store), every worker reset."""
    if getattr(request, "param", "embedded") == "embedded":
        control = Mocks(mocks_server)
        control.reset()
        return control
    first, *others = request.getfixturevalue("redis_workers")
    for other in others:  # what each worker keeps for itself (webhook queues, caches); the store once, below
        other.suite.reset()
    control = Mocks(first)
    control.reset()
    return control


class Alternating(httpx.BaseTransport):
    """Sends each request to the next of several servers in turn, with the first's Host header (answers that name
    their host, such as pagination links, are the same whichever worker gives them)."""

    def __init__(self, urls: list[str]) -> None:
        self.targets = [httpx.URL(url) for url in urls]
        self.turn = itertools.count()
        self.transport = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = self.targets[next(self.turn) % len(self.targets)]
        sent = httpx.Request(
            request.method,
            request.url.copy_with(host=target.host, port=target.port),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        response = self.transport.handle_request(sent)
        response.request = request  # the client sees the URL it asked for, whichever worker answered
        return response

    def close(self) -> None:
        self.transport.close()


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
def http(request, mocks):
    """A plain HTTP client on the mock's root (the way an integration would talk to it)."""
    shared = mocks.suite.shared is not None
    transport = Alternating([s.url for s in request.getfixturevalue("redis_workers")]) if shared else None
    with httpx.Client(base_url=mocks.server.url, timeout=10, transport=transport) as client:
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
