"""PERSCOM's domain: what a resource is and what may happen to it, for every API version.

PERSCOM's v1 and v2 run the same Laravel models and Orion controllers, so the mock runs one domain for
both: the route tables (domain_routes.py) name the operations of each version, and every operation is one of
Laravel Orion's dozen controller actions (`index`, `search`, `store`, `show`, `update`, `destroy`, the
batch actions, `associate`/`dissociate`, `attach`/`detach`/`sync`/`toggle`/`pivot`) over the model table
(domain_resources.py). Order inside an action follows PERSCOM (APP1's middleware order, then the policy): policy
(403) → validation (422) → lookup (404) → write, atomically, then webhooks off the request path. Creation rules (the
rules of the version's request class), rows built from input with Eloquent's casts, relations
(domain_relations.py), listings (domain_query.py), policies (auth.py), soft deletes and the activity a write causes
(webhook events, domain_webhooks.py) live here. Each action returns data, a `Result` (the row, rows, listing or
pivot ids it answers with) or a `Write` that makes the writes and returns the Result; `run` gives the Result to
the renderer its caller passes (wire.answer, which with errors.py decides the version's wire shape: envelopes,
errors, headers, extra attributes), inside the write's transaction. handlers.py (v1) and handlers_v2.py only
resolve operationIds, read parameters and pass wire.answer.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from mocks.core.context import RequestContext, current
from mocks.core.serialization import ascii_int
from mocks.core.store import Row, World
from mocks.core.uploads import Upload

from . import auth, wire
from . import domain_query as q
from . import domain_relations as rel
from . import domain_webhooks as wh
from . import errors as e
from . import wire_webhooks as ww
from .domain_resources import Model, Relation
from .domain_routes import Operation
from .laravel import normalize, stamp, to_bool, to_int, to_timestamp, validate_fields

R = TypeVar("R")


@dataclass(frozen=True)
class Result:
    """What an action answers with, for the renderer: one row (`entity`, with its status), rows
    (`collection`), a listing page (`page`: the rows; `index`: a function of the rows, which a cached page
    never calls) or the ids a pivot action touched (`pivot`)."""

    kind: Literal["entity", "collection", "page", "index", "pivot"]
    value: Any
    status: int = 200


@dataclass(frozen=True)
class Write:
    """An action's writes, checked and ready: `run` makes them and renders their Result in one transaction."""

    make: Callable[[], Result]


class Call:
    """One request to an Orion action: the operation, its parameters, its (normalised) input."""

    def __init__(self, op: Operation, params: dict[str, Any], body: Any, files: dict[str, Upload]) -> None:
        self.op = op
        self.route = op.route
        self.model: Model = op.route.model
        self.params = params
        self.raw_body = body
        self.input: dict[str, Any] = normalize(body) if isinstance(body, dict) else {}
        self.input.update(files)
        self.ctx: RequestContext = current()
        self.world = self.ctx.world
        self.principal: dict[str, Any] = self.ctx.principal or {}
        self.version = op.route.version
        self.events: list[tuple[str, dict[str, Any]]] = []

    # the clock and the organisation's domain are read once, when first needed (a cached listing never does)
    @functools.cached_property
    def _moment(self) -> datetime:
        return self.ctx.clock.now()

    @functools.cached_property
    def now(self) -> datetime:
        return self._moment.replace(tzinfo=None)

    @functools.cached_property
    def stamp(self) -> str:
        return stamp(self._moment)

    @functools.cached_property
    def env(self) -> wire.Env:
        return wire.Env(domain(self.ctx), self.stamp, self.version)

    @functools.cached_property
    def include_list(self) -> str:
        """`?include=` merged with the `relation` of each `includes` item of the input."""
        requested = [self.params.get("include") or ""]
        body = self.input.get("includes")
        entries = body.values() if isinstance(body, dict) else body if isinstance(body, list) else []
        requested += [e["relation"] for e in entries if isinstance(e, dict) and isinstance(e.get("relation"), str)]
        return ",".join(r for r in requested if r)

    @property
    def deferred(self) -> bool:
        return bool(self.principal.get("deferred"))

    @property
    def relation(self) -> Relation:
        """The route's relation on its parent: only actions of relation routes (nested ones) ask."""
        return self.route.nested_rel

    @property
    def parent_model(self) -> Model:
        """The parent's model of a relation route."""
        return self.route.nested_parent

    def param(self, name: str | None) -> Any:
        return self.params.get(name) if name else None

    def includes(self, model: Model | None = None) -> wire.Tree:
        """Orion's RelationsResolver: `?include=a,b` merged with the `relation` of each `includes` item of
        the input (the search body documents it; Orion reads it on every action), one whitelist for both."""
        return wire.requested_includes(model or self.model, self.include_list)

    def mode(self) -> str:
        return q.trashed_mode(self.params)


