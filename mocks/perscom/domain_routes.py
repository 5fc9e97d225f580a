"""PERSCOM's v1 and v2 routes as Laravel Orion registers them (APP1 routes/api.php; ORION `src/Http/Routing/*`),
and which operation a path reaches.

Each `Route` is one `Orion::resource(...)` / `Orion::<relation>Resource(...)` line; `operations()` expands
them into (operationId, method, path, action) the way Orion's registrars do. The spec generator and the
handler dispatcher both read this table, so a route exists in the spec exactly when a handler serves it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from .domain_resources import MODELS, Model, Relation
from .wire import version_of

BASE = "/v1"
V2_BASE = "/{version}"  # SPEC2: every v2 path is /{version}/..., version v1 or v2 (APPH routes/api.php)

# Orion's registrars: which actions each kind of resource gets (withSoftDeletes() is never called, so no
# restore routes).
STANDARD = ("index", "search", "store", "show", "update", "destroy", "batch_store", "batch_update", "batch_destroy")
HAS_MANY = STANDARD + ("associate", "dissociate")
MANY_TO_MANY = STANDARD + ("attach", "detach", "sync", "toggle", "pivot")
HAS_ONE = ("store", "show", "update", "destroy")
BELONGS_TO = ("show", "update", "destroy", "batch_update", "batch_destroy")


@dataclass(frozen=True)
class Route:
    kind: str  # top | has_many | has_one | belongs_to | many | me
    segment: str  # URL segment of the (child) resource: "rank-records"
    model_name: str  # the model the actions work on (the child for relation routes)
    parent_segment: str = ""  # relation routes: the parent's URL segment ("users")
    parent_model_name: str = ""
    relation: str = ""  # relation name on the parent model
    only: tuple[str, ...] = ()  # ->only([...])
    base: str = BASE  # "/v1", or "/{version}" for the v2 table

    @property
    def key(self) -> str:
        parts = [self.parent_segment, self.segment] if self.parent_segment else [self.segment]
        return "_".join(p.replace("-", "_") for p in parts)

    @property
    def model(self) -> Model:
        return MODELS[self.model_name]

    @property
    def parent_model(self) -> Model | None:
        return MODELS[self.parent_model_name] if self.parent_model_name else None

    @property
    def rel(self) -> Relation | None:
        return self.parent_model.relations[self.relation] if self.parent_model else None

    @property
    def nested_parent(self) -> Model:
        """parent_model of a relation route, for code only relation routes run (a top-level one raises)."""
        parent = self.parent_model
        if parent is None:
            raise LookupError(f"{self.key} is a top-level route: it has no parent")
        return parent

    @property
    def nested_rel(self) -> Relation:
        """rel of a relation route, for code only relation routes run (a top-level one raises)."""
        return self.nested_parent.relations[self.relation]

    @property
    def param(self) -> str:
        """Laravel's route parameter: the singular, snake_cased segment."""
        return _singular(self.segment).replace("-", "_")

    @property
    def parent_param(self) -> str | None:
        return _singular(self.parent_segment).replace("-", "_") if self.parent_segment else None

    @property
    def actions(self) -> tuple[str, ...]:
        defaults = {
            "top": STANDARD,
            "has_many": HAS_MANY,
            "many": MANY_TO_MANY,
            "has_one": HAS_ONE,
            "belongs_to": BELONGS_TO,
            "me": ("index",),
        }[self.kind]
        return tuple(a for a in defaults if not self.only or a in self.only)

    @property
    def version(self) -> str:
        return "v1" if self.base == BASE else "v2"

    @property
    def collection_path(self) -> str:
        if self.parent_segment:
            return f"{self.base}/{self.parent_segment}/{{{self.parent_param}}}/{self.segment}"
        return f"{self.base}/{self.segment}"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    action: str
    route: Route
    with_id: bool  # the path carries the child id ({rank_record}); optional for has_one/belongs_to


def _singular(segment: str) -> str:
    irregular = {
        "specialties": "specialty",
        "categories": "category",
        "statuses": "status",
        "status": "status",
        "newsfeed": "newsfeed",
        "roster": "roster",
        "settings": "settings",
        "image": "image",
        "competencies": "competency",
        "qualifications": "qualification",
        "me": "me",
    }
    if segment in irregular:
        return irregular[segment]
    if segment.endswith("ies"):
        return segment[:-3] + "y"
    if segment.endswith("s"):
        return segment[:-1]
    return segment


def _top(segment: str, model: str, only: tuple[str, ...] = (), base: str = BASE) -> Route:
    return Route("top", segment, model, only=only, base=base)


