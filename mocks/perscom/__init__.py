"""PERSCOM.io API v1 and v2 (Laravel Orion), mounted at /perscom: `https://api.perscom.io/v1/...` is
`http://127.0.0.1:8000/perscom/v1/...`, `.../v2/...` likewise (or the real hostname through virtual hosting).

A tenant is an organisation, named by `X-Perscom-Id` (or `?perscom_id=`) in v1, by the key's `tenant` claim
or `X-Perscom-Id` in v2; each is its own seeded world, which both versions share (domain.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mocks.core.clock import VirtualClock
from mocks.core.context import RequestContext
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.paths import fixture
from mocks.core.ratelimit import Decision, RateRule, RequestInfo, laravel_headers
from mocks.core.store import World
from mocks.core.vendor import Api, Credential, Vendor

from . import auth, wire
from . import errors as e
from .domain_routes import is_unrouted
from .domain_webhooks import validate_config


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

    def checked_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        if "webhooks" in changes:
            changes = {**changes, "webhooks": validate_config(changes["webhooks"])}
        return super().checked_settings(changes)

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
                key=auth.throttle_key,
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
    def render_error(self, case: ErrorCase) -> VendorProblem:
        return e.render(case)

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


def _throttled(info: RequestInfo) -> bool:
    """OPTIONS is answered by a route without middleware (errors.options): no throttle."""
    return info.method != "OPTIONS"


def _unauthenticated_route(info: RequestInfo) -> bool:
    """The spec and unknown endpoints (the fallback) carry no auth: Laravel throttles them per IP."""
    return is_unrouted(info.local_path)


vendor = Perscom()