def domain(ctx: RequestContext) -> str:
    organization = auth.organizations().get(ctx.tenant)
    return organization["domain"] if organization else f"{ctx.tenant}.perscom.io"


# -- lookups ----------------------------------------------------------------------------------------------
def _key(value: Any) -> int | None:
    """A primary key as MySQL matches it: ASCII digits only ('²' or '١' find nothing), else None (404)."""
    return ascii_int(value) if isinstance(value, (str, int)) else None


def parent_row(call: Call) -> Row:
    """The parent of a relation route (`runParentFetchQuery`): 404 with the parent's model when missing."""
    parent = call.parent_model
    row = call.world[parent.table].get(_key(call.param(call.route.parent_param)))
    if row is None or not (rel.alive(row) or q.trashed_mode(call.params) != "without"):
        if call.deferred and auth.operation_ability(call.op)[1] is parent:
            raise e.unauthorized()
        raise e.model_not_found(parent.class_name)
    return row


Item = tuple[Row, Row | None]  # (row, pivot row of a many-to-many child)


def _nested(parent: Row | None) -> Row:
    """The parent row of a relation route: _parent() returns one whenever the route has a parent."""
    if parent is None:
        raise LookupError("a relation route's action without its parent row")
    return parent


def items(call: Call, parent: Row | None, *, mode: str | None = None) -> list[Item]:
    """The rows the route works on, in the database's order, after the soft-delete switches."""
    route, world, model = call.route, call.world, call.model
    mode = mode or call.mode()
    if route.kind == "top":
        collection = world[model.table]
        return collection.derived(
            ("items", mode), lambda: [(r, None) for r in q.apply_trashed(model, collection.values(), mode)]
        )
    if route.kind == "me":
        user = world["users"].get(call.principal["user_id"])
        if user is None:  # verify() found the caller's user; only a concurrent delete removes it
            raise e.unauthenticated()
        return [(user, None)]
    relation, parent = call.relation, _nested(parent)
    if relation.kind == "many":
        pairs: list[Item] = []
        targets = world[model.table]
        for pivot in rel.pivot_rows(world, relation, parent["id"]):
            child = targets.get(pivot[relation.related_key])
            if child is not None:
                pairs.append((child, pivot))
        return [(c, p) for c, p in pairs if q.apply_trashed(model, [c], mode)]
    if relation.kind == "belongs_to":
        belongs = world[model.table].get(parent.get(relation.fk))
        rows = [belongs] if belongs is not None else []
    elif relation.kind in ("morph_many", "morph_one"):
        index = rel.index(world, model.table, "model_id").get(parent["id"], [])
        rows = [r for r in index if r["model_type"] == call.parent_model.class_name]
    else:
        rows = rel.index(world, model.table, relation.fk).get(parent["id"], [])
        for column, value in relation.where:
            rows = [r for r in rows if r.get(column) == value]
    rows = q.apply_trashed(model, rows, mode)
    if relation.kind == "morph_one":
        rows = rows[:1]
    return [(r, None) for r in rows]


def find(call: Call, parent: Row | None, *, mode: str | None = None) -> Item:
    """The child named by the route's id (optional for hasOne/belongsTo), else 404 of the child's model."""
    key = _key(call.param(call.route.param)) if call.op.with_id else None
    found: list[Item]
    if call.route.kind == "top":  # a primary-key lookup, not a scan
        row = call.world[call.model.table].get(key)
        found = [(row, None)] if row is not None and q.apply_trashed(call.model, [row], mode or call.mode()) else []
    else:
        found = items(call, parent, mode=mode)
        if call.op.with_id:
            found = [item for item in found if item[0]["id"] == key]
    if not found:
        if call.deferred and auth.operation_ability(call.op)[1] is call.model:
            raise e.unauthorized()  # no scope, and no row of one's own to fall back on
        raise e.model_not_found(call.model.class_name)
    return found[0]


