"""Using the mocks from pytest (this module is a pytest plugin, registered by the package's entry point).

    def test_sync(mocks):                       # a fresh state for every test
        base = mocks.url("piwik_pro")           # http://127.0.0.1:<port>/piwik_pro
        mocks.clock.advance(3600)               # the virtual clock
        mocks.limit("piwik_pro", "read", 3)     # 429 after 3 reads
        mocks.fault("piwik_pro", status=503, path="/api/users/v2")
        assert mocks.journal(vendor="piwik_pro")[-1].status == 200

The server is real (uvicorn on 127.0.0.1, a random port) and started once per session; `mocks` resets
worlds, faults, journal, rate limits and the clock before each test. `MockServer` works without pytest too.

Code that hard-codes a vendor's URL (`https://api.personio.de/v1`) reaches the mock inside `intercept()`:

    with mocks.intercept():                     # or intercept(server) / intercept("http://127.0.0.1:8000")
        sync_employees()                        # its httpx / requests calls to api.personio.de hit the mock
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest


class MockServer:
    """A suite served by uvicorn in a background thread (port 0 = any free port)."""

    def __init__(self, suite=None, *, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        if suite is None:
            from mocks.core.app import create_app

            suite = create_app(**options)
        self.suite = suite
        self.host, self.port = host, port
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> MockServer:
        import uvicorn

        config = uvicorn.Config(self.suite, host=self.host, port=self.port, log_level="warning",
                                access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="mocks-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock server did not start")
            time.sleep(0.005)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Mocks:
    """Test-facing control of a running suite (the same operations as the /_mocks admin API)."""

    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.suite = server.suite

    def url(self, vendor: str | None = None) -> str:
        return self.server.url + (self.suite.vendors[vendor].mount if vendor else "")

    @property
    def clock(self):
        return self.suite.clock

    def reset(self) -> None:
        """Everything back to a fresh start: worlds (re-seeded lazily), faults, journal, rate limits,
        and a flowing clock at the real time."""
        self.suite.reset()
        self.suite.clock.restart()

    def world(self, vendor: str, tenant: str | None = None):
        return self.suite.worlds.get(vendor, tenant or self.suite.vendors[vendor].default_tenant)

    def journal(self, **filters: Any):
        return self.suite.journal.query(**filters)

    def fault(self, vendor: str | None = None, **spec: Any):
        return self.suite.faults.add({"vendor": vendor, **spec}, known_vendors=set(self.suite.vendors))

    def limit(self, vendor: str, rule: str | None = None, limit: int | None = None, *,
              window: float | None = None, enabled: bool | None = None):
        return self.suite.limiter.override(vendor, rule, limit=limit, window=window, enabled=enabled)

    def intercept(self, vendors: Iterable[str] | None = None):
        """`intercept()` bound to this server and its vendors."""
        return intercept(self.server, vendors)


@contextmanager
def intercept(target: MockServer | Mocks | str, vendors: Iterable[str] | None = None) -> Iterator[None]:
    """Send the requests that httpx and requests make to a vendor's real hostnames to the mock at `target`
    instead, as a hosts-file entry would: the path stays, `Host` keeps the vendor's hostname (the mock's
    virtual hosting turns it into the vendor's mount and, where the host names one, the tenant), and https
    becomes http. Other hosts are untouched. Patches the libraries' default transports while active."""
    base = target if isinstance(target, str) else (target.server if isinstance(target, Mocks) else target).url
    if vendors is None and not isinstance(target, str):
        suite = target.suite
        patterns = [p for v in suite.vendors.values() for p in v.host_patterns()]
    else:
        from mocks.registry import load_vendors

        patterns = [p for v in load_vendors(vendors) for p in v.host_patterns()]
    redirect = _Redirect(base, patterns)
    with ExitStack() as stack:
        stack.enter_context(_patched_httpx(redirect))
        stack.enter_context(_patched_requests(redirect))
        yield


class _Redirect:
    def __init__(self, base: str, patterns: list[re.Pattern]) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(base)
        self.scheme, self.host, self.port = parts.scheme or "http", parts.hostname, parts.port
        self.patterns = patterns

    def wanted(self, host: str | None) -> bool:
        return bool(host) and any(p.fullmatch(host) for p in self.patterns)


@contextmanager
def _patched_httpx(redirect: _Redirect) -> Iterator[None]:
    try:
        import httpx
    except ImportError:
        yield
        return
    sync_send, async_send = httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request

    def rewrite(request: httpx.Request) -> None:
        if redirect.wanted(request.url.host):
            request.headers.setdefault("Host", request.url.netloc.decode("ascii"))
            request.url = request.url.copy_with(scheme=redirect.scheme, host=redirect.host, port=redirect.port)

    def handle_request(self, request):
        rewrite(request)
        return sync_send(self, request)

    async def handle_async_request(self, request):
        rewrite(request)
        return await async_send(self, request)

    httpx.HTTPTransport.handle_request = handle_request
    httpx.AsyncHTTPTransport.handle_async_request = handle_async_request
    try:
        yield
    finally:
        httpx.HTTPTransport.handle_request = sync_send
        httpx.AsyncHTTPTransport.handle_async_request = async_send


@contextmanager
def _patched_requests(redirect: _Redirect) -> Iterator[None]:
    try:
        from requests.adapters import HTTPAdapter
    except ImportError:
        yield
        return
    from urllib.parse import urlsplit, urlunsplit

    send = HTTPAdapter.send

    def patched(self, request, *args, **kwargs):
        parts = urlsplit(request.url)
        if redirect.wanted(parts.hostname):
            request.headers.setdefault("Host", parts.netloc.rsplit("@", 1)[-1])
            netloc = redirect.host if redirect.port is None else f"{redirect.host}:{redirect.port}"
            request.url = urlunsplit((redirect.scheme, netloc, parts.path, parts.query, parts.fragment))
        return send(self, request, *args, **kwargs)

    HTTPAdapter.send = patched
    try:
        yield
    finally:
        HTTPAdapter.send = send


@pytest.fixture(scope="session")
def mocks_server() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def mocks(mocks_server: MockServer) -> Mocks:
    control = Mocks(mocks_server)
    control.reset()
    return control