def _nested(kind: str, parent: str, segment: str, relation: str, only: tuple[str, ...] = (), base: str = BASE) -> Route:
    parent_route = next(r for r in ROUTES if r.kind == "top" and r.segment == parent)
    parent_model = MODELS[parent_route.model_name]
    target = parent_model.relations[relation].target
    return Route(
        kind,
        segment,
        target,
        parent_segment=parent,
        parent_model_name=parent_model.name,
        relation=relation,
        only=only,
        base=base,
    )


ROUTES: list[Route] = [
    Route("me", "me", "User"),
    _top("announcements", "Announcement"),
    _top("assignment-records", "AssignmentRecord"),
    _top("award-records", "AwardRecord"),
    _top("awards", "Award"),
    _top("calendars", "Calendar"),
    _top("categories", "Category"),
    _top("combat-records", "CombatRecord"),
    _top("documents", "Document"),
    _top("events", "Event"),
    _top("forms", "Form"),
    _top("groups", "Group"),
    _top("newsfeed", "Newsfeed"),
    _top("positions", "Position"),
    _top("qualifications", "Qualification"),
    _top("qualification-records", "QualificationRecord"),
    _top("ranks", "Rank"),
    _top("rank-records", "RankRecord"),
    _top("service-records", "ServiceRecord"),
    _top("specialties", "Specialty"),
    _top("statuses", "Status"),
    _top("submissions", "Submission"),
    _top("tasks", "Task"),
    _top("units", "Unit"),
    _top("users", "User"),
]
ROUTES += [
    _nested("has_one", "awards", "image", "image"),
    _nested("many", "categories", "awards", "awards"),
    _nested("many", "categories", "documents", "documents"),
    _nested("many", "categories", "forms", "forms"),
    _nested("many", "categories", "qualifications", "qualifications"),
    _nested("many", "categories", "ranks", "ranks"),
    _nested("has_many", "events", "images", "images"),
    _nested("has_many", "forms", "submissions", "submissions"),
    _nested("many", "newsfeed", "likes", "likes", only=("index", "attach", "detach", "sync")),
    _nested("has_one", "qualifications", "image", "image"),
    _nested("has_one", "ranks", "image", "image"),
    _nested("many", "submissions", "statuses", "statuses"),
    _nested("has_many", "users", "assignment-records", "assignment_records"),
    _nested("has_many", "users", "award-records", "award_records"),
    _nested("has_many", "users", "combat-records", "combat_records"),
    _nested("has_many", "users", "qualification-records", "qualification_records"),
    _nested("has_many", "users", "rank-records", "rank_records"),
    _nested("has_many", "users", "service-records", "service_records"),
    _nested("belongs_to", "users", "position", "position"),
    _nested("belongs_to", "users", "rank", "rank"),
    _nested("belongs_to", "users", "specialty", "specialty"),
    _nested("belongs_to", "users", "unit", "unit"),
    _nested("belongs_to", "users", "status", "status"),
    _nested("many", "users", "fields", "fields"),
    _nested("many", "users", "status-records", "status_records"),
    _nested("many", "users", "tasks", "tasks"),
]

# v2 (APPH routes/api.php, SPEC2): every v1 route, with the newsfeed index-only, `events/{e}/image`
# (a hasMany named image) instead of `events/{e}/images`, and the new resources.
_V2_DROPPED = {("events", "images")}
_V2_ONLY = {("", "newsfeed"): ("index",)}
ROUTES_V2: list[Route] = [
    Route(
        r.kind,
        r.segment,
        r.model_name,
        r.parent_segment,
        r.parent_model_name,
        r.relation,
        _V2_ONLY.get((r.parent_segment, r.segment), r.only),
        base=V2_BASE,
    )
    for r in ROUTES
    if (r.parent_segment, r.segment) not in _V2_DROPPED
]
ROUTES_V2 += [
    _top(segment, model, base=V2_BASE)
    for segment, model in (
        ("attachments", "Attachment"),
        ("comments", "Comment"),
        ("competencies", "Competency"),
        ("credentials", "Credential"),
        ("images", "Image"),
        ("issuers", "Issuer"),
        ("messages", "Message"),
        ("slots", "Slot"),
        ("training-records", "TrainingRecord"),
    )
]
ROUTES_V2 += [
    Route("top", "roster", "Group", only=("index", "show"), base=V2_BASE),
    Route("top", "settings", "Setting", only=("index",), base=V2_BASE),
    _nested("has_many", "events", "image", "image", base=V2_BASE),
    _nested("has_one", "groups", "image", "image", base=V2_BASE),
    _nested("many", "groups", "units", "units", base=V2_BASE),
    _nested("has_one", "units", "image", "image", base=V2_BASE),
    _nested("many", "users", "attachments", "attachments", base=V2_BASE),
    _nested("has_many", "users", "training-records", "training_records", base=V2_BASE),
]
ROUTES_V2 += [
    Route(
        "many",
        segment,
        target,
        parent_segment="training-records",
        parent_model_name="TrainingRecord",
        relation=segment,
        base=V2_BASE,
    )
    for segment, target in (("competencies", "Competency"), ("credentials", "Credential"))
]

