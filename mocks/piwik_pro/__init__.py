"""Piwik PRO: platform Users API v2, User groups API v1 and the client-credentials token endpoint.

Mounted at /piwik_pro (the account host `https://<account>.piwik.pro` → `http://127.0.0.1:8000/piwik_pro`).
A tenant is a Piwik PRO account: taken from the `<account>.piwik.pro` host, else the token's `org` claim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from mocks.core.context import RequestContext
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.ratelimit import Decision, RateRule
from mocks.core.store import World
from mocks.core.vendor import Api, Credential, Vendor

from . import auth, seed
from . import errors as e
from . import errors_services as svc

_ACCOUNT_HOST = re.compile(r"^([a-z0-9][a-z0-9-]*)\.piwik\.pro$", re.IGNORECASE)
_READS = ("GET", "HEAD", "OPTIONS")


@functools.lru_cache(maxsize=1024)  # a pure function of the Host header, asked on every request
def _host_account(host: str) -> str | None:
    """The account of `<account>.piwik.pro` (the tenant of a client that uses its real hostname), else None."""
    account = _ACCOUNT_HOST.match(host.rsplit(":", 1)[0])
    return account.group(1).lower() if account else None


class PiwikPro(Vendor):
    name = "piwik_pro"
    title = "Piwik PRO"
    # One Api per official file, all on the account host (shared base path; operationIds are unique).
    apis = [
        Api(
            spec="piwik_pro.yaml",
            base_path="/piwik_pro",
            handlers="mocks.piwik_pro.handlers",
            official=["piwik_pro/platform_users_public_v2.yaml", "piwik_pro/platform_user_groups_public_v1.yaml"],
            rule_violation_statuses=["400"],
        ),
        Api(
            spec="piwik_pro_apps.yaml",
            base_path="/piwik_pro",
            handlers="mocks.piwik_pro.handlers_apps",
            official=["piwik_pro/platform_apps_public_v2.yaml"],
            rule_violation_statuses=["400"],
        ),
        Api(
            spec="piwik_pro_access_control.yaml",
            base_path="/piwik_pro",
            handlers="mocks.piwik_pro.handlers_access",
            official=["piwik_pro/platform_access_control_public_v2.yaml"],
            rule_violation_statuses=["400"],
        ),
        Api(
            spec="piwik_pro_meta_sites.yaml",
            base_path="/piwik_pro",
            handlers="mocks.piwik_pro.handlers_meta_sites",
            official=["piwik_pro/platform_meta_sites_public_v1.yaml"],
            rule_violation_statuses=["400"],
        ),
        Api(
            spec="piwik_pro_modules.yaml",
            base_path="/piwik_pro",
            handlers="mocks.piwik_pro.handlers_modules",
            official=["piwik_pro/platform_modules_public_v1.yaml"],
            rule_violation_statuses=["400"],
        ),
        Api(
            spec="piwik_pro_audit_log.yaml",
            base_path="/piwik_pro",
            handlers="mocks.piwik_pro.handlers_audit",
            official=["piwik_pro/platform_audit_log_public_v1.yaml"],
            rule_violation_statuses=["400"],
        ),
    ]
    # Per-account switches (PATCH /_mocks/settings): how many apps the licence allows (the 409
    # apps.error.apps-limit-reached; the number is inferred) and which modules it includes.
    settings_defaults = {
        "apps_limit": 1000,
        "licensed_modules": ["analytics", "consent_manager", "customer_data_platform", "tag_manager", "administration"],
    }
    bench = {"path": "/piwik_pro/api/users/v2?limit=25", "token": {}}
    hosts = [r"[a-z0-9][a-z0-9-]*\.piwik\.pro"]
    default_tenant = "default"  # the `org` of the documentation's example token

    def tenant_of(self, headers: dict[str, str], query: Mapping[str, str], path: str) -> str | None:
        return _host_account(headers.get("host", "")) or auth.unverified_org(headers.get("authorization"))

    def seed(self, world: World) -> None:
        seed.seed(world)

    # -- auth -----------------------------------------------------------------------------------
    def verify(self, request: Any, scheme: dict, scopes: list[str]) -> dict:
        return auth.verify(request, scheme, scopes)

    def credentials(self) -> list[Credential]:
        from mocks.core.paths import fixture

        return [
            Credential(c["label"], {"client_id": c["client_id"], "client_secret": c["client_secret"]})
            for c in fixture(self.name, "credentials")
        ]

    def mint_token(self, world: World, params: dict[str, Any]) -> dict[str, Any]:
        """Admin API: a token for any user of the account (`user_id`, default: the well-known owner)."""
        from mocks.core.context import current
        from mocks.core.paths import fixture

        unknown = set(params) - {"user_id", "lifetime_seconds"}
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; piwik_pro takes user_id, lifetime_seconds")
        user_id = params.get("user_id", fixture(self.name, "credentials")[0]["user"])
        if not isinstance(user_id, str) or user_id.lower() not in world["users"]:
            raise ValueError(f"no user {user_id!r} in account {world.tenant!r}")
        lifetime = params.get("lifetime_seconds", auth.TOKEN_LIFETIME)
        if not isinstance(lifetime, int) or isinstance(lifetime, bool) or lifetime < 1:
            raise ValueError("'lifetime_seconds' must be a positive integer")
        token = auth.mint(current(), world, user_id.lower(), lifetime=lifetime)
        return {
            "token_type": "Bearer",
            "expires_in": lifetime,
            "access_token": token,
            "user_id": user_id.lower(),
            "headers": {"Authorization": f"Bearer {token}"},
        }

    # -- rate limits (https://developers.piwik.pro/reference/api-rate-limits: introduced 2025-06-04; the numbers
    # are inferred) -------------------------------------------------------------------------------------------
    def rate_rules(self) -> list[RateRule]:
        return [
            RateRule(
                "read",
                600,
                60,
                applies=lambda i: i.method in _READS,
                key=auth.rate_key,
                inferred=True,
                note="600 reads per minute per API user (page summary mentions 600 and 60)",
            ),
            RateRule(
                "write",
                60,
                60,
                applies=lambda i: i.method not in _READS,
                key=auth.rate_key,
                inferred=True,
                note="60 writes per minute per API user",
            ),
        ]

    def rate_limited(self, decision: Decision) -> VendorProblem:
        return e.problem(e.too_many_requests(), headers={"Retry-After": str(decision.retry_after)})

    # -- errors ---------------------------------------------------------------------------------
    def render_error(self, case: ErrorCase) -> VendorProblem:
        return svc.render_error(case)

    def fault(self, status: int, ctx: RequestContext) -> VendorProblem:
        return svc.fault(status)


vendor = PiwikPro()