# -- rows from input --------------------------------------------------------------------------------------
def cast(model: Model, name: str, value: Any, now: datetime) -> Any:
    """An input value as Eloquent stores and returns it (casts and MySQL column types)."""
    column = model.column_map.get(name)
    if column is None or value is None:
        return value
    if column.kind in ("int", "id"):
        number = to_int(value)
        return number if number is not None else value
    if column.kind == "bool":
        return to_bool(value)
    if column.kind == "datetime":
        return to_timestamp(value, now)
    if column.kind == "json":
        return value
    if column.kind in ("str", "text") and not isinstance(value, str):
        return str(value)
    return value


def fillable(model: Model) -> list[str]:
    """What a request may set: the columns its rules name (id and deleted_at stay guarded)."""
    names = set(model.rules) | set(model.store_rules)
    return [c.name for c in model.columns if c.name in names and c.name not in ("id", "deleted_at")]


_DEFAULTS = {"bool": False, "int": 0}


def new_row(world: World, model: Model, values: dict[str, Any], *, stamp: str, row_id: int | None = None) -> Row:
    """A row as the database returns it after an insert (column defaults filled in)."""
    row: Row = {}
    for column in model.columns:
        if column.name == "id":
            row["id"] = row_id if row_id is not None else world[model.table].next_id()
        elif column.name in values:
            row[column.name] = values[column.name]
        elif column.name in ("created_at", "updated_at"):
            row[column.name] = stamp
        elif not column.nullable:
            row[column.name] = _DEFAULTS.get(column.kind, "")
        else:
            row[column.name] = None
    return row


def changes_of(row: Row, values: dict[str, Any]) -> dict[str, Any]:
    """Eloquent's dirty attributes: what differs from the stored row."""
    return {k: v for k, v in values.items() if row.get(k) != v}


# -- validation and writes ----------------------------------------------------------------------------------
def check(call: Call, rules: dict[str, str], data: Any = None) -> None:
    failures = validate_fields(call.input if data is None else data, rules, call.world)
    if failures:
        raise e.validation([message for _, message in failures], failures)


def store_rules(call: Call, model: Model | None = None) -> dict[str, str]:
    model = model or call.model
    nested = call.route.parent_param if call.route.kind in ("has_many", "many", "has_one") else None
    return model.store_rules_for(nested, call.version)


def update_rules(call: Call) -> dict[str, str]:
    return call.model.rules_in(call.version)


def values_from(call: Call, data: dict[str, Any], model: Model | None = None) -> dict[str, Any]:
    model = model or call.model
    return {name: cast(model, name, data[name], call.now) for name in fillable(model) if name in data}


def raw_changes(model: Model, changes: dict[str, Any]) -> dict[str, Any]:
    """getChanges() holds raw attributes: dates in the database's `Y-m-d H:i:s` form."""
    columns = model.column_map
    return {
        k: (v[:19].replace("T", " ") if isinstance(v, str) and k in columns and columns[k].kind == "datetime" else v)
        for k, v in changes.items()
    }


def emit(call: Call, model: Model, action: str, row: Row, changes: dict[str, Any] | None = None) -> None:
    if model.event is None:
        return
    event = f"{model.event}.{action}"
    ids = wire.request_ids() if call.version != "v1" else None
    call.events.append(
        (
            event,
            ww.payload(event, call.stamp, wire.to_array(model, row, call.env), raw_changes(model, changes or {}), ids),
        )
    )


def finish(call: Call) -> None:
    if call.events:
        wh.dispatch(call.ctx, call.events)


