"""PERSCOM.io API v1 and v2 (Laravel Orion), mounted at /perscom: `https://api.perscom.io/v1/...` is
`http://127.0.0.1:8000/perscom/v1/...`, `.../v2/...` likewise (or the real hostname through virtual hosting).

A tenant is an organisation, named by `X-Perscom-Id` (or `?perscom_id=`) in v1, by the key's `tenant` claim
or `X-Perscom-Id` in v2; each is its own seeded world, which both versions share (domain.py).
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from typing import Any

from mocks.core.auth import bearer_token
from mocks.core.clock import VirtualClock
from mocks.core.context import RequestContext, current
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.operations import OperationIndex, in_order
from mocks.core.paths import fixture
from mocks.core.ratelimit import Decision, RateRule, RequestInfo, laravel_headers
from mocks.core.store import World
from mocks.core.vendor import Api, Credential, Vendor

from . import auth, webhooks, wire
from . import errors as e
from .routes import operations


class Perscom(Vendor):
    name = "perscom"
    title = "PERSCOM.io"
    # Both share /perscom and v1's `/v1/...` routes must be tried before v2's `/{version}/...`. Listed v2
    # first because Connexion's sort_apis_by_basepath reverses APIs with equal base paths (its comparator
    # calls each "less" than the other), so the engine tries v1 first; tests/perscom/test_v2.py guards it.
    apis = [
        Api(
            spec="perscom_v2.yaml",
            base_path="/perscom",
            handlers="mocks.perscom.handlers_v2",
            official=["perscom/v2-openapi.json"],
            rule_violation_statuses=["422"],
        ),
        Api(
            spec="perscom.yaml",
            base_path="/perscom",
            handlers="mocks.perscom.handlers",
            rule_violation_statuses=["422"],
            fallback_methods=["GET", "HEAD"],
        ),
    ]
    hosts = [r"api\.perscom\.io", r"api\.staging\.perscom\.io"]
    default_tenant = "1"
    bench = {"path": "/perscom/v1/users?include=rank,unit&limit=25", "token": {"tenant": "1", "scopes": ["*"]}}
    settings_defaults = {
        "subscribed": True,  # False: every authenticated call gets the 402
        "admin_approval_required": False,  # True: keys of users with approved=false get the 401
        "single_sign_on_key": "",  # HS256 key of SSO tokens (seeded per organisation)
        "webhooks": [],  # [{url, method: GET|POST, secret, events: [...]}]
    }

    def tenant_of(self, headers: dict[str, str], query: Any, path: str) -> str | None:
        if wire.version_of(path) == "v1":
            return auth.tenant_of(headers, query)
        return auth.v2_tenant_of(headers, query)

    def seed(self, world: World) -> None:
        from .seed import seed

        seed(world)

    def apply_settings(self, world: World, changes: dict[str, Any]) -> None:
        if "webhooks" in changes:
            changes = {**changes, "webhooks": webhooks.validate_config(changes["webhooks"])}
        super().apply_settings(world, changes)

    # -- auth -----------------------------------------------------------------------------------
    def verify(self, request: Any, scheme: dict, scopes: list[str]) -> dict:
        return auth.verify(request)

    def credentials(self) -> list[Credential]:
        issued, expires = fixture(self.name, "key_issued_at"), fixture(self.name, "key_expires_at")
        clock = VirtualClock(datetime.fromtimestamp(issued, UTC), frozen=True)
        found = []
        for org_id, organization in auth.organizations().items():
            for key in organization.get("keys", []):
                token = auth.ISSUER.mint(
                    auth.key_claims(key["jti"], key["user"], key["scopes"], issued, expires), clock=clock, lifetime=None
                )
                found.append(
                    Credential(
                        f"{organization['name']}: {key['label']}",
                        {"X-Perscom-Id": org_id, "Authorization": f"Bearer {token}"},
                    )
                )
        return found

    def mint_token(self, world: World, params: dict[str, Any]) -> dict[str, Any]:
        """Admin API: an API key (`kind: "api_key"`, default) or SSO token (`kind: "sso"`) for `user_id`
        (default 1) with `scopes` (default ["*"]); `lifetime_seconds` (default one year / one hour)."""
        unknown = set(params) - {"user_id", "scopes", "kind", "lifetime_seconds", "name", "version"}
        if unknown:
            raise ValueError(
                f"unknown parameters {sorted(unknown)}; perscom takes user_id, scopes, kind, "
                "lifetime_seconds, name, version"
            )
        version = params.get("version", "v1")
        if version not in wire.VERSIONS:
            raise ValueError("version must be v1 (Passport claims only) or v2 (adds tenant and the OIDC claims)")
        user_id = params.get("user_id", 1)
        if not isinstance(user_id, int) or world["users"].get(user_id) is None:
            raise ValueError(f"no user {user_id!r} in organization {world.tenant!r}")
        scopes = params.get("scopes", ["*"])
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise ValueError('scopes must be a list of strings, e.g. ["view:user"] or ["*"]')
        kind = params.get("kind", "api_key")
        if kind == "sso":
            lifetime = int(params.get("lifetime_seconds", 3600))
            token = auth.sso_token(
                world, self.settings_of(world)["single_sign_on_key"], user_id, scopes, lifetime=lifetime
            )
        elif kind == "api_key":
            lifetime = int(params.get("lifetime_seconds", auth.KEY_LIFETIME))
            token = auth.issue_key(
                world, user_id, scopes, name=str(params.get("name", "API key")), lifetime=lifetime, oidc=version == "v2"
            )
        else:
            raise ValueError("kind must be api_key or sso")
        headers = {"Authorization": f"Bearer {token}"}
        if version == "v1" or kind == "sso":  # a v2 key names its organisation itself
            headers["X-Perscom-Id"] = world.tenant
        return {
            "token_type": "Bearer",
            "kind": kind,
            "access_token": token,
            "user_id": user_id,
            "scopes": scopes,
            "expires_in": lifetime,
            "version": version,
            "headers": headers,
        }

    def contract_headers(self, suite: Any, api: Api) -> dict[str, str]:
        version = "v2" if api.spec == "perscom_v2.yaml" else "v1"
        return suite.mint_token(self.name, self.default_tenant, {"scopes": ["*"], "version": version})["headers"]

    def response_headers(self, ctx: RequestContext, status: int) -> dict[str, str]:
        return wire.response_headers() if wire.version_of(ctx.path) == "v2" else {}

    # -- rate limits (APP1 RouteServiceProvider::configureRateLimiting) ---------------------------
    def rate_rules(self) -> list[RateRule]:
        return [
            RateRule(
                "api",
                1000,
                60,
                key=_user_key,
                applies=_throttled,
                note="1000/min per authenticated user (RouteServiceProvider::configureRateLimiting); v2 keyed "
                "the same way, INFERRED (APPH keys by user only when throttle runs after auth)",
            ),
            RateRule(
                "guest",
                100,
                60,
                applies=lambda i: _throttled(i) and _unauthenticated_route(i),
                key=lambda i: f"ip:{i.client}",
                note="100/min per IP on routes without auth (the spec, unknown endpoints)",
            ),
        ]

    def rate_headers(self, decisions: list[Decision]) -> dict[str, str]:
        return laravel_headers(decisions)

    def rate_limited(self, decision: Decision) -> VendorProblem:
        # INFERRED from APP1 Handler::render: it rebuilds the body and drops Retry-After / X-RateLimit-*
        return e.too_many_attempts()

    # -- errors ---------------------------------------------------------------------------------
    def unrouted_v1(self, method: str, path: str) -> VendorProblem:
        """What the v1 routes answer on a path none of them has: the fallback's 404 (GET/HEAD), the router's
        405 for other methods, its OPTIONS answer."""
        if method == "OPTIONS":
            return _options(path)
        if method in ("GET", "HEAD"):
            return e.endpoint_not_found()
        problem = e.method_not_allowed(method, _local_path(path), ["GET", "HEAD"])
        problem.headers = {"Allow": "GET, HEAD"}  # the fallback's: not the methods a v2-table route declares
        return problem

    def render_error(self, case: ErrorCase) -> VendorProblem:
        """One renderer for both versions: errors.py writes the envelope of the version the path speaks."""
        local = _local_path(case.path)
        if wire.version_of(case.path) == "v1":
            if _is_unrouted(local) and case.kind not in ("server_error", "bad_response"):
                return self.unrouted_v1(case.method, case.path)  # a v2-table route caught a path v1 lacks
        else:
            version = wire.path_version(case.path)
            if version is not None and version not in wire.VERSIONS and case.method != "OPTIONS":
                return e.invalid_version()
            if case.kind == "unauthenticated" and not auth.organization_known(current()):
                return e.http_exception(401, "Unauthorized")  # v2 tenancy: abort(401) before the key
        if case.kind in ("validation", "unsupported_media_type"):
            return _as_empty_input(case)
        if case.method == "OPTIONS" and case.kind in ("not_found", "method_not_allowed"):
            return _options(case.path)
        if case.kind == "not_found":
            if case.method in ("GET", "HEAD"):
                return e.endpoint_not_found()
            return e.method_not_allowed(case.method, local, ["GET", "HEAD"])
        if case.kind == "method_not_allowed":
            return e.method_not_allowed(case.method, local, _supported(case.path, case.method))
        if case.kind == "unauthenticated":
            return e.unauthenticated()
        if case.kind == "forbidden":
            return e.unauthorized()
        return e.server_error()

    def fault(self, status: int, ctx: RequestContext) -> VendorProblem:
        known = {
            401: e.unauthenticated,
            402: e.subscription_required,
            403: e.unauthorized,
            404: e.endpoint_not_found,
            429: e.too_many_attempts,
        }
        if status in known:
            return known[status]()
        if status == 422:
            return e.validation([])
        return e.server_error(status)


def _options(path: str) -> VendorProblem:
    """Laravel's router answers an OPTIONS request no route declares itself (RouteCollection::
    getRouteForMethods): 200, an empty body and `Allow` with the other methods the path matches (always GET
    and HEAD: the fallback route), comma-separated in Router::$verbs order. The route it makes on the fly has
    no middleware: no organisation, key or throttle."""
    return VendorProblem(
        200, b"", media_type="text/html; charset=UTF-8", headers={"Allow": ",".join(_supported(path, "OPTIONS"))}
    )


def _local_path(path: str) -> str:
    return path[len("/perscom") :] if path.startswith("/perscom/") else path


def _supported(path: str, method: str) -> list[str]:
    """The methods Laravel's 405 lists: the version's routes' own plus GET/HEAD of the catch-all fallback."""
    spec = "perscom.yaml" if wire.version_of(path) == "v1" else "perscom_v2.yaml"
    found = OperationIndex.of(spec, "/perscom").methods(path) | {"GET", "HEAD"}
    return [v for v in in_order(found) if v != method]


