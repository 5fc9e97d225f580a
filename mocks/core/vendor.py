"""The contract between the engine and a vendor package.

A vendor package builds one `Vendor` subclass instance: which specs it serves and where, how a request maps
to a tenant, how it seeds a world, how it authenticates, what it rate-limits and how every error looks on
its wire. The engine calls these hooks and knows nothing else about the vendor.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .errors import ErrorCase, VendorProblem
from .ratelimit import Decision, RateRule

if TYPE_CHECKING:
    from .context import RequestContext
    from .shared_store import SharedMap
    from .store import World

TENANT_OVERRIDE_HEADER = "x-mock-tenant"


@dataclass
class Api:
    """One OpenAPI document, mounted at `base_path` (below the vendor's `/<name>` mount)."""

    spec: str  # file name in specs/
    base_path: str  # full mount path, e.g. "/piwik_pro" or "/personio/v1"
    # module(s) whose functions are named after operationIds: one, or a list (an operationId in two is an error)
    handlers: str | list[str]
    strict_validation: bool = False  # reject query parameters the spec does not list
    # official documents (paths below tests/reference/) whose every path+method this spec must have
    official: list[str] = field(default_factory=list)
    # statuses the vendor gives schema-valid requests that break rules no schema can state (unique
    # names, supported languages...): the contract gate accepts them as answers to "positive" data
    rule_violation_statuses: list[str] = field(default_factory=list)
    # methods a catch-all route answers on every path (Laravel's Route::fallback: GET, HEAD): the
    # router's OPTIONS answer rightly lists them in `Allow` although no path declares them
    fallback_methods: list[str] = field(default_factory=list)

    def handler_modules(self) -> list[ModuleType]:
        names = [self.handlers] if isinstance(self.handlers, str) else self.handlers
        return [importlib.import_module(name) for name in names]


@dataclass
class Credential:
    """A well-known credential printed by `mocks run` and listed in the README."""

    label: str
    values: dict[str, str]


class Vendor:
    name: str = ""  # package name and mount: /<name>
    title: str = ""  # human name, e.g. "Piwik PRO"
    apis: list[Api] = []
    hosts: list[str] = []  # regexes of the vendor's real hostnames (virtual hosting)
    locale: str = "en_US"  # Faker locale of seeded worlds
    default_tenant: str = "default"
    # `make bench` target: an authenticated list of ~25 items. "path" is the full path (with query);
    # "token" the parameters for mint_token() whose "headers" authenticate it.
    bench: dict[str, Any] | None = None

    @property
    def mount(self) -> str:
        return f"/{self.name}"

    def host_patterns(self) -> list[re.Pattern]:
        return [re.compile(p, re.IGNORECASE) for p in self.hosts]

    # -- tenancy -----------------------------------------------------------------------------
    def tenant_of(self, headers: dict[str, str], query: Mapping[str, str], path: str) -> str | None:
        """The tenant a request belongs to by the vendor's own rule (None: the default tenant).
        `X-Mock-Tenant` always wins and is handled by the engine."""
        return None

    def seed(self, world: World) -> None:
        """Fill a new world (called once per tenant, lazily; use world.rnd and world.clock only)."""

    def restored(self, world: World) -> None:
        """A snapshot brought this world back (PUT /_mocks/snapshot): rebuild any vendor state kept
        outside worlds from it."""

    def share(self, shared_map: Callable[[str], SharedMap] | None) -> None:
        """A shared store (several workers, core/shared_store.py) hands the vendor `shared_map(name)`, a
        string map in Redis, for vendor state kept outside worlds that every worker must see (None: back to
        process memory). Vendors with no such state ignore it."""

    # -- authentication ----------------------------------------------------------------------
    def verify(self, request: Any, scheme: dict, scopes: list[str]) -> dict:
        """Check one security scheme of an operation; return token info or raise VendorProblem."""
        raise NotImplementedError

    def credentials(self) -> list[Credential]:
        return []

    def mint_token(self, world: World, params: dict[str, Any]) -> dict[str, Any]:
        """Admin API: mint a credential/token in the vendor's own format. The result includes "headers":
        what a client sends to be that caller. Raise ValueError on bad params."""
        raise ValueError(f"{self.name} does not mint tokens through the admin API")

    def contract_headers(self, suite: Any, api: Api) -> dict[str, str]:
        """Headers of a fully authorised caller of `api`, for the contract gate."""
        return suite.mint_token(self.name)["headers"]

    # -- per-tenant switches (admin API /_mocks/settings) ------------------------------------
    settings_defaults: dict[str, Any] = {}

    def settings_of(self, world: World) -> dict[str, Any]:
        return {**self.settings_defaults, **world.settings}

    def apply_settings(self, world: World, changes: dict[str, Any]) -> None:
        world.update_settings(self.checked_settings(changes))

    def checked_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        """`changes` as they are stored, or ValueError naming the first setting this vendor refuses."""
        for key, value in changes.items():
            if key not in self.settings_defaults:
                raise ValueError(f"{self.name} has no setting {key!r}; settings: {sorted(self.settings_defaults)}")
            default = self.settings_defaults[key]
            if default is not None and not isinstance(value, type(default)):
                raise ValueError(f"setting {key!r} must be of type {type(default).__name__}")
        return changes

    # -- rate limits -------------------------------------------------------------------------
    def rate_rules(self) -> list[RateRule]:
        return []

    def rate_headers(self, decisions: list[Decision]) -> dict[str, str]:
        """Headers every response carries (e.g. X-RateLimit-Remaining)."""
        return {}

    def rate_limited(self, decision: Decision) -> VendorProblem:
        return VendorProblem(429, {"message": "Too Many Requests"}, headers={"Retry-After": str(decision.retry_after)})

    # -- errors ------------------------------------------------------------------------------
    def render_error(self, case: ErrorCase) -> VendorProblem:
        """The vendor's answer to an error the stack raised (validation, unknown path, ...)."""
        return VendorProblem(case.status, {"error": case.kind})

    def fault(self, status: int, ctx: RequestContext) -> VendorProblem:
        """An injected fault with this status, in the vendor's envelope."""
        return VendorProblem(status, {"error": "injected fault", "status": status})

    # -- outgoing ----------------------------------------------------------------------------
    def response_headers(self, ctx: RequestContext, status: int) -> dict[str, str]:
        """Extra headers on every response of this vendor (after the handler ran)."""
        return {}

    def describe(self, base_url: str) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "base_url": base_url + self.mount,
            "apis": [{"spec": a.spec, "base_url": base_url + a.base_path} for a in self.apis],
            "credentials": [{"label": c.label, **c.values} for c in self.credentials()],
            "bench": self.bench,
        }