def create(call: Call, data: dict[str, Any], parent: Row | None) -> Item:
    """Insert a row (and its pivot row under a many-to-many route) and queue its `created` event."""
    route, model, world = call.route, call.model, call.world
    values = values_from(call, data)
    relation = route.rel
    if relation is not None and relation.kind == "has_many":
        values[relation.fk] = _nested(parent)["id"]
    if relation is not None and relation.kind in ("morph_many", "morph_one"):
        values.update(model_type=call.parent_model.class_name, model_id=_nested(parent)["id"])
    if model.name == "Image":
        values.update(_stored_file(call, data.get("image"), "images"))
    if model.name == "Attachment":
        values.update(_stored_file(call, data.get("file"), "attachments"))
    if model.name == "User":
        for name in ("profile_photo", "cover_photo"):
            if isinstance(data.get(name), Upload):
                values[name] = _stored_file(call, data[name], name.replace("_", "-") + "s")["path"]
    row = world[model.table].insert(new_row(world, model, values, stamp=call.stamp))
    _record_changed_user(call, model, row)
    pivot = None
    if relation is not None and relation.kind == "many":
        pivot = _attach_one(
            call, relation, _nested(parent)["id"], row["id"], _pivot_fields(relation, data.get("pivot"))
        )
    emit(call, model, "created", row)
    return row, pivot


# PERSCOM keeps the date of a user's last rank / assignment change on the user (v2 shows it; INFERRED: set
# when the record is created, without touching the user's updated_at or sending user.updated).
_CHANGE_DATES = {"RankRecord": "last_rank_change_date", "AssignmentRecord": "last_assignment_change_date"}


def _record_changed_user(call: Call, model: Model, row: Row) -> None:
    column = _CHANGE_DATES.get(model.name)
    if column is None:
        return
    user = call.world["users"].get(row.get("user_id"))
    if user is not None:
        call.world["users"].update(user["id"], {column: row["created_at"]})


def _stored_file(call: Call, upload: Any, folder: str) -> dict[str, Any]:
    """Where PERSCOM's beforeSave puts an upload (INFERRED: `<folder>/<random>.<ext>` on the tenant disk)."""
    if not isinstance(upload, Upload):
        return {}
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else "bin"
    return {"filename": upload.filename, "path": f"{folder}/{call.world.rnd.hex(40)}.{extension}"}


def change(call: Call, item: Item, data: dict[str, Any], model: Model | None = None) -> Item:
    """Eloquent's save(): only dirty attributes, `updated_at` touched unless given, `updated` event."""
    model = model or call.model
    row, pivot = item
    values = values_from(call, data, model)
    dirty = changes_of(row, values)
    if dirty:
        if "updated_at" not in dirty:
            dirty["updated_at"] = call.stamp
        row = call.world[model.table].update(row["id"], dirty)
        emit(call, model, "updated", row, dirty)
    relation = call.route.rel
    if pivot is not None and relation is not None and isinstance(data.get("pivot"), dict):
        pivot = _update_pivot(call, relation, pivot, _pivot_fields(relation, data["pivot"]))
    return row, pivot


def remove(call: Call, item: Item, *, force: bool = False) -> Item:
    model = call.model
    row, pivot = item
    if not model.soft_deletes or force:
        call.world[model.table].delete(row["id"])
        gone = row
    else:
        gone = call.world[model.table].update(row["id"], {"deleted_at": call.stamp, "updated_at": call.stamp})
    emit(call, model, "deleted", gone)
    return gone, pivot


# -- pivots -----------------------------------------------------------------------------------------------
def _pivot_fields(relation: Relation, fields: Any) -> dict[str, Any]:
    """preparePivotFields: arrays JSON-encoded, only the controller's pivot-fillable fields."""
    if not isinstance(fields, dict):
        return {}
    out = {}
    for name, value in fields.items():
        if name in relation.pivot_fillable:
            out[name] = json.dumps(value) if isinstance(value, (dict, list)) else value
    return out


def _attach_one(call: Call, relation: Relation, parent_id: int, child_id: int, fields: dict[str, Any]) -> Row:
    table = call.world[relation.pivot]
    row: Row = {"id": table.next_id(), relation.parent_key: parent_id, relation.related_key: child_id}
    if relation.morph:
        row[relation.morph[0]] = relation.morph[1]
    for column in relation.pivot_columns:
        if column != "id":
            row[column] = fields.get(column)
    if relation.timestamps:
        row.update(created_at=call.stamp, updated_at=call.stamp)
    return table.insert(row)


def _update_pivot(call: Call, relation: Relation, pivot: Row, fields: dict[str, Any]) -> Row:
    dirty = {k: v for k, v in fields.items() if pivot.get(k) != v}
    if not dirty:
        return pivot
    if relation.timestamps:
        dirty["updated_at"] = call.stamp
    return call.world[relation.pivot].update(pivot["id"], dirty)


