"""Driving the mocks from Python: a server in a thread (`MockServer`), its controls (`Mocks`) and `intercept()`.
Nothing here imports pytest; the pytest fixtures are in mocks.pytest_plugin (registered by the entry point):

    def test_sync(mocks):                       # a fresh state for every test
        base = mocks.url("piwik_pro")           # http://127.0.0.1:<port>/piwik_pro
        mocks.clock.advance("PT1H")             # the virtual clock (seconds or ISO-8601, as the admin API)
        mocks.limit("piwik_pro", "read", 3)     # 429 after 3 reads
        mocks.fault("piwik_pro", status=503, path="/api/users/v2")
        assert mocks.journal(vendor="piwik_pro")[-1].status == 200

The server is real (uvicorn on 127.0.0.1, a random port) and started once per session; `mocks` resets
worlds, faults, journal, rate limits and the clock before each test. `MockServer` works without pytest too.

Code that hard-codes a vendor's URL (`https://api.personio.de/v1`) reaches the mock inside `intercept()`:

    with mocks.intercept():                     # or intercept(server) / intercept("http://127.0.0.1:8000")
        sync_employees()                        # its httpx / requests / aiohttp / urllib calls hit the mock
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mocks.intercept import SUPPORTED, intercept_hosts, vendor_patterns

if TYPE_CHECKING:
    import httpx
    import uvicorn

__all__ = ["SUPPORTED", "MockServer", "Mocks", "intercept"]


class MockServer:
    """A suite served by uvicorn in a background thread (port 0 = any free port)."""

    def __init__(self, suite=None, *, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        if suite is None:
            from mocks.core.app import create_app

            suite = create_app(**options)
        self.suite = suite
        self.host, self.port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> MockServer:
        import uvicorn

        from mocks.core.serving import server_config

        config = server_config(self.suite, host=self.host, port=self.port)
        server = self._server = uvicorn.Server(config)
        thread = self._thread = threading.Thread(target=server.run, name="mocks-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock server did not start")
            time.sleep(0.005)
        self.port = server.servers[0].sockets[0].getsockname()[1]
        return self

    def run(self, coroutine: Awaitable[Any], timeout: float = 30) -> Any:
        """Run a coroutine on the server's event loop and return its result (a shared store's connections belong
        to that loop)."""
        if self._server is None or not self._server.servers:
            raise RuntimeError("the mock server is not running")
        loop = self._server.servers[0].get_loop()
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:  # set together by start()
            self._server.should_exit = True
            self._thread.join(10)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Mocks:
    """Test-facing control of a running suite (the same operations as the /_mocks admin API). On a suite with a
    shared store (`create_app(store="redis://...")`) every operation acts on the store, on the server's loop, as
    the admin API does: what it changes, every worker sees."""

    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.suite = server.suite

    def _on_store(self, operation: Callable[[Any], Awaitable[Any]]) -> Any:
        """`operation(shared_store)`, awaited on the server's loop once the store is joined there."""
        shared = self.suite.shared

        async def run() -> Any:
            await shared.ready()
            return await operation(shared)

        return self.server.run(run())

    def url(self, vendor: str | None = None) -> str:
        return self.server.url + (self.suite.vendors[vendor].mount if vendor else "")

    @property
    def clock(self):
        """The virtual clock (`now()`, `time()`, `set()`, `advance()`, `freeze()`, `unfreeze()`)."""
        return self.suite.clock if self.suite.shared is None else SharedClockControl(self)

    def reset(self) -> None:
        """Everything back to a fresh start, as POST /_mocks/reset: worlds (re-seeded lazily), faults,
        journal, rate limits, and the seed and the clock as the server started."""
        self.suite.reset()
        if self.suite.shared is not None:
            self._on_store(lambda shared: shared.reset())

    def world(self, vendor: str, tenant: str | None = None):
        """The world of a vendor's tenant. With a shared store: this worker's replica, caught up now (a request
        another worker answers later changes the store, not this object: call `world()` again to see it)."""
        tenant = tenant or self.suite.vendors[vendor].default_tenant
        if self.suite.shared is None:
            return self.suite.worlds.get(vendor, tenant)

        async def caught_up(shared: Any):
            async with shared.holding(vendor, tenant):
                return self.suite.worlds.get(vendor, tenant)

        return self._on_store(caught_up)

    def worlds(self) -> list[tuple[str, str]]:
        """The (vendor, tenant) worlds that exist, sorted, as GET /_mocks/health lists them: seeded by a request
        that authenticated, a write or the admin API (not by a refused request). With a shared store, every
        worker's."""
        if self.suite.shared is None:
            worlds = self.suite.worlds
            return [key for key in worlds.tenants() if worlds.existing(*key) is not None]
        return self._on_store(lambda shared: shared.worlds.tenants())

    def journal(self, **filters: Any):
        if self.suite.shared is None:
            return self.suite.journal.query(**filters)
        return self._on_store(lambda shared: shared.journal.entries(**filters))

    def fault(self, vendor: str | None = None, **spec: Any):
        """Arm a fault (the fields of POST /_mocks/faults, checked as the admin API checks them)."""
        from mocks.core.admin_schema import AdminRefusal, check_schema

        fault = {"vendor": vendor, **spec} if vendor is not None else spec
        try:  # the vendor is checked against the suite's own (it may serve vendors the spec does not list)
            check_schema("FaultRequest", {k: v for k, v in fault.items() if k != "vendor"})
        except AdminRefusal as refusal:
            raise ValueError(refusal.message) from None
        known = set(self.suite.vendors)
        if self.suite.shared is None:
            return self.suite.faults.add(fault, known_vendors=known)
        return self._on_store(lambda shared: shared.faults.add(fault, known_vendors=known))

    def limit(
        self,
        vendor: str,
        rule: str | None = None,
        limit: int | None = None,
        *,
        window: float | None = None,
        enabled: bool | None = None,
    ):
        def override():  # what the rule is now, and the vendor whose counters restart
            return self.suite.limiter.override(vendor, rule, limit=limit, window=window, enabled=enabled), [vendor]

        if self.suite.shared is None:
            return override()[0]
        return self._on_store(lambda shared: shared.rates.change(override))

    def intercept(self, vendors: Iterable[str] | None = None):
        """`intercept()` bound to this server and its vendors."""
        return intercept(self.server, vendors)

    def client(self, vendor: str, tenant: str | None = None, *, host: str | None = None, **params: Any) -> httpx.Client:
        """An httpx client of one vendor, authorised as the admin API's POST /_mocks/tokens would make it
        (`params` are the vendor's own: personio `api="v2"`, perscom `scopes=[...]`, ...): its base URL is the
        vendor's mount, so `client.get("/api/users/v2")` reaches Piwik PRO. A tenant other than the vendor's
        default is named by `X-Mock-Tenant`; `host` ("127.0.0.1:8000") is sent as the Host header, for answers
        that do not depend on the server's port (tokens and links name the host). Close it (or use it in a
        `with`) when done."""
        import httpx  # a test dependency: mocks.testing imports without it

        owner = self.suite.vendors[vendor]
        host = host or f"{self.server.host}:{self.server.port}"
        name, _, port = host.rpartition(":")
        scope = {  # the token is issued by this host, for vendors whose tokens name their issuer's host
            "type": "http",
            "scheme": "http",
            "path": owner.mount,
            "server": (name, int(port)),
            "headers": [(b"host", host.encode())],
        }
        minted = self._mint(vendor, tenant or owner.default_tenant, params, scope)
        headers = {"Host": host, **minted["headers"]}
        if tenant and tenant != owner.default_tenant:
            headers.setdefault("X-Mock-Tenant", tenant)
        return httpx.Client(base_url=self.url(vendor), headers=headers)

    def token(self, vendor: str, tenant: str | None = None, **params: Any) -> dict:
        """A token as POST /_mocks/tokens mints it (`params` are the vendor's own, as for `client()`): the
        vendor's answer, e.g. `mocks.token("perscom", "1", scopes=["*"])["access_token"]`."""
        return self._mint(vendor, tenant or self.suite.vendors[vendor].default_tenant, params, None)

    def _mint(self, vendor: str, tenant: str, params: dict, scope: dict | None) -> dict:
        if self.suite.shared is None:
            return self.suite.mint_token(vendor, tenant, params, scope=scope)

        async def minted(shared: Any) -> dict:  # as POST /_mocks/tokens: on the caught-up, write-locked world
            async with shared.holding(vendor, tenant):
                return self.suite.mint_token(vendor, tenant, params, scope=scope)

        return self._on_store(minted)


