"""eloomi REST API v3: users, units (departments), teams, courses and participants, and Passport's token
endpoint.

Mounted at /eloomi (the real host `https://api.eloomi.com` is served as /eloomi by virtual hosting). One
tenant is one eloomi platform; requests without `X-Mock-Tenant` use the default platform, whose client is
the README's example client 200.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import RequestContext
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.operations import OperationIndex, in_order
from mocks.core.paths import fixture
from mocks.core.ratelimit import Decision, RateRule, RequestInfo, laravel_429_headers, laravel_headers
from mocks.core.store import World
from mocks.core.vendor import Api, Credential, Vendor

from . import auth, handlers, seed
from . import errors as e
from .errors import empty_input, operation_of, render_validation, unreadable_body

_TOKEN_PATH = "/oauth/token"


def _client_address(info) -> str:
    return f"ip:{info.client}"


class Eloomi(Vendor):
    name = "eloomi"
    title = "eloomi"
    apis = [
        Api(
            spec="eloomi.yaml",
            base_path="/eloomi",
            handlers="mocks.eloomi.handlers",
            # schema-valid requests eloomi refuses: a taken email, a unique clash, an unknown course
            # or user to assign (400), an unknown user or team to join (404)
            rule_violation_statuses=["400", "404"],
        )
    ]
    hosts = [r"api\.eloomi\.com"]
    bench = {"path": "/eloomi/v3/users?per_page=25", "token": {}}
    settings_defaults = {
        "require_client_id": True,  # a missing or different ClientId header is a 401 (inferred)
        "users_default_per_page": 0,  # GET /v3/users without per_page: 0 = all (later reference); 25 = 2018 docs
    }

    def seed(self, world: World) -> None:
        seed.seed(world)

    # -- auth -----------------------------------------------------------------------------------
    def verify(self, request: Any, scheme: dict, scopes: list[str]) -> dict:
        return auth.verify(request, scheme, scopes)

    def credentials(self) -> list[Credential]:
        return [
            Credential(c["label"], {"client_id": str(c["client_id"]), "client_secret": c["client_secret"]})
            for c in fixture(self.name, "clients")
        ]

    def mint_token(self, world: World, params: dict[str, Any]) -> dict[str, Any]:
        """Admin API: a token of a client of the platform (`client_id`, default the README's 200; `scope`,
        default "*"), and the two headers every /v3 call sends."""
        unknown = set(params) - {"client_id", "scope"}
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; eloomi takes client_id, scope")
        client_id = str(params.get("client_id") or world["clients"].keys()[0])
        if client_id not in world["clients"]:
            raise ValueError(f"no client {client_id!r} in platform {world.tenant!r}")
        scope = params.get("scope", "*")
        scopes = [s for s in str(scope).split(" ") if s]
        if any(s not in auth.KNOWN_SCOPES for s in scopes):
            raise ValueError(f"eloomi knows the scopes {list(auth.KNOWN_SCOPES)}")
        token = auth.issue(world, client_id, scopes)
        return {
            "token_type": "Bearer",
            "expires_in": auth.EXPIRES_IN,
            "access_token": token,
            "client_id": client_id,
            "headers": {"Authorization": f"Bearer {token}", "ClientId": client_id},
        }

    # -- rate limits (README: 600 requests per rolling 60 s) -------------------------------------------
    # Laravel's `throttle` is route middleware: counted once the router found the route (after_routing), so
    # 404s, 405s and the router's own OPTIONS answers never count. The `api` rule keys on the engine's
    # default, the bearer token however "Bearer" is spelled (as auth.py reads it), else the client address.
    def rate_rules(self) -> list[RateRule]:
        return [
            RateRule(
                "api",
                600,
                60,
                applies=_api_route,
                after_routing=True,
                note="README: 600 requests per rolling 60 seconds (Laravel's window, which opens at the first "
                "hit), per bearer token; routes only (not 404s, 405s or OPTIONS)",
            ),
            RateRule(
                "token",
                60,
                60,
                applies=_token_route,
                after_routing=True,
                key=_client_address,
                inferred=True,
                note="Passport's POST /oauth/token route carries Laravel's default throttle: 60 per minute per IP",
            ),
        ]

    def rate_headers(self, decisions: list[Decision]) -> dict[str, str]:
        return laravel_headers(decisions)

    def rate_limited(self, decision: Decision) -> VendorProblem:
        return e.too_many_attempts(laravel_429_headers(decision))

    # -- errors ---------------------------------------------------------------------------------
    def render_error(self, case: ErrorCase) -> VendorProblem:
        if case.path.endswith(self.mount + _TOKEN_PATH) and case.kind in ("validation", "unsupported_media_type"):
            return e.unsupported_grant_type()  # league finds no grant_type in a body it cannot read
        if case.kind == "unsupported_media_type" or (case.kind == "validation" and unreadable_body(case)):
            return self._without_input(case)
        if case.kind == "validation":
            return render_validation(case)
        if case.kind == "unauthenticated":
            return e.unauthenticated()
        if case.kind == "not_found":
            return e.route_not_found()
        if case.kind == "method_not_allowed":
            local = case.path[len(self.mount) :] if case.path.startswith(self.mount + "/") else case.path
            return e.method_not_allowed(allowed(local, ", "))
        if case.kind == "forbidden":
            return e.plain(403)
        return e.server_error()

    def _without_input(self, case: ErrorCase) -> VendorProblem:
        """A body Laravel reads as no input: the operation's own answer to no input (PATCH: 200, nothing
        changed; POST /v3/users: "Undefined index: email"; ...), as for a body of a media type PHP ignores."""
        op = operation_of(case)
        local = case.path[len(self.mount) :] if case.path.startswith(self.mount + "/") else case.path
        parameters = operation_index().path_parameters(op, local) if op else None
        if op is None or parameters is None or not handlers.reads_body(op):
            return empty_input(op)
        return handlers.without_input(op, parameters)

    def fault(self, status: int, ctx: RequestContext) -> VendorProblem:
        if status == 401:
            return e.unauthenticated()
        if status == 429:
            reset = int(ctx.clock.time()) + 60
            return e.too_many_attempts(
                {
                    "X-RateLimit-Limit": "600",
                    "X-RateLimit-Remaining": "0",
                    "Retry-After": "60",
                    "X-RateLimit-Reset": str(reset),
                }
            )
        if status == 500:
            return e.server_error()
        return e.plain(status)


vendor = Eloomi()


# -- routes ---------------------------------------------------------------------------------------------
SPEC = "eloomi.yaml"
TOKEN_OPERATION = "issue_token"


def operation_index() -> OperationIndex:
    """The API's routes, on paths below the vendor mount (the engine's one route table)."""
    return OperationIndex.of(SPEC, "")


def allowed(local_path: str, separator: str) -> str:
    """The methods of the routes on a path in Laravel's order, OPTIONS left out (Laravel registers no OPTIONS
    routes): the router's OPTIONS answer joins them with ",", its 405 with ", "."""
    return separator.join(m for m in in_order(operation_index().methods(local_path)) if m != "OPTIONS")


def _api_route(info: RequestInfo) -> bool:
    """A /v3 route (the `api` throttle: 600 per 60 s); the router's own OPTIONS answers are no route."""
    operation = info.operation_id or ""
    return operation != TOKEN_OPERATION and not operation.startswith("options_")


def _token_route(info: RequestInfo) -> bool:
    """Passport's POST /oauth/token (its own `throttle`)."""
    return info.operation_id == TOKEN_OPERATION
