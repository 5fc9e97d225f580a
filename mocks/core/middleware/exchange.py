"""What the request-path middlewares share about one request and its answer, kept in the ASGI scope."""

from __future__ import annotations

import time
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


@dataclass(slots=True, eq=False)
class Exchange:
    vendor: Vendor
    context: RequestContext
    headers: dict[str, str]  # request headers, names in lower case
    local_path: str  # the path below the vendor's mount
    head_bytes: int  # the request's header block as sent
    server_send: Any  # the server's own send: connection-breaking faults reach the socket through it
    started: float = field(default_factory=time.perf_counter)
    status: int = 0  # of the answer, once started (0: nothing sent)
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    response_body: bytes = b""  # what the journal keeps of it
    extra_headers: dict[str, str] = field(default_factory=dict)  # added to the answer (rate-limit headers)
    body: RequestBody | None = None  # the request body as the app reads it
    aborted: str = ""  # why the exchange was not executed, for the journal
    rate_info: RequestInfo | None = None  # set when rules wait for the route (middleware/rate_limit.py)


class Middleware:
    """A layer of the request path: `app` is the next layer, `suite` the whole mock."""

    def __init__(self, app: Any, suite: Suite) -> None:
        self.app = app
        self.suite = suite


def exchange_of(scope: dict) -> Exchange:
    return scope[SCOPE_KEY]


async def send_problem(problem: VendorProblem, send) -> None:
    """Answer with a VendorProblem from a middleware (no framework in between)."""
    body = problem.encoded_body()
    headers = {k.lower(): v for k, v in (problem.headers or {}).items()}
    if problem.media_type:
        headers["content-type"] = problem.media_type
    if problem.status not in NO_BODY_STATUSES:
        headers["content-length"] = str(len(body))
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
