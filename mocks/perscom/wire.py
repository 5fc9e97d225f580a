"""How PERSCOM rows and answers look on the wire, for either API version.

- Rows: Eloquent's `toArray()` (visible columns in table order, then `$appends`, then loaded relations in
  snake_case; v2 adds its columns, `display_name` and `label`), the includes Orion resolves, and the
  cached renderings of a listing.
- Answers: Laravel's JsonResponse (json_encode's default flags), the `{"data": ...}` envelopes, Laravel's
  paginator (`page`, `limit` default 15, no maximum), the cached top-level index pages and the pivot actions'
  results; `answer` renders any action's Result (domain.py).
- What differs between the versions and nothing else: which version a request speaks, the v2 error
  envelope, the v2 request/trace ids and response headers (APPH `bootstrap/app.php`,
  `tests/Feature/Tenant/Exceptions/ErrorApiTest.php`; SPEC2 `4xxError`).

Both versions run the same domain (domain.py): an action of either version raises the same errors and
returns the same rows; this module decides how they look for the version the client called.
"""

from __future__ import annotations

import fnmatch
import functools
import random
import re
import uuid
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mocks.core.context import current
from mocks.core.pagination import laravel_page
from mocks.core.responses import raw_response
from mocks.core.serialization import dumps, fragment, php_escaped
from mocks.core.store import Row, World, row_memo

from .domain_relations import attached, related
from .domain_resources import MODELS, Model, Relation
from .laravel import php_int, to_int

if TYPE_CHECKING:
    from collections.abc import Callable

    from .domain import Call, Item, Result

TIME_DEPENDENT = {"Event"}  # appended attributes read the clock (is_past, next_occurrence)
DEFAULT_LIMIT = 15


@dataclass(frozen=True)
class Env:
    """What serialisation needs besides the row: the organisation's domain and the current time."""

    domain: str
    now: str  # Laravel timestamp of "now"
    version: str = "v1"  # the API version whose wire shape is rendered (v2: its columns, appends and label)


# -- versions ---------------------------------------------------------------------------------------------
MOUNT = "/perscom"
V2_MESSAGES = {
    401: "You are not authenticated. Please provide a valid API key that contains your PERSCOM ID to continue.",
    402: "A valid subscription is required to complete this request.",
    403: "The API key provided does not have the correct permissions and/or scopes to perform the requested action.",
    404: "The requested resource or endpoint could not be found.",
    429: "You have exceeded the API rate limit. Please wait a minute before trying again.",
    500: "There was a server error with your last request. Please try again.",
    503: "The API is currently down for maintenance. Please check back later.",
}
INVALID_VERSION = "The provided API version is not valid. The currently available versions are: v1, v2"
VERSIONS = ("v1", "v2")
# APPH bootstrap/app.php: every v2 API response
V2_HEADERS = {
    "Vary": "Authorization, X-Perscom-Id",
    "Cache-Control": "no-store, max-age=0, public",
    "Surrogate-Control": "max-age=2592000",
}


def local_path(path: str) -> str:
    """The path below the vendor mount (`/perscom/v2/users` → `/v2/users`)."""
    return path[len(MOUNT) :] if path.startswith(MOUNT + "/") or path == MOUNT else path


@functools.lru_cache(maxsize=4096)
def version_of(path: str) -> str:
    """`v1` for the v1-era routes (`/v1/...`); everything else is today's application, which speaks v2
    (including `/health`, `/spec.json` and versions it refuses)."""
    local = local_path(path)
    return "v1" if local == "/v1" or local.startswith("/v1/") else "v2"


@functools.lru_cache(maxsize=4096)
def path_version(path: str) -> str | None:
    """The `{version}` segment of a versioned path (`/v2/users` → `v2`)."""
    parts = local_path(path).split("/", 2)
    return parts[1] if len(parts) > 2 else None


def speaks_v2() -> bool:
    try:
        return version_of(current().path) == "v2"
    except LookupError:
        return False


