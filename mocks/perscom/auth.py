"""Who may call what (APP1 `routes/api.php`, `app/Http/Kernel.php`, `TenancyServiceProvider`, `app/Policies/*`,
`config/permissions.php`): the organisation, the API key or SSO token, the subscription and approval
switches, and the `<action>:<resource>` scopes of every operation, in PERSCOM's order of checks.

API keys are Passport personal-access tokens: JWTs carrying `aud`, `jti`, `iat`, `nbf`, `exp`, `sub` (the
user id as a string) and `scopes`. They live in the organisation's database, so a key works only with the
`X-Perscom-Id` of the organisation that issued it. Real keys are RS256; the mock signs HS256 with its own
secret (clients never verify them). An SSO token is an HS256 JWT signed with the organisation's
single-sign-on key, whose scopes are in `scope` (singular).
"""

from __future__ import annotations

import functools
import weakref
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import jwt

from mocks.core.auth import (
    BoundedCache,
    JwtIssuer,
    TokenError,
    bearer_token,
    is_revoked,
    operation_id,
    unverified_claims,
)
from mocks.core.clock import VirtualClock
from mocks.core.context import RequestContext, current
from mocks.core.paths import fixture
from mocks.core.ratelimit import RequestInfo
from mocks.core.store import Row, World

from . import errors as e
from . import wire
from .domain_resources import MODELS, RECORDS, Model
from .domain_routes import Operation, by_operation_id, is_unrouted
from .laravel import to_int

if TYPE_CHECKING:
    from jwt.types import Options


ISSUER = JwtIssuer("perscom-mock-passport-key-not-a-secret")
UNIDENTIFIED = "(unidentified)"  # the tenant of a request that names no organisation
PASSPORT_CLIENT_ID = "1"  # `aud`: the personal access client of every organisation
KEY_LIFETIME = 365 * 86400  # Passport's personal access tokens: one year

ABILITIES = {
    "index": "view",
    "search": "view",
    "show": "view",
    "store": "create",
    "batch_store": "create",
    "update": "update",
    "batch_update": "update",
    "destroy": "delete",
    "batch_destroy": "delete",
    "dissociate": "update",
    "associate": "update",
}
MEMBERSHIP = ("attach", "detach", "sync", "toggle", "pivot")
# Actions whose policy check is about one row, where a key's own user/record can stand in for the scope.
ROW_ACTIONS = {"show", "update", "batch_update", *MEMBERSHIP}


# -- organisations ----------------------------------------------------------------------------------------
@functools.cache
def organizations() -> dict[str, dict[str, Any]]:
    """The well-known organisations by id (shared: never mutate)."""
    return {str(o["id"]): o for o in fixture("perscom", "organizations") or []}


def tenant_of(headers: dict[str, str], query: Any) -> str:
    """`X-Perscom-Id`, else `?perscom_id=` (the header wins, even when empty)."""
    if "x-perscom-id" in headers:
        return headers["x-perscom-id"].strip() or UNIDENTIFIED
    value = query.get("perscom_id") if query else None
    return value.strip() if value and value.strip() else UNIDENTIFIED


def v2_tenant_of(headers: dict[str, str], query: Any) -> str:
    """v2 (APPH `InitializeTenancyByRequestData`, `MoveApiKeyQueryParameterToHeader`, `JwtClaims`): the `tenant`
    claim of a `?apikey=` JWT, then `X-Perscom-Id`, then the `tenant` claim of the bearer token."""
    raw = getattr(query, "_raw", None)  # the engine's LazyQuery: parse only when an apikey may be there
    maybe = b"apikey" in raw if raw is not None else bool(query)
    apikey = query.get("apikey") if maybe else None
    for token, header_first in ((apikey, False), (None, True), (bearer_token(headers.get("authorization")), False)):
        if header_first:
            if headers.get("x-perscom-id", "").strip():
                return headers["x-perscom-id"].strip()
            continue
        tenant = _tenant_claim(token)
        if tenant is not None:
            return tenant
    return UNIDENTIFIED


def _tenant_claim(token: str | None) -> str | None:
    claims = unverified_claims(token) if token else None
    tenant = claims.get("tenant") if claims else None
    return str(tenant) if isinstance(tenant, (str, int)) and not isinstance(tenant, bool) and str(tenant) else None


