"""v1 employees: lookups and listings, the rules of create and update (Laravel-style checks, messages INFERRED,
and the documented supervisor rule), the row changes a payload makes, absence balances and who may see a
profile picture (personio-personnel-data-api-oa3.yaml; page sizes from
https://developer.personio.de/changelog/pagination-enforcement-v1-employees-api)."""

from __future__ import annotations

import re
from typing import Any

from mocks.core.store import Row, World

from . import auth, dates
from . import domain as m
from . import errors as e
from .domain import as_int
from .errors import message
from .seed import days_count, employee_defaults

MAX_LIMIT = 100  # pagination enforcement of 2025-01-31
ORIGINAL_PICTURE_WIDTH = 512
MAX_PICTURE_WIDTH = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UPDATABLE = (
    "first_name",
    "last_name",
    "preferred_name",
    "gender",
    "position",
    "subcompany",
    "department",
    "office",
    "hire_date",
    "weekly_working_hours",
    "status",
    "supervisor_id",
    "custom_attributes",
)


# -- reading ---------------------------------------------------------------------------------------
def whitelist(world: World, client_id: str) -> frozenset[str] | None:
    """The attributes the credential may read (None: all)."""
    return auth.attribute_whitelist(world, client_id)


def projection(whitelist: frozenset[str] | None, attributes: list[str] | None) -> frozenset[str] | None:
    """The attributes a listing shows: those asked for (`attributes[]`) that the credential may read."""
    requested = requested_attributes(attributes)
    return whitelist if requested is None else (requested if whitelist is None else requested & whitelist)


def requested_attributes(attributes: list[str] | None) -> frozenset[str] | None:
    return frozenset(a for a in attributes if a) if attributes else None


def employee_of(world: World, employee_id: int) -> Row:
    row = world[m.EMPLOYEES].get(employee_id)
    if row is None:
        raise e.employee_not_found()
    return row


def _by_id(world: World) -> list[Row]:
    employees = world[m.EMPLOYEES]
    return employees.derived("by_id", lambda: sorted(employees.values(), key=lambda r: r["id"]))


def employees(world: World, email: str | None) -> list[Row]:
    """Every employee by id, or those with the email (case-insensitive)."""
    rows = _by_id(world)
    if email is not None:
        rows = [r for r in rows if r["email"].lower() == email.strip().lower()]
    return rows


def page_limit(limit: int) -> int:
    return min(limit, MAX_LIMIT)


def changed_since(world: World, updated_since: str, attributes: list[str] | None) -> list[Row]:
    """The employees changed after the instant (only in the requested attributes, when some are named);
    an unreadable instant is the documented 400."""
    since = dates.parse_filter_instant(updated_since)
    if since is None:
        raise e.given_data_invalid({"updated_since": [message("date", "updated_since")]})
    requested = requested_attributes(attributes)
    return [
        r
        for r in _by_id(world)
        if r["updated_at"] > since and (requested is None or any(m.last_change(r, a) > since for a in requested))
    ]


def custom_attributes(world: World) -> list[Row]:
    return list(world[m.CUSTOM_ATTRIBUTES].values())


# -- writes ----------------------------------------------------------------------------------------
def _check(world: World, fields: dict[str, Any], *, creating: bool, employee_id: int | None = None) -> None:
    """Laravel-style rules (messages INFERRED) and the documented supervisor rule; raises the first failure."""

    def fail(rule: str, name: str, expected: Any = None):
        raise e.employee_unprocessable(message(rule, f"employee.{name}", expected))

    if creating:
        for name in ("email", "first_name", "last_name"):
            value = fields.get(name)
            if not isinstance(value, str) or not value.strip():
                fail("required", name)
        if not _EMAIL.match(fields["email"].strip()):
            fail("email", "email")
        if any(r["email"].lower() == fields["email"].strip().lower() for r in world[m.EMPLOYEES].values()):
            fail("unique", "email")
    for name in ("first_name", "last_name", "preferred_name", "position"):
        if name in fields and fields[name] is not None and not isinstance(fields[name], str):
            fail("string", name)
    if fields.get("gender") is not None and fields["gender"] not in m.GENDERS:
        fail("enum", "gender")
    if fields.get("status") is not None and fields["status"] not in m.EMPLOYEE_STATUSES:
        fail("enum", "status")
    if fields.get("hire_date") is not None and not dates.is_date(fields["hire_date"]):
        fail("date", "hire_date")
    hours = fields.get("weekly_working_hours")
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 <= hours <= 168):
        fail("number", "weekly_working_hours")
    if "supervisor_id" in fields and fields["supervisor_id"] is not None:
        supervisor = fields["supervisor_id"]
        number = as_int(supervisor) if isinstance(supervisor, (int, float)) else None
        if number is None or number not in world[m.EMPLOYEES] or number == employee_id:
            raise e.supervisor_not_found(supervisor)


