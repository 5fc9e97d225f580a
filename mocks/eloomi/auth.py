"""Passport on eloomi: client credentials → a one-year JWT access token; every /v3 call checks the bearer
token and the `ClientId` header.

Clients and issued tokens live in the tenant's world, as Passport keeps them in `oauth_clients` and
`oauth_access_tokens`: a token the world does not know (another tenant's, or one issued before a reset) is
refused like a revoked one. Token errors follow league/oauth2-server 7, the version whose payload
`{"error","message","hint"}` eloomi documents.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from mocks.core.auth import JwtIssuer, TokenError, bearer_token, is_revoked
from mocks.core.context import RequestContext, current
from mocks.core.store import World

from . import errors as e

TOKEN_LIFETIME = 31_536_000  # Passport's default: one year
EXPIRES_IN = 31_535_999  # as the README shows it (league counts from a moment after issuing)
KNOWN_SCOPES = ("*",)  # Passport always knows "*"; the README's example error says `user` is unknown
# Passport's grants; only client_credentials can succeed for an eloomi API client
GRANTS = ("authorization_code", "client_credentials", "password", "personal_access", "refresh_token")
# Real tokens are RS256 (Passport's key pair); clients cannot verify them either way, so HS256 it is.
ISSUER = JwtIssuer("eloomi-mock-signing-key-not-a-secret")


# -- issuing ---------------------------------------------------------------------------------------------


def issue(world: World, client_id: str, scopes: list[str]) -> str:
    """A Passport access token (league's claims: aud, jti, iat, nbf, exp, sub, scopes), remembered in the world."""
    now = int(world.clock.time())
    jti = world.rnd.hex(80)
    token = ISSUER.mint(
        {"aud": client_id, "jti": jti, "iat": now, "nbf": now, "sub": "", "scopes": scopes},
        clock=world.clock,
        lifetime=TOKEN_LIFETIME,
    )
    world["access_tokens"].insert(
        {"id": jti, "client_id": client_id, "scopes": scopes, "expires_at": now + TOKEN_LIFETIME}
    )
    return token


def token_response(world: World, params: dict[str, Any], authorization: str | None) -> dict[str, Any]:
    """POST /oauth/token: the grant checked and its token remembered in one transaction."""
    with world.transaction():
        return _respond(world, params, authorization)


def _respond(world: World, params: dict[str, Any], authorization: str | None) -> dict[str, Any]:
    """league's AuthorizationServer::respondToAccessTokenRequest for Passport's grants, in its order:
    grant type, client, grant-specific parameters, scopes."""
    grant = params.get("grant_type")
    if not isinstance(grant, str) or grant not in GRANTS:
        raise e.unsupported_grant_type()
    client_id = _validate_client(world, params, authorization, grant)
    if grant in ("authorization_code", "refresh_token"):
        name = "code" if grant == "authorization_code" else "refresh_token"
        if params.get(name) is None:
            raise e.invalid_request(name)
        what = "authorization code" if grant == "authorization_code" else "refresh token"
        raise e.invalid_request(name, f"Cannot decrypt the {what}")
    scopes = _validate_scopes(params.get("scope"))
    return {"token_type": "Bearer", "expires_in": EXPIRES_IN, "access_token": issue(world, client_id, scopes)}


def _validate_client(world: World, params: dict[str, Any], authorization: str | None, grant: str) -> str:
    basic_id, basic_secret = _basic_credentials(authorization)
    client_id = params.get("client_id", basic_id)
    if client_id is None:
        raise e.invalid_request("client_id")
    secret = params.get("client_secret", basic_secret)
    client = world["clients"].get(_php_string(client_id))
    # Passport's ClientRepository: the secret must match and the client must handle the grant
    # (an API client is neither a password nor a personal-access client)
    if (
        client is None
        or secret is None
        or _php_string(secret) != client["secret"]
        or grant in ("password", "personal_access")
    ):
        raise e.invalid_client()
    return client["id"]


def _validate_scopes(requested: Any) -> list[str]:
    if requested is None:
        return []
    if isinstance(requested, list):
        items = [_php_string(s) for s in requested]
    else:
        items = [s for s in _php_string(requested).strip().split(" ") if s and s != "0"]  # PHP's !empty()
    for scope in items:
        if scope not in KNOWN_SCOPES:
            raise e.invalid_scope(scope)
    return list(dict.fromkeys(items))


def _basic_credentials(authorization: str | None) -> tuple[str | None, str | None]:
    """HTTP Basic client authentication, which league accepts besides body parameters."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None, None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    if ":" not in decoded:
        return None, None
    user, _, password = decoded.partition(":")
    return user, password


def _php_string(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


# -- checking --------------------------------------------------------------------------------------------


def verify(request: Any, scheme: dict, scopes: list[str]) -> dict[str, Any]:
    """Both schemes of every /v3 operation: the bearer token (Passport's client-credentials check), and the
    ClientId header naming the token's client (inferred: a missing or different one is the same 401)."""
    ctx = current()
    principal = _token_principal(ctx, request)
    if scheme.get("type") == "apiKey" and ctx.vendor.settings_of(ctx.world)["require_client_id"]:
        sent = request.headers.get(scheme.get("name", "ClientId"))
        if sent is None or sent.strip() != principal["client_id"]:
            raise e.unauthenticated()
    return principal


def _token_principal(ctx: RequestContext, request: Any) -> dict[str, Any]:
    if ctx.principal and "token_id" in ctx.principal:  # the other scheme of this request checked it already
        return ctx.principal
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise e.unauthenticated()
    try:
        claims = ISSUER.verify(token, clock=ctx.clock)
    except TokenError:
        raise e.unauthenticated() from None
    world = ctx.world
    row = world["access_tokens"].get(claims.get("jti"))
    if row is None or is_revoked(world, token):
        raise e.unauthenticated()
    return {"client_id": row["client_id"], "scopes": row["scopes"], "token_id": row["id"]}
