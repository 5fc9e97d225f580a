"""Builds the suite: ONE ASGI app with every vendor's specs mounted under /<vendor>, plus /_mocks.

suite = create_app()                      # AsyncApp (served default)
suite = create_app(framework="flask")     # the same on FlaskApp, for WSGI stacks
uvicorn.run(suite, ...)                   # a Suite is an ASGI app
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, MutableMapping
from types import ModuleType
from typing import Any

import connexion
from connexion.exceptions import ProblemException, ResolverError
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.resolver import Resolution, Resolver
from starlette.exceptions import HTTPException

from .admin import AdminApp
from .auth import security_map
from .clock import VirtualClock
from .compiled import CompiledOperations
from .console import Console
from .context import current
from .errors import VendorProblem, classify
from .faults import FaultInjector
from .journal import Journal
from .limits import Limits, RequestAborted
from .memory import Trimmer
from .middleware.admin_mount import AdminMount
from .middleware.exchange import SCOPE_KEY
from .middleware.faults import Faults
from .middleware.journal import JournalRecorder
from .middleware.last_resort import LastResort
from .middleware.path import RequestPath
from .middleware.rate_limit import CountAfterRouting, RateLimit
from .middleware.request_body import RequestBodyGuard
from .middleware.response_headers import ResponseHeaders
from .middleware.shared_state import SharedState
from .middleware.size_limits import SizeLimits
from .middleware.vendor_context import VendorContext
from .middleware.virtual_host import VirtualHost
from .operations import OperationIndex
from .paths import data_dir
from .ratelimit import RateLimiter
from .routing import AnyPathRoutingMiddleware, BoundedFlaskIntegerConverter
from .specs import spec_document, validated_elsewhere
from .store import TenantWorlds
from .validation import VALIDATOR_MAP
from .vendor import Vendor

log = logging.getLogger("mocks")
# Connexion warns on every request to an operation that accepts several media types (form and JSON).
logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)

FRAMEWORKS = ("async", "flask")


# The request path in front of Connexion, in order (one idea per module in core/middleware/, run by path.py).
# Refusals that need no routing (size limits, faults, rate limits) come before it, the way a real edge answers
# them; every answer, theirs included, leaves through the on_start/on_body hooks of the steps listed before the
# one that sent it (ResponseHeaders: the vendor's headers and real 204s; JournalRecorder: the journal).
REQUEST_PATH = [
    VirtualHost,  # Host: api.personio.de + /v1/... is /personio/v1/...
    AdminMount,  # /_mocks, and paths under no vendor
    VendorContext,  # tenant, RequestContext, the Exchange; the world released at the end
    JournalRecorder,  # the exchange as the client saw it
    ResponseHeaders,  # vendor and rate-limit headers, real 204s
    LastResort,  # the vendor's 500 for what escapes
    SizeLimits,  # 431 / 414 / 413 before any vendor code
    SharedState,  # with a shared store (Redis): the clock and the request's world caught up, writes locked
    Faults,  # injected latency, statuses, broken connections
    RateLimit,  # the vendor's 429 and rate-limit headers
    RequestBodyGuard,  # a cut-off or oversized body is never executed
]


class HandlerResolver(Resolver):
    """operationId → the function of that name in the API's handler modules. A missing handler, or one that
    two modules define, fails startup."""

    def __init__(self, modules: list[ModuleType]) -> None:
        super().__init__()
        self.modules = modules

    def resolve(self, operation) -> Resolution:
        operation_id = self.resolve_operation_id(operation)
        found = [m for m in self.modules if callable(getattr(m, operation_id, None))]
        names = ", ".join(m.__name__ for m in (found or self.modules))
        if not found:
            raise ResolverError(f"{names}: no handler for operationId {operation_id!r}")
        if len(found) > 1:
            raise ResolverError(f"operationId {operation_id!r} has a handler in each of {names}: keep one")
        return Resolution(getattr(found[0], operation_id), operation_id)


class Suite:
    """The whole mock: vendors, their worlds, the virtual clock, the journal, faults and rate limits."""

    def __init__(
        self,
        vendors: Iterable[Vendor],
        *,
        seed: int = 0,
        clock: VirtualClock | None = None,
        framework: str = "async",
        validate_responses: bool = False,
        journal_capacity: int = 1000,
        admin_token: str | None = None,
        admin_enabled: bool = True,
        limits: Limits | None = None,
        max_worlds: int = 256,
        store: str | None = None,
    ) -> None:
        if framework not in FRAMEWORKS:
            raise ValueError(f"framework must be one of {FRAMEWORKS}, not {framework!r}")
        self.vendors: dict[str, Vendor] = {v.name: v for v in vendors}
        self.framework = framework
        self.admin_token = admin_token  # /_mocks requires `Authorization: Bearer <token>` when set
        self.admin_enabled = admin_enabled  # False: /_mocks answers 404 "switched off" (mocks run --no-admin)
        self.clock = clock or VirtualClock()
        self.limits = limits or Limits()  # request sizes (core/limits.py)
        self.worlds = TenantWorlds(self.clock, seed, max_worlds=max_worlds)  # least recently used evicted beyond
        self.start_seed = seed  # what a full reset returns to (POST /_mocks/seed changes the current)
        self.journal = Journal(journal_capacity)
        self.faults = FaultInjector()
        self.limiter = RateLimiter(self.clock)
        self.trimmer = Trimmer()  # freed heap back to the system when quiet (core/memory.py)
        # None: everything in this process (the embedded default); redis://...: shared by every worker
        if store and framework != "async":  # its commits and replicas assume handlers run on the event loop
            raise ValueError("a shared store (store=...) needs the async framework")
        self.shared = _shared_store(self, store) if store else None
        for vendor in self.vendors.values():
            self.worlds.register(vendor.name, vendor.seed, locale=vendor.locale, restored=vendor.restored)
            self.limiter.register(vendor.name, vendor.rate_rules())
        self.connexion_app = self._build_connexion(validate_responses)
        self.admin = Console(self, AdminApp(self))  # dashboard and explorer in front of the admin API
        steps = [step(self) for step in REQUEST_PATH if step.wanted(self)]
        self.request_path = RequestPath(steps, self._served_app())
        self.mounts: AdminMount = self.request_path.step(AdminMount)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            await self.request_path(scope, receive, send)
        else:  # lifespan
            await self.connexion_app(scope, receive, send)

    @property
    def seed(self) -> int:
        return self.worlds.seed

    def reset(self, vendor: str | None = None, tenant: str | None = None) -> int:
        """Matching worlds forgotten (they re-seed on next use); for everything also faults, journal, rate
        limits (defaults, switched on), the seed and the clock (as the server started), for one vendor its rate
        counters. Returns the worlds dropped."""
        dropped = self.worlds.reset(vendor, tenant)
        if vendor is None and tenant is None:
            if self.worlds.seed != self.start_seed:
                self.worlds.reseed(self.start_seed)
            self.faults.clear()
            self.journal.clear()
            self.limiter.restore_defaults()
            self.clock.reset()
        elif tenant is None:
            self.limiter.clear_counters(vendor)
        return dropped

    def mint_token(
        self,
        vendor: str,
        tenant: str | None = None,
        params: dict[str, Any] | None = None,
        *,
        scope: MutableMapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A credential in the vendor's own format (the admin API's POST /_mocks/tokens). `scope` is the
        ASGI scope of the request asking, for vendors whose tokens name the host they were issued by."""
        from .context import RequestContext, bind, unbind

        owner = self.vendors[vendor]
        tenant = tenant or owner.default_tenant
        world = self.worlds.get(vendor, tenant)
        scope = scope or {
            "type": "http",
            "scheme": "http",
            "path": owner.mount,
            "server": ("127.0.0.1", 8000),
            "headers": [(b"host", b"127.0.0.1:8000")],
        }
        token = bind(RequestContext(suite=self, vendor=owner, tenant=tenant, scope=scope))
        try:
            with world.transaction():
                return {"vendor": vendor, "tenant": tenant, **owner.mint_token(world, dict(params or {}))}
        finally:
            unbind(token)

    # -- Connexion wiring ----------------------------------------------------------------------
    def _served_app(self):
        """What the request path hands requests to. The AsyncApp build's one middleware (CompiledOperations)
        is called directly: AsyncApp and ConnexionMiddleware in front of it only put themselves in the scope
        (`scope["app"]`), which nothing on this path reads."""
        compiled = getattr(self.connexion_app.middleware, "app", None)
        return compiled if isinstance(compiled, CompiledOperations) else self.connexion_app

    def _build_connexion(self, validate_responses: bool):
        if self.framework == "async":
            # Served build: Connexion's routing/security/validation/handler chain compiled per operation.
            # It renders its own errors (error_renderer below); middleware/last_resort.py is the last-resort 500.
            middlewares: list[Any] = [CompiledOperations]
            app_class = connexion.AsyncApp
        else:
            # WSGI build: Connexion's stock middlewares (minus Swagger UI and lifespan; routing of any path).
            middlewares = [
                ServerErrorMiddleware,
                ExceptionMiddleware,
                AnyPathRoutingMiddleware,
                CountAfterRouting,  # rate rules that wait for the route, before security
                SecurityMiddleware,
                RequestValidationMiddleware,
            ]
            if validate_responses:
                middlewares.append(ResponseValidationMiddleware)
            middlewares.append(ContextMiddleware)
            app_class = connexion.FlaskApp
        app = app_class("mocks", specification_dir=str(data_dir("specs")), middlewares=middlewares)
        if self.framework == "flask":
            app.app.url_map.converters["int"] = BoundedFlaskIntegerConverter
        with validated_elsewhere():
            for vendor in self.vendors.values():
                verify = _recording_verify(vendor)
                for api in vendor.apis:
                    # the spec's stem keeps names unique when APIs share a base path (Flask blueprint names)
                    name = f"{vendor.name}{api.base_path}/{api.spec.rsplit('.', 1)[0]}"
                    app.add_api(
                        spec_document(api.spec),
                        base_path=api.base_path,
                        name=name,
                        resolver=HandlerResolver(api.handler_modules()),
                        security_map=security_map(verify),
                        validator_map=VALIDATOR_MAP,
                        strict_validation=api.strict_validation,
                        validate_responses=validate_responses,
                        error_renderer=self._render_error,
                        routes=OperationIndex.of(api.spec, api.base_path),  # one table: served and error routing
                    )
        for exc_class in (ProblemException, HTTPException, Exception):
            app.add_error_handler(exc_class, self._render_error)
        # Build the middleware stack now rather than on the first request: startup errors surface at
        # once and the first request is as fast as the rest.
        middleware = app.middleware
        middleware.app, middleware.middleware_stack = middleware._build_middleware_stack()
        if self.framework == "flask":  # the stack registers the Flask rules
            _no_automatic_options(app.app.url_map)
        return app

    async def _render_error(self, request, exc: Exception):
        """The one error dispatcher: vendor code's own problems pass through; everything else is
        rendered by the vendor that owns the request (Connexion has no per-API error handler)."""
        if isinstance(exc, VendorProblem):
            return exc.to_problem()
        if isinstance(exc, RequestAborted):  # middleware/request_body.py answers it (or the client left)
            return VendorProblem(400, None).to_problem()
        if self.shared is not None and isinstance(exc, self.shared.FAILURES):  # a commit Redis refused or never got
            rerun = self.request_path.step(SharedState).rerun(request.scope.get(SCOPE_KEY), exc)
            if rerun is not None:
                raise rerun
            return self.shared.unavailable(exc, current()).to_problem()
        vendor: Vendor | None
        try:
            vendor = current().vendor
        except LookupError:
            vendor = self.mounts.vendor_for_path(request.url.path)
        case = classify(exc, request)
        if case.kind in ("server_error", "bad_response"):
            log.error("%s on %s %s", case.kind, request.method, request.url.path, exc_info=exc)
        if vendor is None:
            return VendorProblem(case.status, {"error": case.kind}).to_problem()
        try:
            problem = vendor.render_error(case)
        except Exception:
            log.exception("error renderer of %s failed", vendor.name)
            return VendorProblem(500, {"error": "server_error"}).to_problem()
        if problem.status == 405:  # RFC 9110: a 405 lists what the resource allows
            allowed = self.allowed_methods(request.url.path)
            if allowed:
                problem.headers = {"Allow": ", ".join(allowed), **(problem.headers or {})}
        return problem.to_problem()

    def allowed_methods(self, path: str) -> list[str]:
        """The methods our specs declare for a concrete path (for 405 `Allow` headers)."""
        found = {
            m
            for vendor in self.vendors.values()
            for api in vendor.apis
            for m in OperationIndex.of(api.spec, api.base_path).methods(path)
        }
        return [m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") if m in found]


def _shared_store(suite: Suite, url: str):
    """The Redis store (imported only when asked for: its client needs the `redis` extra's hiredis)."""
    try:
        from .shared_store import SharedStore
    except ImportError as error:
        raise ValueError(f"--store {url}: needs the redis extra (pip install 'mocks[redis]'): {error}") from None
    return SharedStore(suite, url)


def _recording_verify(vendor: Vendor):
    """The vendor's verify(), with the principal it returns stored on the request context."""

    def verify(request, scheme: dict, scopes: list[str]) -> dict:
        principal = vendor.verify(request, scheme, scopes)
        try:
            ctx = current()
        except LookupError:
            return principal
        if ctx.principal is None:
            ctx.principal = dict(principal)
        else:  # several schemes AND-ed (e.g. ClientId + bearer): merge what they found
            ctx.principal.update(principal)
        return principal

    return verify


def _no_automatic_options(url_map: Any) -> None:
    """Flask answers OPTIONS itself on every rule that does not declare it, before any spec operation: an
    OPTIONS the spec declares would never run and an undeclared one would not reach the vendor's 405. Take
    Flask's automatic OPTIONS off so both builds route OPTIONS alike."""
    for rule in url_map.iter_rules():
        if getattr(rule, "provide_automatic_options", False):
            rule.methods.discard("OPTIONS")
            rule.provide_automatic_options = False
    url_map._remap = True


def create_app(vendors: Iterable[str] | None = None, **options: Any) -> Suite:
    """The suite with the registered vendors (all, or the named ones). Options: see `Suite`."""
    from mocks.registry import load_vendors

    return Suite(load_vendors(vendors), **options)
