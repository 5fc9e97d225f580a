"""Personal access tokens and API Gateway's TOKEN authorizer (tasq-inc/tasq-api@e19a84e: `authorize_api_user` in
src/functions/appsync_resolver/appsync_sources.py, `RestApiAuthorizer` in src/resources/api_gateway/api_gateway.yml).

The client sends `authorization: <TOKEN>`: the raw 80-hex token, no scheme. API Gateway hands the whole
header value to the authorizer Lambda, which looks it up in the token table: found → Allow, else → Deny
(the prefix-stripping line is commented out, so `Bearer <token>` is an unknown token). Decisions are cached
per header value for `AuthorizerResultTtlInSeconds: 300` with a `Resource: "*"` policy, so a revoked token
keeps working — and a denied one keeps failing — until the cached decision expires.

Tokens live in their operator's world (a reset forgets minted tokens). The request names no operator, so
minted tokens are remembered in a `TokenDirectory` to route them to their world; the well-known tokens are
seeded into every world and route to the default operator (or the one `X-Mock-Tenant` names). The directory
is process memory: when a snapshot brings worlds back (`PUT /_mocks/snapshot`, after a reset or a restart),
`minted_tokens` lists each world's own tokens so the vendor can remember them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mocks.core.auth import BoundedCache, TokenError, issue_opaque, lookup_opaque, token_fingerprint
from mocks.core.context import current
from mocks.core.paths import fixture
from mocks.core.store import Collection, Row, World

from . import errors as e
from .domain import user_named
from .seed import seeded_user
from .wire import timestamp

if TYPE_CHECKING:
    from mocks.core.shared_store import SharedMap

KIND = "personal_access_token"
AUTHORIZER_TTL = 300  # AuthorizerResultTtlInSeconds of RestApiAuthorizer
_CACHE = "authorizer_cache"
_CACHE_SIZE = 1000  # cached decisions kept per operator (a client trying many tokens grows nothing)


class TokenDirectory:
    """Which operator minted a token (fingerprints only). Bounded; tokens are minted by hand, not in bulk."""

    def __init__(self, size: int = 100_000) -> None:
        self._operators = BoundedCache(size)
        self.shared: SharedMap | None = None  # with several workers, every worker's directory (Tasq.share)

    def remember(self, token: str, operator: str) -> None:
        fingerprint = token_fingerprint(token)
        self._operators.put(fingerprint, operator)
        if self.shared is not None:
            self.shared.put(fingerprint, operator)

    def operator_of(self, token: str | None) -> str | None:
        if not token:
            return None
        fingerprint = token_fingerprint(token)
        operator = self._operators.get(fingerprint)
        if operator is None and self.shared is not None:  # minted through another worker
            operator = self.shared.get(fingerprint)
            if operator is not None:
                self._operators.put(fingerprint, operator)
        return operator


def issue(world: World, *, access_token: str, token_id: str, token_name: str, user: Row, admin: bool) -> dict[str, Any]:
    """Store a token the way `create_new_auth_token` does; returns that item (plus the mock's `admin`)."""
    issued = world.clock.time()
    issue_opaque(
        world,
        access_token,
        kind=KIND,
        token_id=token_id,
        token_name=token_name,
        user_id=user["id"],
        operator=world.tenant,
        admin=admin,
    )
    return {
        "TokenID": token_id,
        "time": timestamp(issued),
        "Username": user["username"],
        "AccessToken": access_token,
        "TokenName": token_name,
        "Operator": world.tenant,
        "admin": admin,
    }


def seed_tokens(world: World) -> None:
    for record in fixture("tasq", "tokens"):
        user = seeded_user(world, record["Username"])
        issue(
            world,
            access_token=record["AccessToken"],
            token_id=record["TokenID"],
            token_name=record["TokenName"],
            user=user,
            admin=record["admin"],
        )


def well_known_tokens() -> frozenset[str]:
    return frozenset(t["AccessToken"] for t in fixture("tasq", "tokens"))


def minted_tokens(world: World) -> list[str]:
    """The personal access tokens stored in this operator's world, the seeded well-known ones aside (they are
    in every world and must keep routing to the default operator)."""
    tokens = world.existing("opaque_tokens")
    if not tokens:
        return []
    seeded = well_known_tokens()
    return [row["id"] for row in tokens.values() if row["kind"] == KIND and row["id"] not in seeded]


def mint(world: World, *, username: str, admin: bool, token_name: str) -> dict[str, Any]:
    user = user_named(world, username)
    if user is None:
        raise ValueError(f"no user {username!r} in operator {world.tenant!r}")
    return issue(
        world, access_token=world.rnd.hex(80), token_id=world.rnd.uuid4(), token_name=token_name, user=user, admin=admin
    )


# -- the authorizer ---------------------------------------------------------------------------------------
def verify(request: Any, scheme: dict, scopes: list[str]) -> dict[str, Any]:
    """API Gateway's checks before any Lambda runs: a header, then the (cached) authorizer decision."""
    if request.scope["method"] == "HEAD":  # REST APIs have no implicit HEAD: an undefined method
        raise e.missing_authentication_token()
    header = request.headers.get(scheme.get("name", "authorization"))
    if not header:
        raise e.unauthorized()
    ctx = current()
    principal = authorize(ctx.world, header, ttl=ctx.vendor.settings_of(ctx.world)["authorizer_cache_seconds"])
    if principal is None:
        raise e.explicit_deny()
    return principal


def authorize(world: World, token: str, *, ttl: int) -> dict[str, Any] | None:
    """The principal of an Allow, None for a Deny; decisions are remembered `ttl` seconds per token."""
    now = world.clock.time()
    key = token_fingerprint(token)
    cache = world[_CACHE]
    cached = cache.get(key) if ttl > 0 else None
    if cached is not None and cached["expires_at"] > now:
        return cached["principal"]
    principal = _decide(world, token)
    if ttl > 0:
        row = {"id": key, "principal": principal, "expires_at": now + ttl}
        if cached is None:
            _make_room(cache, now)
            cache.insert(row)
        else:
            cache.update(key, row)
    return principal


def _make_room(cache: Collection, now: float) -> None:
    if len(cache) < _CACHE_SIZE:
        return
    rows = cache.values()
    doomed = [r for r in rows if r["expires_at"] <= now] or rows[: len(rows) // 2]  # else the oldest half
    for row in doomed:
        cache.delete(row["id"])


def _decide(world: World, token: str) -> dict[str, Any] | None:
    """Allow a known token of an existing administrator. The README's 403 "the user is not an
    administrator" can only come from here: the integrations map every Lambda answer to 200."""
    try:
        row = lookup_opaque(world, token, kind=KIND)
    except TokenError:
        return None
    if not row["admin"] or row["user_id"] not in world["users"]:
        return None
    return {"principalId": row["token_id"], "user_id": row["user_id"], "operator": row["operator"]}