# -- request and trace ids ----------------------------------------------------------------------------------
_SOURCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def request_ids() -> tuple[str, str]:
    """(request id, trace id) of the current request, made once per request. INFERRED format: a version-4
    UUID and a 32-hex-digit trace id (OpenTelemetry's); drawn from a generator seeded with the suite's seed,
    so a fresh suite with the same seed answers the same ids (worlds' own RNGs are not touched)."""
    ctx = current()
    ids = ctx.scope.get("perscom.ids")
    if ids is None:
        source = _SOURCES.get(ctx.suite)
        if source is None:
            source = _SOURCES[ctx.suite] = random.Random(f"perscom-request-ids:{ctx.suite.seed}")
        ids = ctx.scope["perscom.ids"] = (
            str(uuid.UUID(int=source.getrandbits(128), version=4)),
            f"{source.getrandbits(128):032x}",
        )
    return ids


def error_body(status: int, message: str, type_: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The v2 envelope: a fixed text per status (other statuses keep the exception's message), the ids, and
    Laravel's `errors` map on 422s only."""
    request_id, trace_id = request_ids()
    body: dict[str, Any] = {
        "message": V2_MESSAGES.get(status, message),
        "type": type_,
        "request_id": request_id,
        "trace_id": trace_id,
    }
    if status == 422:
        body["errors"] = errors or {}
    return {"error": body}


def response_headers() -> dict[str, str]:
    request_id, trace_id = request_ids()
    return {"X-Perscom-Request-Id": request_id, "X-Perscom-Trace-Id": trace_id, **V2_HEADERS}


# -- includes ---------------------------------------------------------------------------------------------
Tree = dict[str, "Tree"]


def requested_includes(model: Model, include: str | None) -> Tree:
    """Orion's RelationsResolver: the comma list, whitelisted by includes() (wildcards as in Str::is),
    unknown or unresolvable relations silently dropped. (Shared and cached: never mutate it.)"""
    if not include:
        return {}
    return _includes_tree(model.name, include)


@functools.lru_cache(maxsize=1024)
def cacheable_tables(model_name: str, include: str) -> tuple[str, ...] | None:
    """The collections a listing with these includes reads, or None when it reads the clock."""
    model = MODELS[model_name]
    tree = requested_includes(model, include)
    return None if time_dependent(model, tree) else tuple(tables_of(model, tree))


def time_dependent(model: Model, tree: Tree) -> bool:
    """Whether a rendering reads the clock (appended attributes of events), so it cannot be cached."""
    return model.name in TIME_DEPENDENT or any(
        MODELS[r.target].name in TIME_DEPENDENT for r in _relations_in(model, tree)
    )


@functools.lru_cache(maxsize=1024)
def _includes_tree(model_name: str, include: str) -> Tree:
    model = MODELS[model_name]
    tree: Tree = {}
    for name in include.split(","):
        name = name.strip()
        if not name or not any(fnmatch.fnmatchcase(name, allowed) for allowed in model.includes):
            continue
        current_model, node = model, tree
        for part in name.split("."):
            relation = current_model.relations.get(part) if current_model else None
            if relation is None:
                break
            node = node.setdefault(part, {})
            current_model = MODELS[relation.target]
    return tree


def tree_key(tree: Tree) -> str:
    return ",".join(f"{k}({tree_key(v)})" for k, v in sorted(tree.items()))


def tables_of(model: Model, tree: Tree) -> list[str]:
    """Collections whose changes change a rendering with these includes (for cache keys)."""
    tables = [model.table]
    for name, sub in tree.items():
        relation = model.relations[name]
        if relation.kind == "many":
            tables.append(relation.pivot)
        tables += tables_of(MODELS[relation.target], sub)
    return tables


# -- Eloquent's toArray() --------------------------------------------------------------------------------
def pivot_array(relation: Relation, pivot: Row) -> dict[str, Any]:
    """The pivot as Eloquent loads it: foreign key, related key, morph type, withPivot columns, timestamps."""
    out = {relation.parent_key: pivot[relation.parent_key], relation.related_key: pivot[relation.related_key]}
    if relation.morph:
        out[relation.morph[0]] = pivot[relation.morph[0]]
    for column in relation.pivot_columns:
        out[column] = pivot.get(column)
    if relation.timestamps:
        out["created_at"] = pivot.get("created_at")
        out["updated_at"] = pivot.get("updated_at")
    return out


def _appends(model: Model, row: Row, env: Env) -> dict[str, Any]:
    if model.name == "User":
        path = f"/resources/users/{row['id']}"
        return {
            "online": False,
            "url": f"https://{env.domain}{path}",
            "relative_url": path,
            "profile_photo_url": _storage_url(env, row.get("profile_photo")),
            "cover_photo_url": _storage_url(env, row.get("cover_photo")),
        }
    if model.name == "Event":
        end = row.get("end") or row.get("start")
        return {
            "is_past": bool(end and end < env.now),
            "computed_end": end,
            "next_occurrence": row["start"] if row.get("start") and row["start"] >= env.now else None,
        }
    if model.name == "Form":
        return {"url": f"https://{env.domain}/forms/{row['slug']}"}
    if model.name == "Image":
        return {"image_url": _storage_url(env, row.get("path"))}
    if model.name == "Attachment":
        return {"attachment_url": _storage_url(env, row.get("path"))}
    return {}


def _v2_additions(model: Model, row: Row) -> dict[str, Any]:
    """SPEC2: the user's `display_name` (APPH `User::displayName()`: its name under the default format `{name}`)
    and every resource's `label`, `<Model>: <id>` with the class name's words spaced (APPH
    `HasResourceLabel::getLabel()`: `Rank Record: 1`)."""
    extra: dict[str, Any] = {"display_name": row.get("name")} if model.name == "User" else {}
    extra["label"] = f"{_spaced(model.name)}: {row.get('id')}"
    return extra


@functools.cache
def _spaced(class_name: str) -> str:
    """getLabel()'s `preg_split('/(?<=[a-z])(?=[A-Z])|(?=[A-Z][a-z])/', ...)` joined with spaces."""
    return " ".join(w for w in re.split(r"(?<=[a-z])(?=[A-Z])|(?=[A-Z][a-z])", class_name) if w)


def _storage_url(env: Env, path: str | None) -> str | None:
    return f"https://{env.domain}/storage/{path}" if path else None


def _attributes(model: Model, row: Row, env: Env) -> dict[str, Any]:
    out = {c.name: row.get(c.name) for c in model.visible_in(env.version)}
    if model.appends:
        out.update(_appends(model, row, env))
    if env.version != "v1":
        out.update(_v2_additions(model, row))
    return out


@row_memo
def _cached_attributes(row: Row, model_name: str, domain: str, version: str) -> dict[str, Any]:
    return _attributes(MODELS[model_name], row, Env(domain, "", version))


def to_array(model: Model, row: Row, env: Env) -> dict[str, Any]:
    """The model's `toArray()` without relations (a fresh dict the caller may extend)."""
    if model.name in TIME_DEPENDENT:
        return _attributes(model, row, env)
    return dict(_cached_attributes(row, model.name, env.domain, env.version))


class _Unhashed:
    """Carries an unhashable argument through row_memo's key without making it part of the key."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other) -> bool:
        return isinstance(other, _Unhashed)


def listing_renderer(world: World, model: Model, tree: Tree, env: Env):
    """`render(row)` for the rows of one listing: pre-serialised JSON cached per row version and versions of
    the collections the includes read, unless something in it reads the clock (then plain dicts)."""
    if time_dependent(model, tree):
        return lambda row: render(world, model, row, tree, env)
    key, versions = tree_key(tree), tuple(world[t].version for t in tables_of(model, tree))
    carried = _Unhashed((world, tree))
    return lambda row: _memo_fragment(row, model.name, env.domain, env.version, key, versions, carried)


@row_memo
def _memo_fragment(row: Row, model_name: str, domain: str, version: str, key: str, versions: tuple, carried: _Unhashed):
    world, tree = carried.value
    return fragment(render(world, MODELS[model_name], row, tree, Env(domain, "", version)))


def _relations_in(model: Model, tree: Tree) -> list[Relation]:
    found = []
    for name, sub in tree.items():
        relation = model.relations[name]
        found.append(relation)
        found += _relations_in(MODELS[relation.target], sub)
    return found


def render(
    world: World, model: Model, row: Row, tree: Tree, env: Env, pivot: tuple[Relation, Row] | None = None
) -> dict[str, Any]:
    """The row with its pivot accessor (many-to-many children) and the requested relations."""
    out = to_array(model, row, env)
    if pivot is not None:
        relation, pivot_row = pivot
        out[relation.accessor] = pivot_array(relation, pivot_row)
    for name, sub in tree.items():
        relation = model.relations[name]
        target = MODELS[relation.target]
        if relation.kind == "many":
            out[name] = [
                render(world, target, child, sub, env, (relation, p))
                for p, child in attached(world, relation, row["id"])
            ]
            continue
        value = related(world, model, row, relation)
        if isinstance(value, list):
            out[name] = [render(world, target, child, sub, env) for child in value]
        else:
            out[name] = None if value is None else render(world, target, value, sub, env)
    return out


# -- answers ----------------------------------------------------------------------------------------------
def json_response(body: Any, status: int = 200):
    """Laravel's JsonResponse: json_encode with default flags (`\\/`, `\\uXXXX`), as the real API sends it."""
    return raw_response(php_escaped(dumps(body)), status, media_type="application/json")


def render_item(call: Call, item: Item, tree: Tree) -> dict[str, Any]:
    row, pivot = item
    relation = call.route.rel if pivot is not None else None
    through = (relation, pivot) if relation is not None and pivot is not None else None  # a many-to-many child
    return render(call.world, call.model, row, tree, call.env, through)


def entity(call: Call, item: Item, status: int = 200):
    return json_response({"data": render_item(call, item, call.includes())}, status)


def collection(call: Call, items_: list[Item]):
    tree = call.includes()
    return json_response({"data": [render_item(call, item, tree) for item in items_]})


def pivot_result(result: dict[str, list[int]]):
    """attach / detach / sync / toggle / pivot: the ids touched, by what happened to them."""
    return json_response(result)


def answer(call: Call, result: Result):
    """The response to an Orion action's Result (domain.run calls it, inside the write's transaction)."""
    if result.kind == "entity":
        return entity(call, result.value, result.status)
    if result.kind == "collection":
        return collection(call, result.value)
    if result.kind == "page":
        return paginated(call, result.value)
    if result.kind == "index":
        return cached_index(call, result.value)
    return pivot_result(result.value)


def status_okay():
    """v2's cache and health answers (INFERRED body for health)."""
    return json_response({"status": "okay"})


# -- pagination -------------------------------------------------------------------------------------------
def page_number(value: Any) -> int:
    """Laravel's currentPageResolver: FILTER_VALIDATE_INT and >= 1, else 1 (so a page beyond PHP_INT_MAX
    is page 1)."""
    number = to_int(value)
    return number if number is not None and number >= 1 else 1


def page_limit(value: Any) -> int:
    """Orion's Paginator: the (int) cast of `limit` (PHP's: a numeric prefix, saturating at PHP_INT_MAX),
    else (or when <= 0) the default 15."""
    if value is None:
        return DEFAULT_LIMIT
    number = php_int(value)
    return number if number > 0 else DEFAULT_LIMIT


def page_bytes(call: Call, rows: list[Item]) -> bytes:
    """A page as the JsonResponse body (kept by cached_index)."""
    return php_escaped(dumps(page(call, rows)))


def encoded_json(body: bytes, status: int = 200):
    """A JSON body already encoded the way JsonResponse encodes it."""
    return raw_response(body, status, media_type="application/json")


def paginated(call: Call, rows: list[Item]):
    return json_response(page(call, rows))


def page(call: Call, rows: list[Item]) -> dict[str, Any]:
    """Laravel's paginator envelope of one page of the listing, the rows rendered with the includes."""
    ctx = call.ctx
    number = page_number(call.input.get("page", call.params.get("page")))
    limit = page_limit(call.params.get("limit", call.input.get("limit")))
    envelope = laravel_page(rows, page=number, per_page=limit, url=ctx.url(ctx.path))
    tree = call.includes()
    cached = listing_renderer(call.world, call.model, tree, call.env)
    envelope["data"] = [
        render_item(call, item, tree) if item[1] is not None else cached(item[0]) for item in envelope["data"]
    ]
    return envelope


def cached_index(call: Call, rows: Callable[[], list[Item]]):
    """A top-level index page as bytes, kept until a collection it reads changes (the rows' table, the
    included relations' tables): most list requests repeat one a client made before, and a kept page never
    asks the domain for its `rows`. Listings that read the clock (events) are built every time."""
    model, world = call.model, call.world
    tables = cacheable_tables(model.name, call.include_list)
    if tables is None:
        return paginated(call, rows())
    ctx = call.ctx
    key = (
        "index-page",
        call.version,
        ctx.tenant,
        ctx.url(ctx.path),
        call.params.get("page"),
        call.params.get("limit"),
        call.mode(),
        call.include_list,
        tuple(world[t].version for t in tables),
    )
    return encoded_json(world[model.table].derived(key, lambda: page_bytes(call, rows())))
