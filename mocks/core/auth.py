"""Tokens and credentials: JWT minting/verification on the virtual clock, revocation, opaque tokens, and the
hook that lets a vendor verify every operation's `security` requirement itself.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

import jwt
from connexion.security import AbstractSecurityHandler

from .clock import VirtualClock
from .store import World


class TokenError(Exception):
    """A token that cannot be used; `reason` is one of: malformed, signature, expired, revoked, unknown."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JwtIssuer:
    """Mints and verifies a vendor's JWTs. HS256 with a mock secret: real clients decode these tokens
    without verifying them (they cannot hold the vendor's key), so the algorithm only matters to us."""

    def __init__(self, secret: str, *, algorithm: str = "HS256", headers: dict[str, str] | None = None) -> None:
        self.secret = secret
        self.algorithm = algorithm
        self.headers = headers or {"typ": "JWT"}
        # Decoding costs ~80 µs; clients send the same token thousands of times. Expiry is still checked
        # on every call (on the virtual clock); only signature and parsing are remembered.
        self._verified: BoundedCache = BoundedCache(4096)

    def mint(self, claims: dict[str, Any], *, clock: VirtualClock, lifetime: float | None) -> str:
        now = int(clock.time())
        payload = {**claims, "iat": claims.get("iat", now)}
        if lifetime is not None:
            payload["exp"] = now + int(lifetime)
        return jwt.encode(payload, self.secret, algorithm=self.algorithm, headers=self.headers)

    def verify(self, token: str, *, clock: VirtualClock, secret: str | None = None) -> dict[str, Any]:
        """The claims of a token signed by us (or with `secret`), checked for expiry on the virtual clock."""
        key = (token, secret)
        claims = self._verified.get(key)
        if claims is None:
            try:
                claims = jwt.decode(
                    token,
                    secret or self.secret,
                    algorithms=[self.algorithm],
                    options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False},
                )
            except jwt.InvalidSignatureError:
                raise TokenError("signature") from None
            except jwt.PyJWTError:
                raise TokenError("malformed") from None
            self._verified.put(key, claims)
        exp = claims.get("exp")
        if exp is not None and (not isinstance(exp, (int, float)) or clock.time() >= exp):
            raise TokenError("expired")
        return claims


class BoundedCache:
    """A small dict that forgets its oldest entries beyond `size` (bounded memory for long runs)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: dict = {}

    def get(self, key):
        return self._data.get(key)

    def put(self, key, value) -> None:
        if len(self._data) >= self.size:
            for old in list(self._data)[: self.size // 2]:
                self._data.pop(old, None)
        self._data[key] = value


_UNVERIFIED = BoundedCache(4096)


def unverified_claims(token: str) -> dict[str, Any] | None:
    """A JWT's claims without checking the signature (to route a request to its tenant), or None."""
    claims = _UNVERIFIED.get(token)
    if claims is None:
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            claims = {}
        if not isinstance(claims, dict):
            claims = {}
        _UNVERIFIED.put(token, claims)
    return claims or None


@functools.lru_cache(maxsize=4096)  # asked on every request that carries a token (revocation): hash it once
def token_fingerprint(token: str) -> str:
    """A short stable id for a token (journal, revocation lists, rate-limit keys) that is not the token."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


# -- revocation and opaque tokens live in the tenant's world (so reset forgets them) ------------------


def revoke(world: World, token: str) -> None:
    revoked = world["revoked_tokens"]
    key = token_fingerprint(token)
    if key not in revoked:
        revoked.insert({"id": key, "revoked_at": world.clock.time()})


def is_revoked(world: World, token: str) -> bool:
    revoked = world.existing("revoked_tokens")
    return revoked is not None and token_fingerprint(token) in revoked


# -- opaque tokens (API keys, personal access tokens, Personio's papi- tokens) ---------------------------


def issue_opaque(world: World, token: str, *, kind: str, lifetime: float | None = None, **data: Any) -> dict:
    """Store an opaque token in the world (collection "opaque_tokens"); returns its row. `data` is what
    the vendor needs back when the token is used (the user, the scopes...)."""
    now = world.clock.time()
    row = {
        "id": token,
        "kind": kind,
        "issued_at": now,
        "expires_at": None if lifetime is None else now + lifetime,
        **data,
    }
    tokens = world["opaque_tokens"]
    if token in tokens:
        tokens.update(token, row)
    else:
        tokens.insert(row)
    return row


def lookup_opaque(world: World, token: str, *, kind: str | None = None) -> dict:
    """The row of an opaque token; raises TokenError("unknown" / "expired" / "revoked")."""
    tokens = world.existing("opaque_tokens")
    row = tokens.get(token) if tokens is not None else None
    if row is None or (kind is not None and row["kind"] != kind):
        raise TokenError("unknown")
    if is_revoked(world, token):
        raise TokenError("revoked")
    if row["expires_at"] is not None and world.clock.time() >= row["expires_at"]:
        raise TokenError("expired")
    return row


@functools.lru_cache(maxsize=4096)  # tenant rules, rate keys and verify() each ask, for the same header
def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# -- Connexion security hook ---------------------------------------------------------------------------

Verify = Callable[[Any, dict, list[str]], Any]


class DelegatingSecurityHandler(AbstractSecurityHandler):
    """Hands every security scheme of every operation to the vendor's `verify(request, scheme, scopes)`.

    Connexion's own handlers never see http-bearer scopes and answer missing credentials before any vendor
    code runs; delegating keeps every 401/403 body the vendor's own.
    """

    def __init__(self, verify: Verify) -> None:
        self._verify = verify

    def get_fn(self, security_scheme: dict, required_scopes: list[str] | None):
        verify, scopes = self._verify, list(required_scopes or [])

        def check(request):
            return verify(request, security_scheme, scopes)

        return check


def security_map(verify: Verify) -> dict[str, Callable[[], DelegatingSecurityHandler]]:
    """A `security_map` for add_api() sending every scheme type to `verify`."""
    factory = functools.partial(DelegatingSecurityHandler, verify)
    return {kind: factory for kind in ("basic", "bearer", "apiKey", "oauth2", "openIdConnect")}


def operation_id(request: Any) -> str | None:
    """The operationId this request is for: Connexion's routing result (security runs after routing),
    else — a FlaskApp error handler sees the request before routing — looked up in the vendor's specs."""
    found = request.scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
    if found is not None:
        return found
    from .context import current
    from .operations import OperationIndex

    try:
        vendor = current().vendor
    except LookupError:
        return None
    method, path = request.scope.get("method", ""), request.scope.get("path", "")
    for api in vendor.apis:
        found = OperationIndex.of(api.spec, api.base_path).operation_id(method, path)
        if found is not None:
            return found
    return None
