"""Personio's three credentials:

- v1: `POST /v1/auth` exchanges API credentials for a `papi-` token that is stable for 24 h (the same token for
  the same credentials) and goes back to the client in the `Authorization` response header of most /company/*
  answers (personio-auth-api.yaml; https://developer.personio.de/reference/auth,
  https://developer.personio.de/changelog/authentication-api-improved-bearer-token). With the company setting
  `rotate`, every such answer carries a new token and the old one is blacklisted (the legacy
  one-token-per-request behaviour, quoted in https://developer.personio.de/discuss/63cf7ac8275c58009c87c255).
- v2: `POST /v2/auth/token` (OAuth 2 client credentials) gives a `papi-` access token with scopes; it can be
  revoked with `POST /v2/auth/revoke` (credentials-service-api-v2.json).
- Recruiting: a static API key (`Authorization: Bearer <key>`) plus the required `X-Company-ID` header
  (personio-recruiting-api.yaml; https://developer.personio.de/reference/introduction-1).

Tokens of a non-default tenant carry the tenant (`papi-<tenant>.<secret>`), so a client that got its token with
`X-Mock-Tenant` needs no such header afterwards.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from mocks.core.auth import TokenError, bearer_token, issue_opaque, lookup_opaque, operation_id, revoke
from mocks.core.context import current
from mocks.core.ratelimit import RequestInfo, by_authorization_or_client
from mocks.core.store import Row, World

from . import domain as m
from . import errors as e

V1_TOKEN_LIFETIME = 86400
V2_TOKEN_LIFETIME = 86400
DEFAULT_TENANT = "default"

# the right a v1 credential needs per operation (its "API access" settings)
V1_OPERATION_SCOPES = {
    "list_employees": "employees:read",
    "get_employee": "employees:read",
    "get_employee_absence_balance": "employees:read",
    "list_employee_attributes": "employees:read",
    "list_employee_custom_attributes": "employees:read",
    "get_employee_profile_picture": "employees:read",
    "get_employee_profile_picture_original": "employees:read",
    "create_employee": "employees:write",
    "update_employee": "employees:write",
    "list_attendances": "attendances:read",
    "create_attendances": "attendances:write",
    "update_attendance": "attendances:write",
    "delete_attendance": "attendances:write",
    "list_projects": "attendances:read",
    "create_project": "attendances:write",
    "update_project": "attendances:write",
    "delete_project": "attendances:write",
    "list_time_off_types": "absences:read",
    "list_time_offs": "absences:read",
    "get_time_off": "absences:read",
    "list_absence_periods": "absences:read",
    "create_time_off": "absences:write",
    "delete_time_off": "absences:write",
    "create_absence_period": "absences:write",
    "delete_absence_period": "absences:write",
    "list_document_categories": "documents:read",
    "upload_document": "documents:write",
    "listReports": "reports.custom:read",
    "listReportItems": "reports.custom:read",
    "listColumns": "reports.custom:read",
}
# endpoints that do not return the token in the `Authorization` response header: at-gmbh/personio-py@a4710d6c calls
# them with auth_rotation=False (src/personio_py/client.py; CHANGELOG: they "do not return a rotating auth token")
V1_NO_TOKEN_ECHO = {
    "create_attendances",
    "update_attendance",
    "delete_attendance",
    "list_projects",
    "create_project",
    "update_project",
    "delete_project",
    "get_employee_profile_picture",
    "get_employee_profile_picture_original",
}


# -- tokens ----------------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def new_token(world: World) -> str:
    """`papi-` + 86 url-safe characters, like the documented tokens (tenant-tagged outside the default)."""
    secret = _b64(world.rnd.random.getrandbits(512).to_bytes(64, "big"))
    if world.tenant == DEFAULT_TENANT:
        return f"papi-{secret}"
    return f"papi-{_b64(world.tenant.encode())}.{secret}"


def tenant_of_token(authorization: str | None) -> str | None:
    token = bearer_token(authorization)
    if not token or not token.startswith("papi-") or "." not in token:
        return None
    tag = token[5:].split(".", 1)[0]
    try:
        return base64.urlsafe_b64decode(tag + "=" * (-len(tag) % 4)).decode() or None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def credential(world: World, client_id: Any) -> Row | None:
    return world[m.CREDENTIALS].get(client_id) if isinstance(client_id, str) else None


def issue_v1_token(world: World, row: Row, *, stable: bool = True) -> tuple[str, int]:
    """The credential's current token while it lives (the "stable" token), else a new one."""
    now = world.clock.time()
    if stable and row["v1_token"]:
        try:
            found = lookup_opaque(world, row["v1_token"], kind="v1")
            return row["v1_token"], max(0, int(round(found["expires_at"] - now)))
        except TokenError:
            pass
    token = new_token(world)
    issue_opaque(world, token, kind="v1", lifetime=V1_TOKEN_LIFETIME, client_id=row["id"])
    world[m.CREDENTIALS].update(row["id"], {"v1_token": token})
    return token, V1_TOKEN_LIFETIME


def rotate_v1_token(world: World, token: str) -> str:
    """Legacy rotation: a new token for the same credentials; the used one is blacklisted."""
    row = lookup_opaque(world, token, kind="v1")
    with world.transaction():
        fresh = new_token(world)
        issue_opaque(world, fresh, kind="v1", lifetime=V1_TOKEN_LIFETIME, client_id=row["client_id"])
        revoke(world, token)
        if row["client_id"] in world[m.CREDENTIALS]:
            world[m.CREDENTIALS].update(row["client_id"], {"v1_token": fresh})
    return fresh