# (suffix after the collection path, method, needs the child id)
_SHAPES = {
    "index": ("", "GET", False),
    "search": ("/search", "POST", False),
    "store": ("", "POST", False),
    "show": ("/{id}", "GET", True),
    "update": ("/{id}", "PATCH", True),
    "destroy": ("/{id}", "DELETE", True),
    "batch_store": ("/batch", "POST", False),
    "batch_update": ("/batch", "PATCH", False),
    "batch_destroy": ("/batch", "DELETE", False),
    "associate": ("/associate", "POST", False),
    "dissociate": ("/{id}/dissociate", "DELETE", True),
    "attach": ("/attach", "POST", False),
    "detach": ("/detach", "DELETE", False),
    "sync": ("/sync", "PATCH", False),
    "toggle": ("/toggle", "PATCH", False),
    "pivot": ("/{id}/pivot", "PATCH", True),
}
# Static paths first (/search, /batch, /attach...) so they route before /{id}, as in Laravel's registration.
_PATH_ORDER = [
    "",
    "/search",
    "/batch",
    "/associate",
    "/attach",
    "/detach",
    "/sync",
    "/toggle",
    "/{id}",
    "/{id}/dissociate",
    "/{id}/pivot",
]


def _route_operations(route: Route) -> list[Operation]:
    ops: list[Operation] = []
    for action in route.actions:
        suffix, method, with_id = _SHAPES[action]
        methods = [method, "PUT"] if action == "update" else [method]  # Laravel: match(['PUT', 'PATCH'])
        optional_id = route.kind in ("has_one", "belongs_to") and with_id  # {image?}: both paths exist
        variants = [(suffix.replace("/{id}", ""), False), (suffix, True)] if optional_id else [(suffix, with_id)]
        for variant_suffix, has_id in variants:
            for verb in methods:
                path = route.collection_path + variant_suffix.replace("{id}", "{" + route.param + "}")
                name = action + ("_put" if verb == "PUT" else "") + ("_by_id" if optional_id and has_id else "")
                ops.append(Operation(f"{route.key}_{name}", verb, path, action, route, has_id))
    order = {s: i for i, s in enumerate(_PATH_ORDER)}

    def rank(op: Operation) -> int:
        suffix = op.path[len(route.collection_path) :].replace("{" + route.param + "}", "{id}")
        return order.get(suffix, len(order))

    return sorted(ops, key=rank)


@functools.cache
def operations(version: str = "v1") -> tuple[Operation, ...]:
    """The operations of one API version; v2 operationIds are prefixed `v2_` (both APIs share /perscom)."""
    ops: list[Operation] = []
    for route in ROUTES if version == "v1" else ROUTES_V2:
        ops += _route_operations(route)
    if version != "v1":
        ops = [
            Operation(f"{version}_{op.operation_id}", op.method, op.path, op.action, op.route, op.with_id) for op in ops
        ]
    return tuple(ops)


@functools.cache
def by_operation_id() -> dict[str, Operation]:
    return {op.operation_id: op for version in ("v1", "v2") for op in operations(version)}


# -- matching a path to an operation (the routers' order) ---------------------------------------------------
@functools.cache
def operation_patterns(version: str = "v1") -> list[tuple[re.Pattern, Any]]:
    """(path regex, operation) in spec order: static paths before templated ones, as the routers try them."""
    patterns = []
    for op in operations(version):
        regex = re.sub(r"\\{([^/]+?)\\}", r"(?P<\1>[^/]+)", re.escape(op.path))
        patterns.append((re.compile("^" + regex + "$", re.DOTALL), op))
    return sorted(patterns, key=lambda item: "{" in item[1].path)


def operation_for(method: str, path: str):
    for pattern, op in operation_patterns(version_of(path)):
        match = pattern.match(path)
        if match and op.method == method:
            return op, match.groupdict()
    return None


@functools.lru_cache(maxsize=4096)
@functools.lru_cache(maxsize=4096)  # a pure function of the path, asked by two rate rules and auth
def is_unrouted(path: str) -> bool:
    """No route with auth serves this path (the specs, health, unknown endpoints)."""
    if path in ("/v1/spec.yaml", "/health", "/spec.json"):
        return True
    version = version_of(path)
    if version == "v2" and _V2_CACHE.match(path):
        return False
    return not any(pattern.match(path) for pattern, _ in operation_patterns(version))


_V2_CACHE = re.compile(r"^/[^/]+/cache$")
