"""Orion's listing machinery over a world's rows: soft-delete switches and the search body (scopes, filters
with every operator and one level of nesting, keyword search, sort) with Orion's validation. Laravel's
paginator (`page`, `limit`) is wire.py's.

Comparisons follow MySQL as PERSCOM runs it (INFERRED where Orion's docs are silent): strings compare
case-insensitively (utf8mb4_unicode_ci), numbers and dates by value, NULL never matches a comparison,
`=`/`!=` with a null value become IS NULL / IS NOT NULL (Laravel's query builder).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from mocks.core.store import Row, World

from . import errors as e
from .domain_resources import MODELS, Model
from .laravel import _MISSING, data_get, is_numeric, parse_date, validate_fields

OPERATORS = (
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "!=",
    "like",
    "not like",
    "ilike",
    "not ilike",
    "in",
    "not in",
    "all in",
    "any in",
)
MAX_NESTED_DEPTH = 1
_FIELD = r"regex:/^[\w.\_\-\>]+$/"


# -- query parameters -------------------------------------------------------------------------------------
def flag(value: Any) -> bool:
    """PHP's FILTER_VALIDATE_BOOLEAN."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "on", "yes") if value is not None else False


def trashed_mode(params: dict[str, Any]) -> str:
    if flag(params.get("only_trashed")):
        return "only"
    if flag(params.get("with_trashed")):
        return "with"
    return "without"


def apply_trashed(model: Model, rows: list[Row], mode: str) -> list[Row]:
    if not model.soft_deletes or mode == "with":
        return rows
    if mode == "only":
        return [r for r in rows if r.get("deleted_at") is not None]
    return [r for r in rows if r.get("deleted_at") is None]


# -- search body ------------------------------------------------------------------------------------------
def _array_depth(value: Any) -> int:
    """PHP getArrayDepth() of the filters (objects and lists are both arrays)."""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    depth = 0
    for item in items:
        if isinstance(item, (dict, list)):
            depth = max(depth, _array_depth(item) + 1)
    return depth


def _raise_if(failures: list[tuple[str, str]]) -> None:
    if failures:
        raise e.validation([message for _, message in failures], failures)


def validate_search(model: Model, body: dict[str, Any], world: World) -> None:
    """Orion's ParamsValidator, group by group (each group fails on its own)."""
    _raise_if(
        validate_fields(
            body,
            {
                "scopes": "sometimes|array",
                "scopes.*.name": "required_with:scopes|in:",
                "scopes.*.parameters": "sometimes|array",
            },
            world,
        )
    )
    filters = body.get("filters", [])
    depth = math.floor(_array_depth(filters) / 2) if isinstance(filters, (list, dict)) else 0
    if depth > MAX_NESTED_DEPTH:
        raise e.error(422, f"Max nested depth {MAX_NESTED_DEPTH} is exceeded", "HttpException")
    whitelist = "whitelist:" + ",".join(model.filterable())
    rules = {"filters": "sometimes|array"}
    prefix = "filters"
    for _ in range(depth + 1):
        rules.update(
            {
                f"{prefix}.*.type": "sometimes|in:and,or",
                f"{prefix}.*.field": f"required_without:{prefix}.*.nested|{_FIELD}|{whitelist}",
                f"{prefix}.*.operator": "sometimes|in:" + ",".join(OPERATORS),
                f"{prefix}.*.value": "nullable",
                f"{prefix}.*.nested": "sometimes|array",
            }
        )
        prefix += ".*.nested"
    _raise_if(validate_fields(body, rules, world))
    _raise_if(
        validate_fields(
            body,
            {
                "sort": "sometimes|array",
                "sort.*.field": f"required_with:sort|{_FIELD}|{whitelist}",
                "sort.*.direction": "sometimes|in:asc,desc",
            },
            world,
        )
    )
    _raise_if(
        validate_fields(
            body,
            {"search": "sometimes|array", "search.value": "nullable|string", "search.case_sensitive": "boolean"},
            world,
        )
    )


def search(world: World, model: Model, rows: list[Row], body: dict[str, Any]) -> list[Row]:
    """Filters → keyword search → sort, as Orion applies them."""
    validate_search(model, body, world)
    filters = body.get("filters")
    if isinstance(filters, dict):
        filters = list(filters.values())
    if filters:
        predicate = _filters(world, model, filters)
        rows = [r for r in rows if predicate(r)]
    term = data_get(body, "search.value")
    if isinstance(term, str) and term != "":
        sensitive = data_get(body, "search.case_sensitive")
        insensitive = sensitive is not _MISSING and sensitive in (False, 0, "0")
        rows = [r for r in rows if _matches_search(model, r, term, insensitive)]
    sort = body.get("sort")
    if isinstance(sort, dict):
        sort = list(sort.values())
    if sort:
        rows = sort_rows(world, model, rows, sort)
    return rows


def _filters(world: World, model: Model, filters: list[Any]) -> Callable[[Row], bool]:
    """SQL precedence over where()/orWhere() chains: AND binds tighter than OR."""
    groups: list[list[Callable[[Row], bool]]] = []
    for index, item in enumerate(filters):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("nested"), (list, dict)) and item.get("field") is None:
            nested = item["nested"]
            predicate = _filters(world, model, list(nested.values()) if isinstance(nested, dict) else nested)
        else:
            predicate = _condition(world, model, str(item.get("field")), item.get("operator") or "=", item.get("value"))
        if not groups or (item.get("type") == "or" and index > 0):
            groups.append([predicate])
        else:
            groups[-1].append(predicate)
    return lambda row: any(all(p(row) for p in group) for group in groups)