def _as_empty_input(case: ErrorCase) -> VendorProblem:
    """A body Laravel cannot read (not JSON, not an object, another media type) is empty input to it:
    answer exactly as the operation answers `{}`."""
    from .handlers import perform

    found = _operation_for(case.method, _local_path(case.path))
    if found is None:
        return e.validation([])
    op, path_params = found
    params = {k: v for k, v in case.request.query_params.items()}
    params.update(path_params)
    try:
        response = perform(op, params, {})
    except VendorProblem as problem:
        return problem
    return VendorProblem(response.status_code, response.body, media_type="application/json")


@functools.cache
def _operation_patterns(version: str = "v1") -> list[tuple[re.Pattern, Any]]:
    """(path regex, operation) in spec order: static paths before templated ones, as the routers try them."""
    patterns = []
    for op in operations(version):
        regex = re.sub(r"\\{([^/]+?)\\}", r"(?P<\1>[^/]+)", re.escape(op.path))
        patterns.append((re.compile("^" + regex + "$", re.DOTALL), op))
    return sorted(patterns, key=lambda item: "{" in item[1].path)


def _operation_for(method: str, path: str):
    for pattern, op in _operation_patterns(wire.version_of(path)):
        match = pattern.match(path)
        if match and op.method == method:
            return op, match.groupdict()
    return None