def _pivot_resources(call: Call, resources: Any) -> dict[int, dict[str, Any]]:
    """standardizePivotResourcesArray + preparePivotResources: ids of existing related models the caller
    may view, in the database's order, with their fillable pivot fields."""
    relation, model = call.relation, call.model
    if isinstance(resources, dict):
        pairs = list(resources.items())
    elif isinstance(resources, list):
        pairs = list(enumerate(resources))
    elif resources is None:
        pairs = []
    else:
        pairs = [(0, resources)]
    standard: dict[Any, Any] = {}
    for key, fields in pairs:
        if isinstance(fields, (dict, list)):
            standard[str(key)] = fields if isinstance(fields, dict) else {}
        else:
            standard[str(fields)] = {}
    table = call.world[model.table]
    chosen: dict[int, dict[str, Any]] = {}
    for key in sorted({key for key in map(_key, standard) if key is not None}):
        row = table.get(key)
        if rel.alive(row) and auth.can(call.principal, "view", model, row):
            fields = next((f for k, f in standard.items() if _key(k) == key), {})
            chosen[key] = _pivot_fields(relation, fields)
    return chosen


def _current_pivots(call: Call, parent: Row) -> dict[int, Row]:
    relation = call.relation
    return {p[relation.related_key]: p for p in rel.pivot_rows(call.world, relation, parent["id"])}


def _detach(call: Call, parent: Row, ids: list[int]) -> None:
    relation = call.relation
    for pivot in list(rel.pivot_rows(call.world, relation, parent["id"])):
        if pivot[relation.related_key] in ids:
            call.world[relation.pivot].delete(pivot["id"])


def _sync(call: Call, parent: Row, resources: dict[int, dict[str, Any]], detaching: bool) -> dict[str, list[int]]:
    """BelongsToMany::sync: attach what is new, update changed pivot fields, detach the rest if asked."""
    relation = call.relation
    current_pivots = _current_pivots(call, parent)
    result: dict[str, list[int]] = {"attached": [], "detached": [], "updated": []}
    if detaching:
        result["detached"] = [i for i in current_pivots if i not in resources]
        _detach(call, parent, result["detached"])
    for child_id, fields in resources.items():
        if child_id not in current_pivots:
            _attach_one(call, relation, parent["id"], child_id, fields)
            result["attached"].append(child_id)
        elif fields and any(current_pivots[child_id].get(k) != v for k, v in fields.items()):
            _update_pivot(call, relation, current_pivots[child_id], fields)
            result["updated"].append(child_id)
    return result


# -- the Orion actions ------------------------------------------------------------------------------------
def _parent(call: Call) -> Row | None:
    if not call.route.parent_model:
        return None
    parent = parent_row(call)
    ability, model = auth.operation_ability(call.op)
    if call.deferred and model is call.route.parent_model:
        auth.authorize(ability, model, parent)
    return parent


def index(call: Call) -> Result:
    if call.route.kind == "top":  # a page the renderer may keep (wire.cached_index)
        return Result("index", lambda: items(call, None))
    return Result("page", items(call, _parent(call)))


def search(call: Call) -> Result:
    parent = _parent(call)
    found = items(call, parent)
    rows = q.search(call.world, call.model, [r for r, _ in found], call.input)
    pivots = {id(r): p for r, p in found}
    return Result("page", [(r, pivots.get(id(r))) for r in rows])


def show(call: Call) -> Result:
    item = find(call, _parent(call))
    auth.authorize("view", *_target(call, item))
    return Result("entity", item)


def _target(call: Call, item: Item) -> tuple[Model, Row | None]:
    """The (model, row) a row-level policy check is about (ImagePolicy defers to the image's owner)."""
    ability, model = auth.operation_ability(call.op)
    return (model, item[0]) if model is call.model else (model, None)


def store(call: Call) -> Write:
    parent = _parent(call)
    check(call, store_rules(call))
    return Write(lambda: Result("entity", create(call, call.input, parent), 201))