class SharedClockControl:
    """The virtual clock of a suite with a shared store, read from and moved in the store: every worker's."""

    def __init__(self, mocks: Mocks) -> None:
        self._mocks = mocks
        self._clock = mocks.suite.clock

    def _current(self):
        self._mocks._on_store(lambda shared: shared.clock.refresh())
        return self._clock

    def _move(self, move: Callable[[Any], None]) -> None:
        self._mocks._on_store(lambda shared: shared.clock.move(move))

    def time(self) -> float:
        return self._current().time()

    def now(self) -> datetime:
        return self._current().now()

    @property
    def frozen(self) -> bool:
        return self._current().frozen

    def state(self) -> dict:
        return self._current().state()

    def set(self, instant: datetime | str) -> None:
        self._move(lambda clock: clock.set(instant))

    def advance(self, seconds: float | str) -> None:
        self._move(lambda clock: clock.advance(seconds))

    def freeze(self, instant: datetime | str | None = None) -> None:
        self._move(lambda clock: clock.freeze(instant))

    def unfreeze(self) -> None:
        self._move(lambda clock: clock.unfreeze())


@contextmanager
def intercept(target: MockServer | Mocks | str, vendors: Iterable[str] | None = None) -> Iterator[None]:
    """Send the requests that httpx (sync and async), requests, aiohttp and urllib make to a vendor's real
    hostnames to the mock at `target` instead, as a hosts-file entry would (see mocks.intercept). `vendors`:
    whose hostnames (default: every vendor the target serves, or every registered one for a URL)."""
    base = target if isinstance(target, str) else (target.server if isinstance(target, Mocks) else target).url
    if vendors is None and not isinstance(target, str):
        chosen = target.suite.vendors.values()
    else:
        from mocks.registry import load_vendors

        chosen = load_vendors(vendors)
    with intercept_hosts(base, vendor_patterns(chosen)):
        yield