def request_token(request: Any, version: str) -> str | None:
    """The bearer token; in v2 `?apikey=` stands in for it (MoveApiKeyQueryParameterToHeader)."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None and version != "v1":
        token = request.query_params.get("apikey") or None
    return token


def organization_known(ctx: RequestContext) -> bool:
    tenant = ctx.tenant
    if tenant == UNIDENTIFIED:
        return False
    return tenant in organizations() or ctx.suite.worlds.existing(ctx.vendor.name, tenant) is not None


# -- keys -------------------------------------------------------------------------------------------------
def key_claims(jti: str, user_id: int, scopes: list[str], issued: int, expires: int | None) -> dict[str, Any]:
    claims: dict[str, Any] = {"aud": PASSPORT_CLIENT_ID, "jti": jti, "iat": issued, "nbf": issued}
    if expires is not None:
        claims["exp"] = expires
    claims["sub"] = str(user_id)
    claims["scopes"] = list(scopes)
    return claims


def v2_claims(world: World, user_id: int) -> dict[str, Any]:
    """What v2-era keys add (APPH `JwtClaims`, `AccessToken`): the organisation and the OIDC claims of the
    user. INFERRED values: `profile` is the user's dashboard URL, `roles` the default role, locale/zoneinfo
    the application defaults."""
    user = world["users"].get(user_id) or {}
    organization = organizations().get(world.tenant) or {}
    domain = organization.get("domain") or f"{world.tenant}.perscom.io"
    updated = user.get("updated_at")
    return {
        "tenant": world.tenant,
        "name": user.get("name"),
        "preferred_username": user.get("name"),
        "profile": f"https://{domain}/resources/users/{user_id}",
        "email": user.get("email"),
        "email_verified": user.get("email_verified_at") is not None,
        "picture": f"https://{domain}/storage/{user['profile_photo']}" if user.get("profile_photo") else None,
        "phone_number": user.get("phone_number"),
        "roles": ["User"],
        "locale": "en",
        "zoneinfo": "UTC",
        "updated_at": int(datetime.strptime(updated[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC).timestamp())
        if updated
        else None,
    }


def issue_key(
    world: World,
    user_id: int,
    scopes: list[str],
    *,
    name: str = "API key",
    jti: str | None = None,
    issued: int | None = None,
    expires: int | None = None,
    lifetime: int | None = KEY_LIFETIME,
    oidc: bool = False,
) -> str:
    """A personal access token stored in the organisation (collection `oauth_access_tokens`)."""
    issued = int(world.clock.time()) if issued is None else issued
    if expires is None and lifetime is not None:
        expires = issued + lifetime
    jti = jti or world.rnd.hex(80)
    world["oauth_access_tokens"].insert(
        {"id": jti, "user_id": user_id, "name": name, "scopes": list(scopes), "revoked": False, "expires_at": expires}
    )
    claims = key_claims(jti, user_id, scopes, issued, expires)
    if oidc:  # a v2-era key
        claims.update(v2_claims(world, user_id))
    return ISSUER.mint(claims, clock=world.clock, lifetime=None)


_SSO: dict[str, JwtIssuer] = {}


def _sso_issuer(secret: str) -> JwtIssuer:
    issuer = _SSO.get(secret)
    if issuer is None:
        issuer = _SSO[secret] = JwtIssuer(secret)
    return issuer


def sso_token(world: World, secret: str, user_id: int, scopes: list[str], *, lifetime: int = 3600) -> str:
    """A single-sign-on JWT as an organisation's own backend signs it (HS256, `sub`, `scope`)."""
    return _sso_issuer(secret).mint({"sub": str(user_id), "scope": list(scopes)}, clock=world.clock, lifetime=lifetime)