def _throttled(info: RequestInfo) -> bool:
    """OPTIONS is answered by a route without middleware (see _options): no throttle."""
    return info.method != "OPTIONS"


def _unauthenticated_route(info: RequestInfo) -> bool:
    """The spec and unknown endpoints (the fallback) carry no auth: Laravel throttles them per IP."""
    return _is_unrouted(info.local_path)


@functools.lru_cache(maxsize=4096)
def _is_unrouted(path: str) -> bool:
    """No route with auth serves this path (the specs, health, unknown endpoints)."""
    if path in ("/v1/spec.yaml", "/health", "/spec.json"):
        return True
    version = wire.version_of(path)
    if version == "v2" and _V2_CACHE.match(path):
        return False
    return not any(pattern.match(path) for pattern, _ in _operation_patterns(version))


_V2_CACHE = re.compile(r"^/[^/]+/cache$")


def _user_key(info: RequestInfo) -> str | None:
    """`$request->user()?->id`: throttle runs after tenancy and auth, so only requests that pass both count
    (INFERRED: revocation is not re-checked here)."""
    token = bearer_token(info.header("authorization")) or _query_apikey(info)
    if token is None or info.tenant in (None, auth.UNIDENTIFIED) or _unauthenticated_route(info):
        return None
    if info.tenant not in auth.organizations() and _peek(info.tenant) is None:
        return None  # tenancy answers 401 before throttle runs
    try:
        claims = auth.ISSUER.verify(token, clock=_clock())
        auth.check_times(claims, _clock())
    except Exception:
        claims = None
    if claims is None:
        world = _peek(info.tenant)
        secret = vendor.settings_of(world).get("single_sign_on_key") if world is not None else None
        if not secret:
            return None
        try:
            claims = auth.sso_claims(token, secret, _clock())
        except Exception:
            return None
    sub = claims.get("sub")
    return f"user:{info.tenant}:{sub}" if sub is not None else None


def _query_apikey(info: RequestInfo) -> str | None:
    """v2's `?apikey=` (the rate-limit key is the user either way)."""
    if wire.version_of(info.path) == "v1":
        return None
    query = current().scope.get("query_string", b"")
    if b"apikey=" not in query:
        return None
    from urllib.parse import parse_qs

    return (parse_qs(query.decode("latin-1")).get("apikey") or [None])[0]


def _clock():
    return current().suite.clock


def _peek(tenant: str) -> World | None:
    return current().suite.worlds.peek(vendor.name, tenant)


vendor = Perscom()