def _condition(world: World, model: Model, field: str, operator: str, value: Any) -> Callable[[Row], bool]:
    if "." in field:  # relation.column: whereHas on a belongsTo relation
        name, related_field = field.split(".", 1)
        relation = model.relations.get(name)
        if relation is None or relation.kind != "belongs_to":
            return lambda row: False
        target = MODELS[relation.target]
        inner = _condition(world, target, related_field, operator, value)
        table = world[target.table]

        def through(row: Row) -> bool:
            other = table.get(row.get(relation.fk))
            return other is not None and other.get("deleted_at") is None and inner(other)

        return through
    column = model.column_map.get(field)
    kind = column.kind if column is not None else "str"
    if column is None or column.hidden:
        return lambda row: False
    if operator in ("=", "!=") and value is None:
        return (lambda row: row.get(field) is None) if operator == "=" else (lambda row: row.get(field) is not None)
    if operator in ("like", "not like", "ilike", "not ilike"):
        pattern = _like(_text(value))
        negate = operator.startswith("not")
        return lambda row: (
            row.get(field) is not None and bool(pattern.match(_cell_text(kind, row.get(field)))) != negate
        )
    if operator in ("in", "not in"):
        wanted = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        negate = operator == "not in"
        return lambda row: (
            row.get(field) is not None
            and any(_compare(kind, row.get(field), v) == 0 for v in wanted if v is not None) != negate
        )
    if operator in ("all in", "any in"):
        # whereJsonContains per value, AND-ed (all in) or OR-ed (any in) in a nested where; an empty list
        # leaves that nested where empty, which Laravel drops: no constraint at all.
        wanted = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        if not wanted:
            return lambda row: True
        test = all if operator == "all in" else any

        def contains(row: Row) -> bool:
            cell = row.get(field)
            return kind == "json" and isinstance(cell, list) and test(v in cell for v in wanted)

        return contains
    if value is None or isinstance(value, (list, dict)):
        return lambda row: False
    test = {
        "=": lambda c: c == 0,
        "!=": lambda c: c != 0,
        "<": lambda c: c < 0,
        "<=": lambda c: c <= 0,
        ">": lambda c: c > 0,
        ">=": lambda c: c >= 0,
    }[operator]
    return lambda row: row.get(field) is not None and test(_compare(kind, row.get(field), value))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def _cell_text(kind: str, cell: Any) -> str:
    """A column value as MySQL renders it in a string context."""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if kind == "datetime" and isinstance(cell, str):
        return cell[:19].replace("T", " ")
    if isinstance(cell, (list, dict)):
        return orjson.dumps(cell).decode()
    return str(cell)


def _like(pattern: str) -> re.Pattern:
    out = []
    escaped = False
    for char in pattern:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("^" + "".join(out) + "$", re.IGNORECASE | re.DOTALL)


def _number(value: Any) -> float:
    """MySQL's cast of a value to a number (non-numeric strings read as their numeric prefix, else 0)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # beyond a double: MySQL's DOUBLE overflows the same way
            return math.inf if value > 0 else -math.inf
    if isinstance(value, float):
        return value
    text = str(value).strip()
    if is_numeric(text):
        return float(text)
    match = re.match(r"^[+-]?\d+(\.\d+)?", text)
    return float(match.group(0)) if match else 0.0


def _compare(kind: str, cell: Any, value: Any) -> int:
    """-1/0/1 comparing a stored value with a filter value, MySQL style."""
    left: Any  # numbers, datetimes or strings: each branch compares two of one kind
    right: Any
    if kind in ("id", "int", "bool", "float"):
        left, right = _number(cell), _number(value)
    elif kind == "datetime":
        parsed = parse_date(value) if isinstance(value, str) else None
        stored = datetime.strptime(cell[:19], "%Y-%m-%dT%H:%M:%S")
        if parsed is None:
            left, right = _cell_text(kind, cell), _text(value)
        else:
            left, right = stored, parsed
    else:
        left, right = _cell_text(kind, cell).casefold(), _text(value).casefold()
    return (left > right) - (left < right)


def _matches_search(model: Model, row: Row, term: str, insensitive: bool) -> bool:
    columns = model.column_map
    for field in model.searchable():
        cell = row.get(field)
        if cell is None:
            continue
        text = _cell_text(columns[field].kind, cell)
        if (term.casefold() in text.casefold()) if insensitive else (term in text):
            return True
    return False


def sort_rows(world: World, model: Model, rows: list[Row], sort: list[Any]) -> list[Row]:
    """ORDER BY each descriptor in turn (NULLs first ascending, last descending, as MySQL does)."""
    ordered = list(rows)
    for item in reversed([s for s in sort if isinstance(s, dict) and isinstance(s.get("field"), str)]):
        field, descending = item["field"], str(item.get("direction", "asc")).lower() == "desc"
        key = _sort_key(world, model, field)
        ordered.sort(key=key, reverse=descending)
    return ordered


def _sort_key(world: World, model: Model, field: str) -> Callable[[Row], Any]:
    if "." in field:
        name, related_field = field.split(".", 1)
        relation = model.relations.get(name)
        if relation is None or relation.kind != "belongs_to":
            return lambda row: (0, 0)
        target = MODELS[relation.target]
        table = world[target.table]
        inner = _sort_key(world, target, related_field)

        def through(row: Row) -> Any:
            other = table.get(row.get(relation.fk))
            return inner(other) if other else (0, 0)

        return through
    column = model.column_map.get(field)
    kind = column.kind if column else "str"

    def key(row: Row) -> Any:
        cell = row.get(field) if row else None
        if cell is None:
            return (0, 0)
        if kind in ("id", "int", "bool", "float"):
            return (1, _number(cell))
        return (1, _cell_text(kind, cell).casefold())

    return key