def update(call: Call) -> Write:
    parent = _parent(call)
    if call.deferred:  # policy before validation: only a row of one's own can still allow it
        auth.authorize("update", *_target(call, find(call, parent)))
    check(call, update_rules(call))
    item = find(call, parent)
    auth.authorize("update", *_target(call, item))
    return Write(lambda: Result("entity", change(call, item, call.input)))


def destroy(call: Call) -> Write:
    parent = _parent(call)
    force = call.model.soft_deletes and q.flag(call.params.get("force", call.input.get("force")))
    item = find(call, parent, mode="with" if call.model.soft_deletes else None)
    if item[0].get("deleted_at") is not None and not force:
        raise e.error(404, "", "NotFoundHttpException")  # INFERRED from Orion's source: abort(404) on a trashed row
    return Write(lambda: Result("entity", remove(call, item, force=force)))


def _batch_rules(rules: dict[str, str]) -> dict[str, str]:
    return {"resources": "array|required", **{f"resources.*.{k}": v for k, v in rules.items()}}


def batch_store(call: Call) -> Write:
    parent = _parent(call)
    check(call, _batch_rules(store_rules(call)))
    resources = call.input["resources"]
    entries = resources.values() if isinstance(resources, dict) else resources
    return Write(
        lambda: Result("collection", [create(call, data if isinstance(data, dict) else {}, parent) for data in entries])
    )


def resource_keys(resources: Any) -> list[Any]:
    """Orion's resolveResourceKeys over the PHP array json_decode makes of `resources`: the keys of an
    object keyed by id, the values of a list (an object keyed 0..n-1 is a list to PHP)."""
    if isinstance(resources, list):
        return list(resources)
    if not isinstance(resources, dict):
        return []  # INFERRED: PHP raises a TypeError (500) on anything else; the mock reads nothing
    keys = []
    for key in resources:  # json_decode turns canonical integer keys ("5", not "05") into ints
        number = ascii_int(key)
        keys.append(number if number is not None and str(number) == key else key)
    return list(resources.values()) if keys == list(range(len(keys))) else keys


def _by_ids(call: Call, parent: Row | None, ids: list[Any], mode: str) -> list[Item]:
    wanted = {_key(i) for i in ids if not isinstance(i, bool)} - {None}
    return [item for item in items(call, parent, mode=mode) if item[0]["id"] in wanted]


def batch_update(call: Call) -> Write:
    parent = _parent(call)
    check(call, _batch_rules(update_rules(call)))
    resources = call.input["resources"]
    data = resources if isinstance(resources, dict) else dict(enumerate(resources))
    found = _by_ids(call, parent, list(data), mode="without")  # soft-delete switches only touch index/search/show
    for row, _ in found:
        auth.authorize("update", *_target(call, (row, None)))
    by_key = {_key(k): v for k, v in data.items()}
    return Write(lambda: Result("collection", [change(call, item, by_key.get(item[0]["id"]) or {}) for item in found]))


def batch_destroy(call: Call) -> Write:
    """Orion's batchDestroy: no validation rules (`{}` deletes nothing), the rows fetched with trashed ones
    (a trashed row is deleted again), `?force=true` deletes for good."""
    parent = _parent(call)
    ids = resource_keys(call.input.get("resources"))
    found = _by_ids(call, parent, ids, mode="with" if call.model.soft_deletes else "without")
    force = call.model.soft_deletes and q.flag(call.params.get("force", call.input.get("force")))
    return Write(lambda: Result("collection", [remove(call, item, force=force) for item in found]))


def associate(call: Call) -> Write:
    parent = _nested(_parent(call))
    check(call, {"related_key": "required"})
    relation, model = call.relation, call.model
    row = call.world[model.table].get(_key(call.input["related_key"]))
    if not rel.alive(row):
        raise e.model_not_found(model.class_name)
    auth.authorize("view", call.parent_model, parent)
    auth.authorize("update", *_target(call, (row, None)))
    link = (
        {relation.fk: parent["id"]}
        if relation.kind == "has_many"
        else {"model_type": call.parent_model.class_name, "model_id": parent["id"]}
    )
    return Write(lambda: Result("entity", change(call, (row, None), link)))


