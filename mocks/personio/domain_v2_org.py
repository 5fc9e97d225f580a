"""What may happen to the v2 legal entities, org units, cost centers, compensation types and compensations
(specs/personio_v2.yaml; https://developer.personio.de/reference/listlegalentities, getorgunit, listcostcenters,
get_v2-compensations-types, post_v2-compensations): lookups, what the list filters match, and the writes with their
rules. They are the v1 company's records seen through v2 (see wire_v2_org).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import errors as e
from . import wire_v2_org as w
from .domain import as_int
from .domain_v2 import ints, or_404, text, wanted

ORG_UNIT_TYPES = {"department": m.DEPARTMENTS, "team": m.TEAMS}
COST_CENTER_SORTS = {"id", "-id", "name", "-name"}  # "sorting by name and id"; the `-` for descending is INFERRED
TYPE_CATEGORIES = ("RECURRING", "ONE_TIME")  # the categories POST /v2/compensations/types takes
INTERVALS = ("MONTHLY", "QUARTERLY", "HALF-YEARLY", "YEARLY")


# -- legal entities ---------------------------------------------------------------------------------
def legal_entities_matching(world: World, filters: dict[str, str]) -> list[Row]:
    ids = ints(wanted(filters, "id"))
    countries = {c.upper() for c in wanted(filters, "country") or set()} or None
    return [
        r
        for r in w.legal_entity_rows(world)
        if (ids is None or r["id"] in ids) and (countries is None or w.COUNTRY in countries)
    ]


def legal_entity(world: World, entity_id: str) -> Row:
    """The legal entity of a path id, or its documented 404."""
    number = as_int(entity_id)
    row = next((r for r in w.legal_entity_rows(world) if r["id"] == number), None)
    if row is None:
        raise e.v2_requested_resource_not_found()
    return row


# -- org units --------------------------------------------------------------------------------------
def org_unit(world: World, kind: str, unit_id: int) -> Row:
    """The department or team (`kind`), or the 404."""
    return or_404(world[ORG_UNIT_TYPES[kind]].get(unit_id))


# -- cost centers -----------------------------------------------------------------------------------
def cost_centers_matching(world: World, filters: dict[str, str]) -> list[Row]:
    ids = ints(wanted(filters, "id"))
    names = {n.lower() for n in wanted(filters, "name") or set()} or None
    order = filters.get("sort", "id")
    if order not in COST_CENTER_SORTS:
        raise e.v2_bad_request()
    rows = [
        r
        for r in world[m.COST_CENTERS].values()
        if (ids is None or r["id"] in ids) and (names is None or r["name"].lower() in names)
    ]
    key = order.lstrip("-")
    return sorted(rows, key=lambda r: (r[key], r["id"]), reverse=order.startswith("-"))


# -- compensation types -----------------------------------------------------------------------------
def compensation_types(world: World) -> list[Row]:
    return sorted(world[m.COMPENSATION_TYPES].values(), key=lambda r: (r["created_at"], r["id"]))


def create_compensation_type(world: World, data: dict[str, Any], now: float) -> Row:
    """POST /v2/compensations/types: a name and a category; names are unique (INFERRED rule)."""
    name = text(data, "name")
    category = data.get("category")
    if category not in TYPE_CATEGORIES:
        raise e.v2_invalid(400, "`category` must be one of RECURRING, ONE_TIME.")
    if any(r["name"].lower() == (name or "").lower() for r in world[m.COMPENSATION_TYPES].values()):
        raise e.v2_invalid(422, f"A compensation type named '{name}' already exists.")  # INFERRED rule
    with world.transaction():
        types = world[m.COMPENSATION_TYPES]
        return types.insert(
            {
                "id": world.rnd.uuid4(),
                "name": name,
                "category": category,
                "created_at": now,
            }
        )


# -- compensations ----------------------------------------------------------------------------------
def _month_after(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _window(filters: dict[str, str], today: str) -> tuple[str, str]:
    """(start, end) of a compensation list with the documented defaults (the month of the other date, else the
    current month); an end before the start or more than a month after it is a 400."""
    start, end = filters.get("start_date"), filters.get("end_date")
    for value in (start, end):
        if value is not None and not dates.is_date(value):
            raise e.v2_bad_request()
    if start is None:
        start = (end or today)[:8] + "01"
    if end is None:
        first = date.fromisoformat(start).replace(day=1)
        end = dates.add_days(_month_after(first).isoformat(), -1)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first or last > _month_after(first):
        raise e.v2_bad_request()
    return start, end


def compensations_matching(world: World, filters: dict[str, str], today: str) -> list[dict[str, Any]]:
    """The salaries of the employees of the window and the compensations created through v2 that fall in it."""
    start, end = _window(filters, today)
    people = ints(wanted(filters, "person.id"))
    entities = ints(wanted(filters, "legal_entity.id"))
    found = []
    for employee in sorted(world[m.EMPLOYEES].values(), key=lambda r: r["id"]):
        if people is not None and employee["id"] not in people:
            continue
        if entities is not None and w.legal_entity_of(world, employee) not in entities:
            continue
        ended = employee["status"] == "inactive" and (employee["last_working_day"] or "9999") < start
        if not ended and (employee["hire_date"] or "0000") <= end:
            found.extend(w.salary_compensations(world, employee))
    people_ok = {e["id"] for e in world[m.EMPLOYEES].values()}
    for item in sorted(world[m.COMPENSATIONS].values(), key=lambda r: (r["effective_from"], r["id"])):
        if item["person_id"] not in people_ok or (people is not None and item["person_id"] not in people):
            continue
        employee = m.row_of(world, m.EMPLOYEES, item["person_id"])
        if entities is not None and w.legal_entity_of(world, employee) not in entities:
            continue
        one_time = item["interval"] is None
        if (start <= item["effective_from"] <= end) if one_time else item["effective_from"] <= end:
            found.append(item)
    return found


def create_compensation(world: World, data: dict[str, Any]) -> Row:
    """POST /v2/compensations: person and type must exist (422); value, date, interval, currency, comment (400)."""
    person = as_int((data.get("person") or {}).get("id")) if isinstance(data.get("person"), dict) else None
    if person is None or person not in world[m.EMPLOYEES]:
        raise e.v2_unprocessable("The person does not exist.")
    type_id = (data.get("type") or {}).get("id") if isinstance(data.get("type"), dict) else None
    kind = world[m.COMPENSATION_TYPES].get(type_id) if isinstance(type_id, str) else None
    if kind is None:
        raise e.v2_unprocessable("The compensation type does not exist.")
    value = data.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or round(value, 2) != value:
        raise e.v2_invalid(400, "`value` must be a non-negative amount with at most two decimal places.")
    effective_from = data.get("effective_from")
    if not dates.is_date(effective_from):
        raise e.v2_invalid(400, "`effective_from` must be a date (YYYY-MM-DD).")
    interval = data.get("interval")
    if interval is not None and interval not in INTERVALS:
        raise e.v2_invalid(400, "`interval` must be one of MONTHLY, QUARTERLY, HALF-YEARLY, YEARLY.")
    # documented: mandatory for RECURRING (MONTHLY when absent), ignored for ONE_TIME
    interval = None if kind["category"] == "ONE_TIME" else (interval or "MONTHLY")
    currency = data.get("currency") or w.CURRENCY
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise e.v2_invalid(400, "`currency` must be an ISO 4217 code.")
    comment = data.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise e.v2_invalid(400, "`comment` must be a string.")
    with world.transaction():
        items = world[m.COMPENSATIONS]
        return items.insert(
            {
                "id": world.rnd.uuid4(),
                "person_id": person,
                "type_id": kind["id"],
                "value": float(value),
                "currency": currency,
                "interval": interval,
                "effective_from": effective_from,
                "comment": comment,
            }
        )
