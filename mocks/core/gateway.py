"""The outermost ASGI layer. A request flows through it top to bottom:

virtual host → admin API → vendor mount → tenant → request context → fault → rate limit → Connexion
(routing, auth, validation, handler) → response headers (rate limits, real 204s) → journal.

It sits outside Connexion's error handling, so rate-limit headers decorate vendor error responses too and a
429 or an injected fault is answered before any routing, the way a real edge would.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import parse_qsl

from connexion.lifecycle import ConnexionRequest

from .context import RequestContext, bind, unbind
from .drops import drop_connection
from .errors import ErrorCase, VendorProblem
from .journal import Entry, truncated_headers
from .limits import TOO_LARGE, BodyCutOff, BodyTooLarge, RequestAborted, front_server_page, header_bytes, oversize
from .ratelimit import RequestInfo
from .vendor import TENANT_OVERRIDE_HEADER, Vendor

if TYPE_CHECKING:
    from .app import Suite

log = logging.getLogger("mocks.gateway")

ADMIN_PREFIX = "/_mocks"
_NO_BODY_STATUSES = {204, 304}
_STRIP_ON_NO_BODY = {b"content-type", b"content-length", b"transfer-encoding"}


class _Response(TypedDict):
    """What the journal keeps of the answer while it goes out."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class Gateway:
    def __init__(self, app, suite: Suite) -> None:
        self.app = app
        self.suite = suite
        self._hosts = [(p, v) for v in suite.vendors.values() for p in v.host_patterns()]
        self._mounts = sorted(suite.vendors.values(), key=lambda v: len(v.mount), reverse=True)
        self._host_vendors: dict[str, Vendor | None] = {}

    def vendor_for_path(self, path: str) -> Vendor | None:
        for vendor in self._mounts:
            if path == vendor.mount or path.startswith(vendor.mount + "/"):
                return vendor
        return None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        vhost = False
        if self._hosts:
            scope, vhost = self._virtual_host(scope, headers)
        path = scope["path"]
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await self.suite.admin(scope, receive, send)
            return
        vendor = self.vendor_for_path(path)
        if vendor is None:
            await self.suite.admin.outside_vendors(scope, receive, send)
            return
        await self._serve(vendor, scope, receive, send, headers, vhost)

    def too_large(self, vendor: Vendor, kind: str, scope) -> VendorProblem:
        """A size limit's answer: the vendor's own if its render_error knows the kind, else a front web
        server's page (inferred: the vendors document no limit on headers, URLs or bodies)."""
        status, reason = TOO_LARGE[kind]
        problem = None
        try:
            problem = vendor.render_error(ErrorCase(kind, status, RequestAborted(reason), ConnexionRequest(scope)))
        except Exception:
            log.exception("error renderer of %s failed on %s", vendor.name, kind)
        if problem is None or problem.status != status:
            problem = VendorProblem(status, front_server_page(status, reason), media_type="text/html")
        problem.headers = {**(problem.headers or {}), "Connection": "close"}
        return problem

    def _virtual_host(self, scope, headers: dict[str, str]):
        """`Host: api.personio.de` + `/v1/...` is served as `/personio/v1/...`."""
        host = headers.get("host", "")
        try:
            vendor = self._host_vendors[host]
        except KeyError:  # first time this Host is seen: match it once
            name = host.rsplit(":", 1)[0]
            vendor = next((v for pattern, v in self._hosts if pattern.fullmatch(name)), None)
            if len(self._host_vendors) > 1024:
                self._host_vendors.clear()
            self._host_vendors[host] = vendor
        if vendor is None or scope["path"].startswith(vendor.mount + "/"):
            return scope, False
        prefix = vendor.mount
        scope = dict(
            scope, path=prefix + scope["path"], raw_path=prefix.encode() + scope.get("raw_path", scope["path"].encode())
        )
        return scope, True

    async def _serve(self, vendor: Vendor, scope, receive, send, headers: dict[str, str], vhost: bool) -> None:
        suite = self.suite
        path = scope["path"]
        local_path = path[len(vendor.mount) :] or "/"
        tenant = (
            headers.get(TENANT_OVERRIDE_HEADER)
            or vendor.tenant_of(headers, LazyQuery(scope), local_path)
            or vendor.default_tenant
        )
        ctx = RequestContext(suite=suite, vendor=vendor, tenant=tenant, scope=scope, vhost=vhost)
        token = bind(ctx)
        method = scope["method"]
        journal = suite.journal if suite.journal.enabled else None
        head_bytes = header_bytes(scope["headers"])
        started = time.perf_counter()
        response: _Response = {"status": 0, "headers": [], "body": b""}
        body = RequestBody(receive, suite.limits.body_bytes, journal.body_limit if journal is not None else 0)
        receive = body.receive

        extra_headers: dict[str, str] = {}
        recorded = False
        aborted = ""
        failure_answered = False

        def record() -> None:
            # Before the last byte goes out: a client that got its answer finds it in the journal.
            nonlocal recorded
            if journal is None or recorded:
                return
            recorded = True
            journal.add(
                Entry(
                    journal.next_seq(),
                    suite.clock.time(),
                    vendor.name,
                    tenant,
                    method,
                    path,
                    _cut(scope.get("query_string", b"").decode("latin-1"), journal.body_limit),
                    headers if head_bytes <= journal.header_limit else truncated_headers(headers, journal.header_limit),
                    bytes(body.kept),
                    response["status"],
                    response["headers"],
                    response["body"],
                    round((time.perf_counter() - started) * 1000, 3),
                    extra={"aborted": aborted} if aborted else {},
                )
            )

        async def send_wrapper(message) -> None:
            if body.failure is not None and not failure_answered:
                return  # the app's own answer to a body it could not read (FlaskApp's stock 500): the gateway answers
            if message["type"] == "http.response.start":
                status = message["status"]
                response["status"] = status
                added = vendor.response_headers(ctx, status)
                if extra_headers or ctx.response_headers:
                    added = {**extra_headers, **ctx.response_headers, **added}
                raw = message.get("headers", [])
                if added or status in _NO_BODY_STATUSES:
                    names = {k.lower().encode("latin-1") for k in added}
                    if status in _NO_BODY_STATUSES:
                        names |= _STRIP_ON_NO_BODY
                    raw = [(k, v) for k, v in raw if k.lower() not in names]
                    raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in added.items()]
                    message = {**message, "headers": raw}
                response["headers"] = raw
            elif message["type"] == "http.response.body":
                if response["status"] in _NO_BODY_STATUSES and message.get("body"):
                    message = {**message, "body": b""}
                if journal is not None and len(response["body"]) <= journal.body_limit:
                    response["body"] += message.get("body", b"")[: journal.body_limit + 1 - len(response["body"])]
                if not message.get("more_body", False):
                    record()  # before the client sees the end of the answer: the journal is never behind it
            await send(message)

        try:
            too_large = oversize(suite.limits, scope, head_bytes)
            if too_large is not None:
                await _send_problem(self.too_large(vendor, too_large, scope), send_wrapper)
                return
            fault = suite.faults.take(vendor.name, method, path, local_path)
            if fault is not None:
                if fault.latency_ms:
                    await asyncio.sleep(fault.latency_ms / 1000)
                if fault.drop is not None:
                    aborted = f"injected fault: {fault.drop}"
                    await drop_connection(fault.drop, fault.body, send_wrapper, send)
                    return
                if fault.status is not None:
                    problem = (
                        VendorProblem(fault.status, fault.body)
                        if fault.body is not None
                        else vendor.fault(fault.status, ctx)
                    )
                    problem.headers = {**(problem.headers or {}), **fault.headers}
                    await _send_problem(problem, send_wrapper)
                    return
            decisions = suite.limiter.check(
                RequestInfo(
                    vendor.name, tenant, method, path, local_path, headers, (scope.get("client") or ("unknown", 0))[0]
                )
            )
            if decisions and not decisions[0].allowed:
                await _send_problem(vendor.rate_limited(decisions[0]), send_wrapper)
                return
            extra_headers.update(vendor.rate_headers(decisions) if decisions else {})
            try:
                await self.app(scope, receive, send_wrapper)
            except Exception:
                if body.failure is None:
                    raise
            if body.failure is BodyCutOff:
                aborted = "client disconnected before the whole body arrived: not executed"
            elif body.failure is BodyTooLarge:
                aborted = "body larger than the limit: not executed"
                failure_answered = True
                await _send_problem(self.too_large(vendor, "payload_too_large", scope), send_wrapper)
        except Exception:
            # The app renders every error in the vendor's format itself; what still escapes (a failing
            # error renderer, a dropped connection) is answered with the vendor's 500 if nothing was sent.
            log.exception("unhandled error on %s %s", method, path)
            if not response["status"]:
                await _send_problem(vendor.fault(500, ctx), send_wrapper)
        finally:
            unbind(token)
            record()  # an exchange that never finished its answer
            ctx.release(response["status"])
            suite.trimmer.served()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…[{len(text) - limit} more characters]"