def dissociate(call: Call) -> Write:
    parent = _parent(call)
    item = find(call, parent)
    auth.authorize("update", *_target(call, item))
    relation = call.relation

    def write() -> Result:
        columns = [relation.fk] if relation.kind == "has_many" else ["model_id"]
        row = item[0]
        dirty: dict[str, Any] = {c: None for c in columns if row.get(c) is not None}
        if dirty:
            dirty["updated_at"] = call.stamp
            row = call.world[call.model.table].update(row["id"], dirty)
            emit(call, call.model, "updated", row, dirty)
        return Result("entity", (row, None))

    return Write(write)


def attach(call: Call) -> Write:
    parent = _nested(_parent(call))
    check(call, {"resources": "present", "duplicates": "sometimes|boolean"})
    resources = _pivot_resources(call, call.input.get("resources"))

    def write() -> Result:
        if q.flag(call.input.get("duplicates", call.params.get("duplicates"))):
            for child_id, fields in resources.items():
                _attach_one(call, call.relation, parent["id"], child_id, fields)
            attached = list(resources)
        else:
            attached = _sync(call, parent, resources, detaching=False)["attached"]
        return Result("pivot", {"attached": attached})

    return Write(write)


def detach(call: Call) -> Write:
    parent = _nested(_parent(call))
    check(call, {"resources": "present"})
    resources = _pivot_resources(call, call.input.get("resources"))

    def write() -> Result:
        _detach(call, parent, list(resources))
        return Result("pivot", {"detached": list(resources)})

    return Write(write)


def sync(call: Call) -> Write:
    parent = _nested(_parent(call))
    check(call, {"resources": "present", "detaching": "sometimes|boolean"})
    resources = _pivot_resources(call, call.input.get("resources"))
    detaching = call.input.get("detaching", call.params.get("detaching", True))
    detaching = (
        detaching not in (False, 0, "0", "", None) if not isinstance(detaching, str) else detaching not in ("", "0")
    )
    return Write(lambda: Result("pivot", _sync(call, parent, resources, detaching)))


def toggle(call: Call) -> Write:
    parent = _nested(_parent(call))
    check(call, {"resources": "present"})
    resources = _pivot_resources(call, call.input.get("resources"))
    current_pivots = _current_pivots(call, parent)

    def write() -> Result:
        result: dict[str, list[int]] = {"attached": [], "detached": []}
        result["detached"] = [i for i in resources if i in current_pivots]
        _detach(call, parent, result["detached"])
        for child_id, fields in resources.items():
            if child_id not in current_pivots:
                _attach_one(call, call.relation, parent["id"], child_id, fields)
                result["attached"].append(child_id)
        return Result("pivot", result)

    return Write(write)


def pivot(call: Call) -> Write:
    """Orion's updatePivot: the related row is looked up first through the relation (the show query), so
    an unattached (or unknown, or trashed) one is the child model's 404; then the pivot is updated."""
    parent = _parent(call)
    check(call, {"pivot": "required|array"})
    relation = call.relation
    child, current_pivot = find(call, parent, mode="without")
    fields = _pivot_fields(relation, call.input["pivot"])

    def write() -> Result:
        if current_pivot is not None and fields:
            _update_pivot(call, relation, current_pivot, fields)
        return Result("pivot", {"updated": [child["id"]]})

    return Write(write)


ACTIONS: dict[str, Callable[[Call], Result | Write]] = {
    "index": index,
    "search": search,
    "store": store,
    "show": show,
    "update": update,
    "destroy": destroy,
    "batch_store": batch_store,
    "batch_update": batch_update,
    "batch_destroy": batch_destroy,
    "associate": associate,
    "dissociate": dissociate,
    "attach": attach,
    "detach": detach,
    "sync": sync,
    "toggle": toggle,
    "pivot": pivot,
}


def run(
    op: Operation,
    params: dict[str, Any],
    body: Any,
    files: dict[str, Upload] | None,
    answer: Callable[[Call, Result], R],
) -> R:
    """Run an operation synchronously, its Result rendered by `answer`. A write and the answer built from
    it share one transaction (Orion's startTransaction): when the answer cannot be built nothing stays
    written. Webhooks are queued once it committed."""
    call = Call(op, params, body, files or {})
    outcome = ACTIONS[op.action](call)
    if isinstance(outcome, Result):
        return answer(call, outcome)
    with call.world.transaction():
        response = answer(call, outcome.make())
    finish(call)
    return response