def issue_v2_token(world: World, row: Row, scopes: list[str]) -> str:
    token = new_token(world)
    issue_opaque(world, token, kind="v2", lifetime=V2_TOKEN_LIFETIME, client_id=row["id"], scopes=scopes)
    return token


# -- rate-limit keys ---------------------------------------------------------------------------------
def rate_key(info: RequestInfo) -> str:
    """Personio limits an API client, not a token: a v1 or v2 token the mock issued counts for its
    credentials (`client_id`), so a rotated or freshly obtained token does not start a new budget. A token
    the mock never issued counts by itself, a request without one by client address (the engine default)."""
    token = bearer_token(info.header("authorization"))
    world = _world_holding_tokens() if token is not None else None
    if token is not None and world is not None:
        tokens = world.existing("opaque_tokens")
        row = tokens.get(token) if tokens is not None else None
        if row is not None and row["kind"] in ("v1", "v2") and row.get("client_id"):
            return f"client:{info.tenant}:{row['client_id']}"
    return by_authorization_or_client(info)


# -- verification (Vendor.verify) ------------------------------------------------------------------
def verify(request: Any, scheme: dict, scopes: list[str]) -> dict[str, Any]:
    kind = scheme.get("x-personio-credential")
    if kind == "v2-token":
        return _verify_v2(request, scopes)
    if kind == "recruiting-key":
        return _verify_recruiting(request)
    return _verify_v1(request)


def _world_holding_tokens() -> World | None:
    """The company's world, or None when it was never seeded: tokens are issued into a world, so none can be
    valid there, and seeding a company (tens of ms) for a request that fails authentication would make every
    unauthenticated call that expensive."""
    context = current()
    if context.suite.worlds.existing(context.vendor.name, context.tenant) is None:
        return None
    return context.world


def _token_kind(world: World, token: str) -> str | None:
    tokens = world.existing("opaque_tokens")
    row = tokens.get(token) if tokens is not None else None
    return row["kind"] if row is not None else None


def _token_and_world(
    request: Any, *, missing: Callable[[], Exception], unknown: Callable[[], Exception]
) -> tuple[str, World]:
    """The bearer token and the world holding the tokens; `missing()` without a token, `unknown()` when no
    world holds tokens yet (each API version raises its own error)."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise missing()
    world = _world_holding_tokens()
    if world is None:
        raise unknown()
    return token, world


def _verify_v1(request: Any) -> dict[str, Any]:
    """A v1 token, or a v2 access token: Personio's authentication pages say the token "can then be used to
    access any Personnel Data endpoint (i.e. all endpoints except Auth and Recruiting)"
    (https://developer.personio.de/reference/auth, https://developer.personio.de/reference/authentication).
    Either way the credentials' API access settings decide what it may read or write (INFERRED for v2 tokens)."""
    token, world = _token_and_world(request, missing=e.authorization_not_provided, unknown=e.authorization_not_valid)
    kind = "v2" if _token_kind(world, token) == "v2" else "v1"
    try:
        row = lookup_opaque(world, token, kind=kind)
    except TokenError as error:
        raise (
            e.token_blacklisted() if error.reason == "revoked" and kind == "v1" else e.authorization_not_valid()
        ) from None
    owner = world[m.CREDENTIALS].get(row["client_id"])
    if owner is None:
        raise e.authorization_not_valid()
    operation = operation_id(request)
    needed = V1_OPERATION_SCOPES.get(operation or "")
    if needed is not None and needed not in owner["v1_scopes"]:
        raise e.forbidden()
    return {
        "api": "v1",
        "client_id": owner["id"],
        "token": token,
        "token_kind": kind,
        "echo": operation not in V1_NO_TOKEN_ECHO,
    }


def _verify_v2(request: Any, scopes: list[str]) -> dict[str, Any]:
    token, world = _token_and_world(request, missing=e.v2_unauthorized, unknown=e.v2_unauthorized)
    if _token_kind(world, token) == "v1":
        try:  # a live v1 token authenticates but carries no v2 scope (INFERRED from a forum report of 403
            lookup_opaque(world, token, kind="v1")  # "Insufficient access scope" for a v1 token on v2)
        except TokenError:
            raise e.v2_unauthorized() from None
        raise e.v2_insufficient_scope()
    try:
        row = lookup_opaque(world, token, kind="v2")
    except TokenError:
        raise e.v2_unauthorized() from None
    if not set(scopes) <= set(row["scopes"]):
        raise e.v2_forbidden()
    return {"api": "v2", "client_id": row["client_id"], "scopes": list(row["scopes"])}


def _verify_recruiting(request: Any) -> dict[str, Any]:
    company = m.company(current().world)
    token = bearer_token(request.headers.get("authorization"))
    if token != company["recruiting_api_key"] or request.headers.get("x-company-id") != str(company["company_id"]):
        raise e.recruiting_unauthorized()
    return {"api": "recruiting", "company_id": company["company_id"]}


def attribute_whitelist(world: World, client_id: str) -> frozenset[str] | None:
    """The employee attributes a credential may read (None: all)."""
    row = world[m.CREDENTIALS].get(client_id)
    return None if row is None or row["attributes"] is None else frozenset(row["attributes"])


def principal() -> dict[str, Any]:
    return current().principal or {}
