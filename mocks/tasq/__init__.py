"""Tasq (tasqinc.com) REST API v1: field-operations tasks behind an AWS API Gateway with a token authorizer.

Mounted at /tasq/v1 (`https://api.tasqinc.com/v1` → `http://127.0.0.1:8000/tasq/v1`). A tenant is an
operator (`{OPERATOR}.tasqinc.com`): the one the personal access token was minted for, else "tasq".
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import RequestContext
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.ratelimit import Decision, RateRule, RequestInfo
from mocks.core.store import World
from mocks.core.vendor import Api, Credential, Vendor

from . import auth, seed
from . import errors as e

README_USER = "tasq@tasqinc.com"


def _stage(_: RequestInfo) -> str:
    return "v1"  # no usage plans or API keys: API Gateway throttles the whole stage, every caller together


class Tasq(Vendor):
    name = "tasq"
    title = "Tasq"
    apis = [Api(spec="tasq.yaml", base_path="/tasq/v1", handlers="mocks.tasq.handlers")]
    bench = {"path": "/tasq/v1/users", "token": {}}
    # TasqAPIDomain-prod / -dev: tasq-inc/tasq-api@e19a84e src/resources/config.yml
    hosts = [r"api\.tasqinc\.com", r"dev-api\.tasqinc\.com"]
    default_tenant = "tasq"  # the operator of the README's example profile, tasq@tasqinc.com
    settings_defaults = {"authorizer_cache_seconds": auth.AUTHORIZER_TTL}

    def __init__(self) -> None:
        self.tokens = auth.TokenDirectory()

    def tenant_of(self, headers: dict[str, str], query: Any, path: str) -> str | None:
        return self.tokens.operator_of(headers.get("authorization"))

    def share(self, shared_map) -> None:
        """Which operator minted a token, for every worker (tokens minted through one are used on another)."""
        self.tokens.shared = shared_map("tasq:operators") if shared_map is not None else None

    def seed(self, world: World) -> None:
        seed.seed(world)
        auth.seed_tokens(world)

    def restored(self, world: World) -> None:
        """A snapshot brought this operator back: its minted tokens route to it again (the directory is
        process memory, lost on a restart)."""
        for token in auth.minted_tokens(world):
            self.tokens.remember(token, world.tenant)

    # -- auth -----------------------------------------------------------------------------------
    def verify(self, request: Any, scheme: dict, scopes: list[str]) -> dict:
        return auth.verify(request, scheme, scopes)

    def credentials(self) -> list[Credential]:
        from mocks.core.paths import fixture

        return [Credential(t["label"], {"authorization": t["AccessToken"]}) for t in fixture(self.name, "tokens")]

    def mint_token(self, world: World, params: dict[str, Any]) -> dict[str, Any]:
        """Admin API: a personal access token of `username` (default the README's user) in this operator;
        `admin: false` makes a token that gets the README's 403 "not an administrator"."""
        unknown = set(params) - {"username", "admin", "name"}
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; tasq takes username, admin, name")
        admin = params.get("admin", True)
        if not isinstance(admin, bool):
            raise ValueError("'admin' must be true or false")
        item = auth.mint(
            world,
            username=str(params.get("username") or README_USER),
            admin=admin,
            token_name=str(params.get("name") or "mocks"),
        )
        self.tokens.remember(item["AccessToken"], world.tenant)
        return {**item, "headers": {"authorization": item["AccessToken"]}}

    # -- throttling: none configured (no usage plan or stage throttling in tasq-inc/tasq-api@e19a84e
    # src/resources/api_gateway/); API Gateway's account defaults when switched on -----------------------
    def rate_rules(self) -> list[RateRule]:
        return [
            RateRule(
                "throttle",
                5000,
                0.5,
                algorithm="bucket",
                key=_stage,
                enabled=False,
                inferred=True,
                note="API Gateway stage throttling (token bucket: burst 5000, 10000 requests/s by "
                "default); off, as Tasq configures none — set limit/window to enable",
            )
        ]

    def rate_limited(self, decision: Decision) -> VendorProblem:
        return e.too_many_requests()

    # -- errors ---------------------------------------------------------------------------------
    def render_error(self, case: ErrorCase) -> VendorProblem:
        if case.kind in ("not_found", "method_not_allowed"):
            return e.missing_authentication_token()
        if case.kind == "validation":
            return e.render_validation(case)
        if case.kind == "unsupported_media_type":
            return e.invalid("Request body must be JSON (Content-Type: application/json)")
        if case.kind == "unauthenticated":
            return e.unauthorized()
        if case.kind == "forbidden":
            return e.explicit_deny()
        if case.kind == "payload_too_large":
            return e.request_too_long()
        return e.internal_server_error()

    def fault(self, status: int, ctx: RequestContext) -> VendorProblem:
        gateway = {401: e.unauthorized, 403: e.explicit_deny, 429: e.too_many_requests}
        if status in gateway:
            return gateway[status]()
        if status >= 500:
            return e.internal_server_error(status)
        return e.failure(status, "Injected failure")


vendor = Tasq()
