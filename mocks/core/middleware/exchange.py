"""What the request-path steps share about one request and its answer (`Exchange`), and what a step is (`Step`).

The driver (path.py) runs one coroutine per request and calls each step's hooks in `REQUEST_PATH` order; the
answer leaves through one `send` (`Exchange.send`), which hands the response head and body to the steps'
`on_start`/`on_body` hooks, innermost step first, before the server's send.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import VendorProblem

if TYPE_CHECKING:
    from ..app import Suite
    from ..context import RequestContext
    from ..limits import RequestBody
    from ..ratelimit import RequestInfo
    from ..vendor import Vendor

SCOPE_KEY = "mocks.exchange"
NO_BODY_STATUSES = {204, 304}
Hook = Callable[["Exchange", dict], dict]


@dataclass(slots=True, eq=False)
class Exchange:
    vendor: Vendor
    context: RequestContext
    scope: dict
    headers: dict[str, str]  # request headers, names in lower case
    local_path: str  # the path below the vendor's mount
    head_bytes: int  # the request's header block as sent
    receive: Any  # what the app reads the request from (request_body.py puts its guard here)
    server_send: Any  # the server's own send: connection-breaking faults reach the socket through it
    outgoing_start: list[Hook]  # the steps' on_start hooks, innermost first
    outgoing_body: list[Hook]
    started: float = field(default_factory=time.perf_counter)
    status: int = 0  # of the answer, once started (0: nothing sent)
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    response_body: bytes = b""  # what the journal keeps of it
    extra_headers: dict[str, str] = field(default_factory=dict)  # added to the answer (rate-limit headers)
    body: RequestBody | None = None  # the request body as the app reads it
    aborted: str = ""  # why the exchange was not executed, for the journal
    rate_info: RequestInfo | None = None  # set when rules wait for the route (rate_limit.py)
    recorded: bool = False  # in the journal already
    context_token: Any = None  # the context variable binding, undone when the exchange ends
    lock_token: str | None = None  # the world's write lock this request holds in a shared store (shared_state.py)
    gate_version: int = -1  # the version of the world's replica the shared store's gate left (shared_state.py)
    pending: Any = None  # something the answer's last byte waits for (a shared journal's append)

    async def send(self, message: dict) -> None:
        """The answer on its way out: through every step's hooks, then to the server."""
        for hook in self.outgoing_start if message["type"] == "http.response.start" else self.outgoing_body:
            message = hook(self, message)
        if self.pending is not None:
            pending, self.pending = self.pending, None
            await pending
        await self.server_send(message)

    async def send_from_app(self, message: dict) -> None:
        """The app's answer. After a failed body read it is dropped: the exchange was not executed, and
        request_body.py answers (or not) for it."""
        if self.body is None or self.body.failure is None:
            await self.send(message)


class Rerun(Exception):
    """Raised through the app when a step wants the app run once more for this exchange (nothing was sent or
    committed): the driver awaits `prepare()` (False: it answered instead) and runs the app again, reading the
    request from `receive`."""

    def __init__(self, prepare: Callable[[], Awaitable[bool]], receive: Any) -> None:
        super().__init__("run the app again")
        self.prepare = prepare
        self.receive = receive


class Step:
    """One idea of the request path (a module of core/middleware/), listed in `REQUEST_PATH` (core/app.py).
    A step defines the hooks it needs; the driver (path.py) calls them in list order:

    - `route(scope)` — before any vendor is known: return the scope to go on with, or an ASGI app that answers
      instead (the admin API);
    - `open(scope, receive, send)` — the one step that makes the Exchange (vendor_context.py);
    - `before(exchange)` — False to go on; True, or an awaitable resolving to True, when it answered through
      `exchange.send` (a refusal, a fault); an awaitable resolving to False goes on after it (a delay). Plain
      functions, so the common request creates no coroutine;
    - `on_start(exchange, message)`, `on_body(exchange, message)` — the answer on its way out (innermost
      first); return the message to pass on;
    - `on_error(exchange, error)` — an exception from the app or a `before`: return True if handled (async);
    - `finish(exchange)` — after the app returned (innermost first): None, or an awaitable to wait for;
    - `close(exchange)` — the exchange is over, however it ended (innermost first).
    """

    HOOKS = ("route", "open", "before", "on_start", "on_body", "on_error", "finish", "close")

    def __init__(self, suite: Suite) -> None:
        self.suite = suite

    @classmethod
    def wanted(cls, suite: Suite) -> bool:
        """Whether this suite's request path has this step (one only some configurations need)."""
        return True

    def route(self, scope: dict) -> dict | Callable[..., Awaitable[None]]:
        return scope

    def open(self, scope: dict, receive: Any, send: Any) -> Exchange:
        raise NotImplementedError

    def before(self, exchange: Exchange) -> bool | Awaitable[bool]:
        return False

    def on_start(self, exchange: Exchange, message: dict) -> dict:
        return message

    def on_body(self, exchange: Exchange, message: dict) -> dict:
        return message

    async def on_error(self, exchange: Exchange, error: Exception) -> bool:
        return False

    def finish(self, exchange: Exchange) -> Awaitable[None] | None:
        return None

    def close(self, exchange: Exchange) -> None:
        return None

    def defines(self, hook: str) -> bool:
        return getattr(type(self), hook) is not getattr(Step, hook)


async def answered(sending: Awaitable[None]) -> bool:
    """What a `before` hook returns when it answers: the answer sent, then True."""
    await sending
    return True


async def send_problem(problem: VendorProblem, send) -> None:
    """Answer with a VendorProblem from a step (no framework in between)."""
    body = problem.encoded_body()
    headers = {k.lower(): v for k, v in (problem.headers or {}).items()}
    if problem.media_type:
        headers["content-type"] = problem.media_type
    if problem.status not in NO_BODY_STATUSES:
        headers["content-length"] = str(len(body))
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
