"""Rows and their wire form: Eloquent's `toArray()` (visible columns in table order, then `$appends`, then
loaded relations in snake_case), relation lookups for includes and nested routes, and new/updated rows
built from validated input with Eloquent's casts."""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from mocks.core.serialization import ascii_int, fragment
from mocks.core.store import Row, World, row_memo

from .laravel import to_bool, to_int, to_timestamp
from .resources import MODELS, Model, Relation

TIME_DEPENDENT = {"Event"}  # appended attributes read the clock (is_past, next_occurrence)


@dataclass(frozen=True)
class Env:
    """What serialisation needs besides the row: the organisation's domain and the current time."""

    domain: str
    now: str  # Laravel timestamp of "now"
    version: str = "v1"  # the API version whose wire shape is rendered (v2: its columns, appends and label)


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


# -- relation lookups -------------------------------------------------------------------------------------
def alive(row: Row | None) -> TypeGuard[Row]:  # a Row when True (False: missing or soft-deleted)
    return row is not None and row.get("deleted_at") is None


def _index(world: World, table: str, column: str) -> dict[Any, list[Row]]:
    collection = world[table]

    def build() -> dict[Any, list[Row]]:
        index: dict[Any, list[Row]] = {}
        for row in collection.values():
            index.setdefault(row.get(column), []).append(row)
        return index

    return collection.derived(("index", column), build)


def foreign_key(value: Any) -> Any:
    """A key as MySQL compares it: activity-log causers sit in a char column since 2023-05 (perscom-app
    migration `change_causer_activity_logs_to_support_uuids`), so `"1"` still finds user 1."""
    if isinstance(value, str):
        number = ascii_int(value)
        return number if number is not None else value
    return value


def related(world: World, owner: Model, row: Row, relation: Relation) -> Row | list[Row] | None:
    """The live related rows (soft-deleted ones are out, as Eloquent's SoftDeletes scope does)."""
    target = MODELS[relation.target]
    if relation.kind == "belongs_to":
        found = world[target.table].get(foreign_key(row.get(relation.fk)))
        return found if alive(found) else None
    if relation.kind == "has_many":
        rows = [r for r in _index(world, target.table, relation.fk).get(row["id"], []) if alive(r)]
        for column, value in relation.where:
            rows = [r for r in rows if r.get(column) == value]
        return rows
    if relation.kind in ("morph_many", "morph_one"):
        rows = [
            r
            for r in _index(world, target.table, "model_id").get(row["id"], [])
            if r["model_type"] == owner.class_name and alive(r)
        ]
        return rows if relation.kind == "morph_many" else (rows[0] if rows else None)
    if relation.kind == "many":
        return [child for _, child in attached(world, relation, row["id"])]
    raise ValueError(relation.kind)


def pivot_rows(world: World, relation: Relation, parent_id: int) -> list[Row]:
    rows = _index(world, relation.pivot, relation.parent_key).get(parent_id, [])
    if relation.morph:
        column, value = relation.morph
        rows = [p for p in rows if p.get(column) == value]
    return rows


def attached(world: World, relation: Relation, parent_id: int) -> list[tuple[Row, Row]]:
    """(pivot row, related row) pairs, in attachment order, live related rows only."""
    targets = world[MODELS[relation.target].table]
    pairs = []
    for pivot in pivot_rows(world, relation, parent_id):
        child = targets.get(pivot[relation.related_key])
        if alive(child):
            pairs.append((pivot, child))
    return pairs


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


# -- serialisation ----------------------------------------------------------------------------------------
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
