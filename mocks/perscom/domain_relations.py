"""Relations between PERSCOM rows as Eloquent loads them: the live related rows of a relation (soft-deleted
ones are out), pivot rows of many-to-many relations, column indexes. Read by the Orion actions (domain.py,
domain_query.py) and by the serializer's includes (wire.py).
"""

from __future__ import annotations

from typing import Any, TypeGuard

from mocks.core.serialization import ascii_int
from mocks.core.store import Row, World

from .domain_resources import MODELS, Model, Relation


def alive(row: Row | None) -> TypeGuard[Row]:  # a Row when True (False: missing or soft-deleted)
    return row is not None and row.get("deleted_at") is None


def index(world: World, table: str, column: str) -> dict[Any, list[Row]]:
    """The rows of `table` by their `column` value, kept until the table changes."""
    collection = world[table]

    def build() -> dict[Any, list[Row]]:
        found: dict[Any, list[Row]] = {}
        for row in collection.values():
            found.setdefault(row.get(column), []).append(row)
        return found

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
        rows = [r for r in index(world, target.table, relation.fk).get(row["id"], []) if alive(r)]
        for column, value in relation.where:
            rows = [r for r in rows if r.get(column) == value]
        return rows
    if relation.kind in ("morph_many", "morph_one"):
        rows = [
            r
            for r in index(world, target.table, "model_id").get(row["id"], [])
            if r["model_type"] == owner.class_name and alive(r)
        ]
        return rows if relation.kind == "morph_many" else (rows[0] if rows else None)
    if relation.kind == "many":
        return [child for _, child in attached(world, relation, row["id"])]
    raise ValueError(relation.kind)


def pivot_rows(world: World, relation: Relation, parent_id: int) -> list[Row]:
    rows = index(world, relation.pivot, relation.parent_key).get(parent_id, [])
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