class RequestBody:
    """The request's `receive`, as the app reads it: counts the body against the limit (BodyTooLarge),
    keeps its first bytes for the journal, and raises BodyCutOff when the client disconnects before the
    last chunk, so no reader ever mistakes a cut-off body for a whole one."""

    __slots__ = ("_receive", "_limit", "_keep", "size", "complete", "kept", "failure")

    def __init__(self, receive, limit: int, keep: int) -> None:
        self._receive = receive
        self._limit = limit
        self._keep = keep + 1 if keep else 0  # one byte more than the journal shows: enough to mark a cut
        self.size = 0
        self.complete = False
        self.kept = bytearray()
        self.failure: type[RequestAborted] | None = None  # set before raising: frameworks may wrap the exception

    async def receive(self):
        message = await self._receive()
        kind = message["type"]
        if kind == "http.request":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.size > self._limit:
                self.failure = BodyTooLarge
                raise BodyTooLarge()
            if len(self.kept) < self._keep:
                self.kept += chunk[: self._keep - len(self.kept)]
            if not message.get("more_body", False):
                self.complete = True
        elif kind == "http.disconnect" and not self.complete:
            self.failure = BodyCutOff
            raise BodyCutOff()
        return message


class LazyQuery(Mapping):
    """The query string as a mapping (last value wins), parsed only if a tenant rule looks at it."""

    def __init__(self, scope) -> None:
        self._raw = scope.get("query_string", b"")
        self._parsed: dict[str, str] | None = None

    def _data(self) -> dict[str, str]:
        if self._parsed is None:
            self._parsed = dict(parse_qsl(self._raw.decode("latin-1"), keep_blank_values=True)) if self._raw else {}
        return self._parsed

    def __getitem__(self, key: str) -> str:
        return self._data()[key]

    def __iter__(self):
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


async def _send_problem(problem: VendorProblem, send) -> None:
    body = problem.encoded_body()
    headers = {k.lower(): v for k, v in (problem.headers or {}).items()}
    if problem.media_type:
        headers["content-type"] = problem.media_type
    if problem.status not in _NO_BODY_STATUSES:
        headers["content-length"] = str(len(body))
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": body})
