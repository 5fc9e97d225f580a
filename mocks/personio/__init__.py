"""Personio: v1 Personnel Data (+ /v1/auth), v2 persons/employments/absences/attendances (+ OAuth), Recruiting —
one company, one world.

Mounts (the real hosts map onto them by virtual hosting):
    https://api.personio.de/v1/...              → /personio/v1     personio_v1.yaml, personio_recruiting.yaml
    https://api.personio.de/v2/...              → /personio/v2     personio_v2.yaml
    https://api.personio.de/recruiting/applicant, https://{company}.jobs.personio.de/xml
                                                → /personio        personio_recruiting_root.yaml
A tenant is a company: the `{company}` of the jobs host, the tenant tagged in a `papi-` token, or
`X-Mock-Tenant`; otherwise the default company (subdomain "personio").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mocks.core.context import RequestContext, current
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.paths import fixture
from mocks.core.ratelimit import Decision, RateRule, RequestInfo
from mocks.core.store import World
from mocks.core.vendor import Api, Credential, Vendor

from . import auth, errors_render, seed
from . import domain as m
from . import errors as e

_JOBS_HOST = re.compile(r"^([a-z0-9-]+)\.jobs\.personio\.(?:de|com)$", re.IGNORECASE)
V2_BUCKET, V2_REPLENISH_PER_SECOND = 100, 10


def _ip(info: RequestInfo) -> str:
    return f"ip:{info.client}"


def _limits_on(info: RequestInfo) -> bool:
    """The company setting `rate_limits` (default true): false switches Personio's limits off for one company.
    Read without seeding: a company nobody touched yet has the defaults."""
    world = current().suite.worlds.existing("personio", info.tenant or Personio.default_tenant)
    return world is None or world.settings.get("rate_limits", True) is not False


def _exactly(method: str, path: str):
    return lambda info: info.method == method and info.local_path == path and _limits_on(info)


def _under(prefix: str, *, excluding: str):
    return lambda info: (
        info.local_path.startswith(prefix) and not info.local_path.startswith(excluding) and _limits_on(info)
    )


# On every 429 (and so in its journal entry): a client against the loopback mock makes requests ~100x faster
# than against Personio, so documented burst limits trip suites that never see a 429 in production.
LOOPBACK_HINT = (
    "Personio's documented limit {rule} ({limit} per {window:g} s) was reached. The mock answers on "
    "loopback about 100x faster than Personio: to keep the limits but not trip them, pace your client; "
    "to switch Personio's limits off for this company: PATCH /_mocks/settings "
    '{{"vendor": "personio", "settings": {{"rate_limits": false}}}} (pytest: mocks.limit("personio", '
    "enabled=False) for every company). See docs/vendors/personio.md, Rate limits."
)
HINT_HEADER = "X-Mock-Hint"


class Personio(Vendor):
    name = "personio"
    title = "Personio"
    locale = "de_DE"
    apis = [
        Api(
            spec="personio_v1.yaml",
            base_path="/personio/v1",
            handlers=[  # one module per resource
                "mocks.personio.handlers_v1_auth",
                "mocks.personio.handlers_v1_employees",
                "mocks.personio.handlers_v1_attendances",
                "mocks.personio.handlers_v1_absences",
                "mocks.personio.handlers_v1_documents",
                "mocks.personio.handlers_v1_reports",
            ],
            official=["personio/personio-auth-api.yaml", "personio/personio-personnel-data-api-oa3.yaml"],
            rule_violation_statuses=["400", "422"],
        ),
        Api(
            spec="personio_recruiting.yaml",
            base_path="/personio/v1",
            handlers="mocks.personio.handlers_recruiting",
            rule_violation_statuses=["400", "413", "422"],
        ),
        Api(
            spec="personio_v2.yaml",
            base_path="/personio/v2",
            handlers=[
                "mocks.personio.handlers_v2",  # auth, persons, employments
                "mocks.personio.handlers_v2_periods",  # absence types and periods, attendance periods
                "mocks.personio.handlers_v2_org",  # legal entities, org units, cost centers, compensations...
            ],
            # unknown persons/types/periods, conflicting and unprocessable period writes (documented statuses)
            rule_violation_statuses=["400", "404", "409", "422"],
        ),
        Api(
            spec="personio_recruiting_root.yaml",
            base_path="/personio",
            handlers="mocks.personio.handlers_recruiting",
            rule_violation_statuses=["400", "422"],
        ),
    ]
    hosts = [r"api\.personio\.de", r"[a-z0-9-]+\.jobs\.personio\.(?:de|com)"]
    bench = {"path": "/personio/v1/company/employees?limit=50", "token": {"api": "v1"}}
    settings_defaults = {"rotate": False, "recruiting_api_enabled": True, "rate_limits": True}

    # -- tenancy -------------------------------------------------------------------------------------
    def tenant_of(self, headers: dict[str, str], query: Mapping[str, str], path: str) -> str | None:
        host = _JOBS_HOST.match(headers.get("host", "").rsplit(":", 1)[0])
        if host:
            company = host.group(1).lower()
            return None if company == _default_subdomain() else company
        return auth.tenant_of_token(headers.get("authorization"))

    def seed(self, world: World) -> None:
        seed.seed(world)

    # -- auth ----------------------------------------------------------------------------------------
    def verify(self, request: Any, scheme: dict, scopes: list[str]) -> dict:
        return auth.verify(request, scheme, scopes)

    def credentials(self) -> list[Credential]:
        company = fixture(self.name, "company")
        found = [
            Credential(
                f"API credentials, {c['label']}", {"client_id": c["client_id"], "client_secret": c["client_secret"]}
            )
            for c in fixture(self.name, "credentials")
        ]
        found.append(
            Credential(
                "Recruiting API key (with header X-Company-ID)",
                {"api_key": company["recruiting_api_key"], "company_id": str(company["company_id"])},
            )
        )
        return found

    def mint_token(self, world: World, params: dict[str, Any]) -> dict[str, Any]:
        """Admin API: `{"api": "v1" | "v2" | "recruiting", "client_id"?, "scopes"?}` (default v1, first
        credentials, every scope of them)."""
        unknown = set(params) - {"api", "client_id", "scopes"}
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; personio takes api, client_id, scopes")
        api = params.get("api", "v1")
        tenant_header = {} if world.tenant == self.default_tenant else {"X-Mock-Tenant": world.tenant}
        if api == "recruiting":
            company = m.company(world)
            return {
                "api_key": company["recruiting_api_key"],
                "company_id": company["company_id"],
                "headers": {
                    "Authorization": f"Bearer {company['recruiting_api_key']}",
                    "X-Company-ID": str(company["company_id"]),
                    **tenant_header,
                },
            }
        client_id = params.get("client_id") or world[m.CREDENTIALS].keys()[0]
        row = auth.credential(world, client_id)
        if row is None:
            raise ValueError(f"no credentials {client_id!r} in company {world.tenant!r}")
        if api == "v1":
            token, expires_in = auth.issue_v1_token(world, row, stable=not self.settings_of(world)["rotate"])
            return {
                "token": token,
                "expires_in": expires_in,
                "scope": " ".join(row["v1_scopes"]),
                "headers": {"Authorization": f"Bearer {token}"},
            }
        if api == "v2":
            scopes = params.get("scopes", row["v2_scopes"])
            if isinstance(scopes, str):
                scopes = scopes.split()
            elif not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
                raise ValueError("scopes must be a space-separated string or a list of strings")
            if any(s not in row["v2_scopes"] for s in scopes):
                raise ValueError(f"credentials {client_id!r} have the scopes {row['v2_scopes']}")
            token = auth.issue_v2_token(world, row, scopes)
            return {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": auth.V2_TOKEN_LIFETIME,
                "scope": " ".join(scopes),
                "headers": {"Authorization": f"Bearer {token}"},
            }
        raise ValueError("api must be one of v1, v2, recruiting")

    def contract_headers(self, suite: Any, api: Api) -> dict[str, str]:
        kind = {"personio_v1.yaml": "v1", "personio_v2.yaml": "v2", "personio_recruiting.yaml": "recruiting"}
        if api.spec not in kind:
            return {}
        return suite.mint_token(self.name, params={"api": kind[api.spec]})["headers"]

    # -- rate limits (v2 numbers INFERRED); per API client (credentials) where not per IP ------------------
    # /v1/auth: https://developer.personio.de/reference/auth; GET /company/employees:
    # https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024; every v1 endpoint:
    # https://developer.personio.de/changelog/ip-address-based-rate-limiting-v1-endpoints; POST /company/documents
    # and the applicant endpoint: personio-personnel-data-api-oa3.yaml, personio-recruiting-api.yaml; v2 token:
    # https://developer.personio.de/reference/post_v2-auth-token, as quoted in Hochfrequenz/personio_client.py
    # docs/plans/2026-09-29-personio-v2-client.md; v2 bucket of 100: that repository's README, "Rate Limits".
    def rate_rules(self) -> list[RateRule]:
        return [
            RateRule(
                "v1_auth",
                60,
                60,
                applies=_exactly("POST", "/v1/auth"),
                key=_ip,
                cooldown=60,
                note="POST /v1/auth: 60 per minute, then a 60 s cool-down",
            ),
            RateRule(
                "v1_employees_burst",
                15,
                1,
                applies=_exactly("GET", "/v1/company/employees"),
                key=auth.rate_key,
                note="GET /company/employees: burst of 15 per second per API client",
            ),
            RateRule(
                "v1_employees",
                300,
                60,
                applies=_exactly("GET", "/v1/company/employees"),
                key=auth.rate_key,
                note="GET /company/employees: 300 per minute per API client",
            ),
            RateRule(
                "v1_documents",
                60,
                60,
                applies=_exactly("POST", "/v1/company/documents"),
                key=auth.rate_key,
                note="POST /company/documents: 60 per minute per API client",
            ),
            RateRule(
                "v1_ip",
                2000,
                60,
                applies=_under("/v1/", excluding="/v1/recruiting/"),
                key=_ip,
                note="every v1 endpoint: 2000 per minute per IP address",
            ),
            RateRule(
                "v2_token",
                150,
                60,
                applies=_exactly("POST", "/v2/auth/token"),
                key=_ip,
                note="POST /v2/auth/token: 150 per minute (the documented 1 request/s for 60 s afterwards "
                "is not modelled)",
            ),
            RateRule(
                "v2_api",
                V2_BUCKET,
                V2_BUCKET / V2_REPLENISH_PER_SECOND,
                algorithm="bucket",
                key=auth.rate_key,
                applies=_under("/v2/", excluding="/v2/auth/"),
                inferred=True,
                note="token bucket of 100 (observed) per API client, replenished 10 per second (inferred)",
            ),
            RateRule(
                "applicant",
                100,
                60,
                applies=_exactly("POST", "/recruiting/applicant"),
                key=_ip,
                note="POST /recruiting/applicant: 100 applications per 60 s per IP address",
            ),
        ]

    def rate_headers(self, decisions: list[Decision]) -> dict[str, str]:
        for decision in decisions:
            if decision.rule.name == "v2_api":
                return _bucket_headers(decision.rule, decision.remaining)
        return {}

    def rate_limited(self, decision: Decision) -> VendorProblem:
        problem = self._too_many_requests(decision)
        rule = decision.rule
        problem.headers = {
            **(problem.headers or {}),
            HINT_HEADER: LOOPBACK_HINT.format(rule=rule.name, limit=rule.limit, window=rule.window),
        }
        return problem

    @staticmethod
    def _too_many_requests(decision: Decision) -> VendorProblem:
        name, retry = decision.rule.name, {"Retry-After": str(decision.retry_after)}
        if name == "v2_api":
            return e.v2_too_many_requests({**retry, **_bucket_headers(decision.rule, 0)})
        if name == "v2_token":
            return e.v2_too_many_requests(retry)
        if name == "applicant":
            problem = e.applicant(429, "Too Many Requests")
            problem.headers = retry
            return problem
        return e.too_many_requests(decision.retry_after)

    # -- errors and outgoing headers -----------------------------------------------------------------
    def render_error(self, case: ErrorCase) -> VendorProblem:
        return errors_render.render(case)

    def fault(self, status: int, ctx: RequestContext) -> VendorProblem:
        return errors_render.fault(status, ctx.path)

    def response_headers(self, ctx: RequestContext, status: int) -> dict[str, str]:
        """v1 answers hand the token back, with `rotate` a new one each time
        (https://developer.personio.de/changelog/authentication-api-improved-bearer-token)."""
        principal = ctx.principal
        if not principal or principal.get("api") != "v1" or not principal.get("echo") or not 200 <= status < 300:
            return {}
        token = principal["token"]
        if self.settings_of(ctx.world)["rotate"] and principal.get("token_kind") == "v1":  # v2 tokens never rotate
            token = auth.rotate_v1_token(ctx.world, token)
        return {"Authorization": f"Bearer {token}"}


def _bucket_headers(rule: RateRule, remaining: int) -> dict[str, str]:
    return {
        "x-ratelimit-burst-capacity": str(rule.limit),
        "x-ratelimit-replenish-rate": str(round(rule.limit / rule.window)),
        "x-ratelimit-remaining": str(remaining),
    }


_DEFAULT_SUBDOMAIN: list[str] = []


def _default_subdomain() -> str:
    if not _DEFAULT_SUBDOMAIN:
        _DEFAULT_SUBDOMAIN.append(fixture("personio", "company")["subdomain"])
    return _DEFAULT_SUBDOMAIN[0]


vendor = Personio()
