"""Piwik PRO credentials and tokens: client credentials → a 30-minute JWT carrying iss/aud/sub/org."""

from __future__ import annotations

import functools
from typing import Any

from mocks.core.auth import JwtIssuer, TokenError, bearer_token, is_revoked, operation_id, unverified_claims
from mocks.core.context import RequestContext, current
from mocks.core.store import World

from . import errors as e
from . import errors_services as svc

TOKEN_LIFETIME = 1800  # "Every token is valid for 30 minutes"
ISSUER = JwtIssuer("piwik-pro-mock-signing-key-not-a-secret")  # real tokens are RS256; clients decode without verifying

# Account administration is for owners ("owners have unlimited access"); a USER token gets the documented
# 403 on these. The /me operations are open to every user.
OWNER_ONLY = {
    "api_users_invited_v2",
    "api_users_add_v2",
    "api_users_list_v2",
    "api_users_user_details_v2",
    "api_users_edit_v2",
    "api_users_delete_v2",
    "api_users_change_role_v2",
    "list_user_group_v1",
    "add_user_group_v1",
    "UserGroupDetails_v1",
    "edit_user_group_v1",
    "delete_user_group_v1",
    "list_user_group_users_v1",
    "list_user_group_users_excluded_v1",
    "add_users_to_group_v1",
    "remove_users_from_group_v1",
    "set_permission_group_for_user_group_v1",
    # apps: adding and deleting are owner-only actions (access control spec); group permissions are admin
    "api_app_add_v2",
    "api_app_delete_v2",
    "api_apps_user_group_permissions_v2",
    # meta sites: add, delete and app membership are owner-only actions (access control spec)
    "add_meta_site_v1",
    "delete_meta_site_v1",
    "add_apps_to_meta_site_v1",
    "remove_apps_from_meta_site_v1",
    # modules of other users and the audit log are account administration (inferred)
    "accessible_modules_for_users_batch",
    "get_user_modules_access_v1",
    "set_modules_access_v1",
    "audit_log_entries_v1",
}


def mint(ctx: RequestContext, world: World, user_id: str, *, lifetime: int = TOKEN_LIFETIME) -> str:
    claims = {"iss": "ppms", "aud": ctx.url(ctx.vendor.mount), "sub": user_id, "org": world.tenant}
    return ISSUER.mint(claims, clock=world.clock, lifetime=lifetime)


@functools.lru_cache(maxsize=4096)  # a pure function of the header, asked on every request
def unverified_org(authorization: str | None) -> str | None:
    """The `org` claim of a bearer token, read without verification (to pick the tenant)."""
    token = bearer_token(authorization)
    claims = unverified_claims(token) if token else None
    org = claims.get("org") if claims else None
    return org if isinstance(org, str) and org else None


def rate_key(info: Any) -> str:
    """Limits count per API user (the token's account and subject), so a fresh token does not reset them;
    the token endpoint and undecodable tokens count per client address."""
    return _user_key(info.header("authorization")) or f"ip:{info.client}"


@functools.lru_cache(maxsize=4096)  # a pure function of the header, asked on every request
def _user_key(authorization: str | None) -> str | None:
    token = bearer_token(authorization)
    claims = unverified_claims(token) if token else None
    if claims and isinstance(claims.get("sub"), str):
        return f"user:{claims.get('org')}:{claims['sub']}"
    return None


def verify(request: Any, scheme: dict, scopes: list[str]) -> dict[str, Any]:
    """Lexik's checks: a bearer token present, signed by us, not expired, of this account, of a user that
    still exists; then the owner-only rule of the operation."""
    ctx = current()
    service = svc.service_of(request.scope.get("path", ""))
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise svc.unauthorized(service, "missing")
    try:
        claims = ISSUER.verify(token, clock=ctx.clock)
    except TokenError as error:
        raise svc.unauthorized(service, "expired" if error.reason == "expired" else "invalid") from None
    world = ctx.world
    user = world["users"].get(claims.get("sub"))
    if claims.get("org") != ctx.tenant or user is None or is_revoked(world, token):
        raise svc.unauthorized(service, "invalid")
    if operation_id(request) in OWNER_ONLY and user["role"] != "OWNER":
        raise svc.forbidden(service)
    return {"sub": user["id"], "role": user["role"], "org": ctx.tenant}


def token_for(ctx: RequestContext, data: dict[str, Any]) -> str:
    """POST /auth/token: client credentials (grant_type client_credentials, client_id, client_secret) of a
    user of the account → a token for that user (OAuth 2 errors otherwise)."""
    for name in ("grant_type", "client_id", "client_secret"):
        value = data.get(name)
        if not isinstance(value, str) or not value:
            raise e.invalid_request(f'The request is missing the required parameter "{name}".')
        if name == "grant_type" and value != "client_credentials":
            raise e.unsupported_grant_type()
    world = ctx.world
    credential = world["credentials"].get(data["client_id"])
    if (
        credential is None
        or credential["secret"] != data["client_secret"]
        or credential["user_id"] not in world["users"]
    ):
        raise e.invalid_client()
    return mint(ctx, world, credential["user_id"])