def _changes(world: World, fields: dict[str, Any], meta: list[str]) -> dict[str, Any]:
    """Row changes for the given fields; unknown org units and attributes are ignored and reported in `meta`."""
    changes: dict[str, Any] = {}
    for name in ("first_name", "last_name", "preferred_name", "gender", "position", "status", "hire_date"):
        if fields.get(name) is not None:
            changes[name] = fields[name].strip() if isinstance(fields[name], str) else fields[name]
    if fields.get("weekly_working_hours") is not None:
        hours = fields["weekly_working_hours"]
        changes["weekly_working_hours"] = int(hours) if float(hours).is_integer() else hours
        changes["work_schedule_id"] = m.working_schedule_for(world, hours)
    if "supervisor_id" in fields:
        changes["supervisor_id"] = None if fields["supervisor_id"] is None else int(fields["supervisor_id"])
    for name, collection in (("subcompany", m.SUBCOMPANIES), ("department", m.DEPARTMENTS), ("office", m.OFFICES)):
        if fields.get(name) is None:
            continue
        unit = m.by_name(world, collection, fields[name])
        if unit is None:
            meta.append(f"The {name} '{fields[name]}' does not exist and was ignored.")
            continue
        changes[f"{name}_id"] = unit["id"]
        if name == "office":
            changes["holiday_calendar_id"] = unit["holiday_calendar"]
    custom = fields.get("custom_attributes")
    if isinstance(custom, dict):
        known = world[m.CUSTOM_ATTRIBUTES]
        values = {}
        for key, value in custom.items():
            if key not in known:
                meta.append(f"The attribute '{key}' does not exist and was ignored.")
            else:
                values[key] = value
        if values:
            changes["custom"] = values
    return changes


def create_employee(world: World, fields: dict[str, Any], now: float) -> tuple[Row, list[str]]:
    """The new employee and the notes on what was ignored (unknown org units and attributes)."""
    _check(world, fields, creating=True)
    meta: list[str] = []
    changes = _changes(world, fields, meta)
    hire_date = changes.get("hire_date")
    status = changes.pop("status", None) or m.derive_status(hire_date, dates.today(now))
    with world.transaction():
        table = world[m.EMPLOYEES]
        row = m.new_employee(
            **{k: v for k, v in changes.items() if k != "custom"},
            id=table.next_id(),
            email=fields["email"].strip(),
            status=status,
            custom=changes.get("custom", {}),
            created_at=now,
            updated_at=now,
            employment_id=world.rnd.uuid4(),
            job_id=world.rnd.uuid4(),
            employment_created_at=now,
            employment_updated_at=now,
        )
        if row["hire_date"]:
            row["probation_period_end"] = dates.add_days(row["hire_date"], 182)
        table.insert(employee_defaults(world, row))
    return row, meta


def update_employee(world: World, employee_id: int, fields: dict[str, Any], now: float) -> list[str]:
    """The employee changed by the updatable fields (email and the rest are ignored); the notes on what was
    ignored. Changed attributes are stamped for `updated_since` + `attributes[]`."""
    row = employee_of(world, employee_id)
    fields = {k: v for k, v in fields.items() if k in UPDATABLE}
    _check(world, fields, creating=False, employee_id=employee_id)
    meta: list[str] = []
    changes = _changes(world, fields, meta)
    if "custom" in changes:
        changes["custom"] = {**row["custom"], **changes["custom"]}
    changed_names = [k for k in changes if k not in ("work_schedule_id", "holiday_calendar_id")]
    attribute_names = [k.removesuffix("_id") if k.endswith("_id") else k for k in changed_names if k != "custom"]
    attribute_names += list(fields.get("custom_attributes", {}) or {}) if "custom" in changes else []
    with world.transaction():
        world[m.EMPLOYEES].update(
            employee_id,
            {
                **changes,
                "updated_at": now,
                "employment_updated_at": now,
                "changes": m.changed(row, attribute_names, now),
            },
        )
    return meta


# -- balance, pictures -----------------------------------------------------------------------------
def _counted_days(period: Row, year: str, until: str | None) -> float:
    """Working days of a time-off within a calendar year (and up to `until`), halves counted."""
    start, end = max(period["start_date"], f"{year}-01-01"), min(period["end_date"], f"{year}-12-31")
    if until is not None:
        end = min(end, until)
    if start > end:
        return 0.0
    return days_count(
        start,
        end,
        period["half_day_start"] and start == period["start_date"],
        period["half_day_end"] and end == period["end_date"],
    )


def absence_balances(world: World, employee_id: int, today: str) -> list[tuple[Row, float, float]]:
    """(time-off type, balance, available balance) per entitlement of the employee this calendar year: approved
    days up to today are taken, approved and pending ones of the whole year are planned."""
    row = employee_of(world, employee_id)
    year = today[:4]
    periods = [p for p in world[m.TIME_OFFS].values() if p["employee_id"] == employee_id]
    found = []
    for type_id, entitlement in row["absence_entitlement"]:
        kind = world[m.TIME_OFF_TYPES].get(type_id)
        if kind is None:
            continue
        mine = [p for p in periods if p["time_off_type_id"] == type_id]
        taken = sum(_counted_days(p, year, today) for p in mine if p["status"] == "approved")
        planned = sum(_counted_days(p, year, None) for p in mine if p["status"] in ("approved", "pending"))
        found.append((kind, entitlement - taken, entitlement - planned))
    return found


def picture_width(world: World, employee_id: int, width: int, whitelist: frozenset[str] | None) -> int:
    """The width to draw an employee's picture at; 404 without a picture, a positive width, or the right to see
    it."""
    row = world[m.EMPLOYEES].get(employee_id)
    if (
        row is None
        or not row["has_picture"]
        or width < 1
        or (whitelist is not None and "profile_picture" not in whitelist)
    ):
        raise e.picture_not_found()
    return min(width, MAX_PICTURE_WIDTH)