_SSO_VERIFIED = BoundedCache(4096)
# A JWT library validates the time claims and the signature, not the types of `sub`/`jti` (PyJWT >= 2.10
# rejects a numeric `sub`, which PHP's JWT libraries and an organisation's own signer happily produce).
_SSO_OPTIONS: Options = {
    "verify_exp": False,
    "verify_iat": False,
    "verify_nbf": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


def sso_claims(token: str, secret: str, clock: VirtualClock) -> dict[str, Any]:
    """The claims of an SSO token signed HS256 with the organisation's key, checked on the virtual clock:
    `exp` passed or `nbf` still ahead is a TokenError (firebase/php-jwt's ExpiredException and
    BeforeValidException); a numeric `sub` is fine."""
    key = (token, secret)
    claims = _SSO_VERIFIED.get(key)
    if claims is None:
        try:
            claims = jwt.decode(token, secret, algorithms=["HS256"], options=_SSO_OPTIONS)
        except jwt.InvalidSignatureError:
            raise TokenError("signature") from None
        except jwt.PyJWTError:
            raise TokenError("malformed") from None
        if not isinstance(claims, dict):
            raise TokenError("malformed")
        _SSO_VERIFIED.put(key, claims)
    check_times(claims, clock)
    return claims


def check_times(claims: dict[str, Any], clock: VirtualClock) -> None:
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if exp is None and nbf is None:
        return
    now = clock.time()
    if exp is not None and (not _is_time(exp) or now >= exp):
        raise TokenError("expired")
    if nbf is not None and (not _is_time(nbf) or now < nbf):
        raise TokenError("not_yet_valid")


def _is_time(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_KNOWN_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # world -> {token: (state, claims, principal)}


def _key_state(world: World) -> tuple:
    """What an API key's principal depends on besides the clock: its row, its user, the revocations."""
    keys, users, revoked = world["oauth_access_tokens"], world["users"], world.existing("revoked_tokens")
    return (id(keys), keys.version, id(users), users.version, id(revoked), revoked.version if revoked else -1)


def authenticate(ctx: RequestContext, token: str) -> dict[str, Any]:
    """The principal of a bearer token in this organisation, or the 401 `Unauthenticated.`. An API key
    already accepted is accepted again without the lookups while nothing it depends on changed (its time
    claims are checked every time)."""
    world = ctx.world
    known = _KNOWN_KEYS.get(world)
    hit = known.get(token) if known is not None else None
    if hit is not None and hit[0] == _key_state(world):
        try:
            check_times(hit[1], ctx.clock)
        except TokenError:
            raise e.unauthenticated() from None
        return dict(hit[2])
    principal, claims = _authenticate(ctx, world, token)
    if principal["kind"] == "api_key":
        if known is None:
            known = _KNOWN_KEYS[world] = {}
        if len(known) > 1024:
            known.clear()
        known[token] = (_key_state(world), claims, dict(principal))
    return principal


def _authenticate(ctx: RequestContext, world: World, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        claims = ISSUER.verify(token, clock=ctx.clock)
        check_times(claims, ctx.clock)  # Passport (lcobucci/jwt LooseValidAt) refuses a token before its nbf
        kind = "api_key"
    except TokenError as error:
        if error.reason != "signature":
            raise e.unauthenticated() from None
        secret = ctx.vendor.settings_of(world).get("single_sign_on_key")
        if not secret:
            raise e.unauthenticated() from None
        try:
            claims = sso_claims(token, secret, ctx.clock)
        except TokenError:
            raise e.unauthenticated() from None
        kind = "sso"
    if kind == "api_key":
        row = world["oauth_access_tokens"].get(claims.get("jti"))
        if row is None or row["revoked"] or is_revoked(world, token):
            raise e.unauthenticated()
        scopes = claims.get("scopes")
    else:
        scopes = claims.get("scope")
    sub = claims.get("sub")
    user_id = to_int(sub) if isinstance(sub, (str, int)) and not isinstance(sub, bool) else None
    user = world["users"].get(user_id) if user_id is not None else None
    if user is None or user["deleted_at"] is not None:
        raise e.unauthenticated()
    scopes = [s for s in (scopes if isinstance(scopes, list) else [scopes]) if isinstance(s, str)]
    return {"user_id": user_id, "scopes": scopes, "kind": kind, "organization": ctx.tenant}, claims


# -- the checks of every request, in PERSCOM's order ------------------------------------------------------
def verify(request: Any) -> dict[str, Any]:
    ctx = current()
    if ctx.principal is not None and "user_id" in ctx.principal:  # second security scheme of the same request
        return ctx.principal
    version = wire.version_of(ctx.path)
    op = by_operation_id().get(operation_id(request) or "")
    if op is None or op.route.version != "v1":  # a v2-table route: /{version}/... or /health, /spec.json
        check_version(ctx, request.method)
    if not organization_known(ctx):
        raise e.tenant_not_identified() if version == "v1" else e.http_exception(401, "Unauthorized")
    token = request_token(request, version)
    if token is None:
        raise e.unauthenticated()
    principal = authenticate(ctx, token)
    settings = ctx.vendor.settings_of(ctx.world)
    if not settings["subscribed"]:
        raise e.subscription_required()
    user = ctx.world["users"].get(principal["user_id"])
    if user is None:  # authenticate() found it; only a concurrent delete removes it
        raise e.unauthenticated()
    if settings["admin_approval_required"] and not user["approved"]:
        raise e.awaiting_approval()
    if op is not None:
        principal["deferred"] = check_operation(principal, op)
    return principal


def check_version(ctx: RequestContext, method: str) -> None:
    """The `{version}` of a v2-table path: v1 paths the v1 routes lack answer as v1's fallback does; other
    versions are v2's 400."""
    version = wire.path_version(ctx.path)
    if version == "v1":
        raise e.unrouted_v1(method, ctx.path)
    if version is not None and version not in wire.VERSIONS:
        raise e.invalid_version()


def check_operation(principal: dict[str, Any], op: Operation) -> bool:
    """The policy check that needs no row: 403 now, or True when only a row can still allow it (a key
    viewing/updating its own user or viewing its own records: the handler decides after the lookup)."""
    ability, model = operation_ability(op)
    if can(principal, ability, model):
        return False
    if op.route.kind != "me" and op.action in ROW_ACTIONS and self_access_possible(ability, model):
        return True
    raise e.unauthorized()


def operation_ability(op: Operation) -> tuple[str, Model]:
    """The (ability, model) an operation is authorised on first."""
    route, action = op.route, op.action
    if route.kind == "me":
        return "view", MODELS["User"]
    if action in MEMBERSHIP:  # attach/detach/sync/toggle/pivot: update on the parent
        return "update", route.nested_parent
    if route.model.name == "Image" and route.parent_model is not None:  # ImagePolicy: create:image, else the owner's
        ability = ABILITIES[action]
        return (ability, MODELS["Image"]) if ability == "create" else (ability, route.parent_model)
    if action == "associate":  # the parent must be viewable, the child updatable
        return "update", route.model
    return ABILITIES[action], route.model


def scope_of(ability: str, model: Model) -> str:
    if model.name == "Newsfeed":
        return "manage:newsfeed"
    return f"{ability}:{model.scope}"


def can(principal: dict[str, Any], ability: str, model: Model, row: Row | None = None) -> bool:
    scopes = principal["scopes"]
    if "*" in scopes or scope_of(ability, model) in scopes:
        return True
    if row is None:
        return False
    if model.name == "User" and ability in ("view", "update"):
        return row["id"] == principal["user_id"]
    if model.name in RECORDS and ability == "view":
        return row.get("user_id") == principal["user_id"]
    return False


def self_access_possible(ability: str, model: Model) -> bool:
    return (model.name == "User" and ability in ("view", "update")) or (model.name in RECORDS and ability == "view")


def authorize(ability: str, model: Model, row: Row | None = None) -> None:
    """Gate::authorize for a row (the handlers' per-entity policy checks)."""
    principal = current().principal
    if principal is not None and not can(principal, ability, model, row):
        raise e.unauthorized()


def require_scope(principal: dict[str, Any], scope: str) -> None:
    """A scope the key must hold itself (`*` holds them all), with no policy to fall back on."""
    scopes = principal.get("scopes", [])
    if "*" not in scopes and scope not in scopes:
        raise e.unauthorized()


# -- the rate limiter's key (RouteServiceProvider::configureRateLimiting) -------------------------------------
def throttle_key(info: RequestInfo) -> str | None:
    """`$request->user()?->id`: throttle runs after tenancy and auth, so only requests that pass both count
    (INFERRED: revocation is not re-checked here)."""
    token = bearer_token(info.header("authorization")) or _query_apikey(info)
    if token is None or info.tenant in (None, UNIDENTIFIED) or is_unrouted(info.local_path):
        return None
    if info.tenant not in organizations() and _peek(info.tenant) is None:
        return None  # tenancy answers 401 before throttle runs
    try:
        claims = ISSUER.verify(token, clock=_clock())
        check_times(claims, _clock())
    except Exception:
        claims = None
    if claims is None:
        world = _peek(info.tenant)
        secret = current().vendor.settings_of(world).get("single_sign_on_key") if world is not None else None
        if not secret:
            return None
        try:
            claims = sso_claims(token, secret, _clock())
        except Exception:
            return None
    sub = claims.get("sub")
    return f"user:{info.tenant}:{sub}" if sub is not None else None


def _query_apikey(info: RequestInfo) -> str | None:
    """v2's `?apikey=` (the rate-limit key is the user either way)."""
    if wire.version_of(info.path) == "v1":
        return None
    query = current().scope.get("query_string", b"")
    if b"apikey=" not in query:
        return None
    from urllib.parse import parse_qs

    return (parse_qs(query.decode("latin-1")).get("apikey") or [None])[0]


def _clock():
    return current().suite.clock


def _peek(tenant: str) -> World | None:
    return current().suite.worlds.existing(current().vendor.name, tenant)
