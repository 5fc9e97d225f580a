"""v1 employees: list, get, create, update, attributes, absence balance, profile pictures
(personio-personnel-data-api-oa3.yaml; page sizes from
https://developer.personio.de/changelog/pagination-enforcement-v1-employees-api)."""

from __future__ import annotations

import re
from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, raw_response
from mocks.core.store import Row, World

from . import auth, dates, png
from . import domain as m
from . import errors as e
from . import wire_v1 as w
from .auth import principal
from .domain import as_int
from .errors import message
from .seed import days_count, employee_defaults
from .wire_v1 import item_page, ok

MAX_LIMIT = 100  # pagination enforcement of 2025-01-31
ORIGINAL_PICTURE_WIDTH = 512
MAX_PICTURE_WIDTH = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # a form value Laravel's `numeric` rule takes (ASCII digits)
_FORM_NUMBERS = ("weekly_working_hours", "supervisor_id")
_UPDATABLE = (
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


def _whitelist() -> frozenset[str] | None:
    return auth.attribute_whitelist(current().world, principal().get("client_id") or "")


def _employee(world: World, employee_id: int) -> Row:
    row = world[m.EMPLOYEES].get(employee_id)
    if row is None:
        raise e.employee_not_found()
    return row


def _by_id(world: World) -> list[Row]:
    employees = world[m.EMPLOYEES]
    return employees.derived("by_id", lambda: sorted(employees.values(), key=lambda r: r["id"]))


async def list_employees(
    limit: int = 50,
    offset: int = 0,
    email: str | None = None,
    attributes: list[str] | None = None,
    updated_since: str | None = None,
):
    world = current().world
    whitelist = _whitelist()
    requested = frozenset(a for a in attributes if a) if attributes else None
    keys = whitelist if requested is None else (requested if whitelist is None else requested & whitelist)
    base = w.api_base()
    if updated_since is not None:
        since = dates.parse_filter_instant(updated_since)
        if since is None:
            raise e.given_data_invalid({"updated_since": [message("date", "updated_since")]})
        rows = [
            r
            for r in _by_id(world)
            if r["updated_at"] > since and (requested is None or any(m.last_change(r, a) > since for a in requested))
        ]
        data = [w.projected(r, base, keys) for r in rows]
        # every match in one answer, described as the official examples do: limit 1, one page per employee
        metadata = {"total_elements": len(rows), "current_page": 0, "total_pages": len(rows)}
        return json_response(w.listing(data, metadata, offset=0, limit=1))
    limit = min(limit, MAX_LIMIT)
    rows = _by_id(world)
    if email is not None:
        rows = [r for r in rows if r["email"].lower() == email.strip().lower()]
    items, metadata = item_page(rows, offset, limit)
    return json_response(w.listing([w.projected(r, base, keys) for r in items], metadata, offset=offset, limit=limit))


async def get_employee(employee_id: int):
    row = _employee(current().world, employee_id)
    return ok(w.projected(row, w.api_base(), _whitelist()))


# -- writes ----------------------------------------------------------------------------------------
def _fields(body: Any) -> dict[str, Any]:
    """The `employee` object of a JSON body, or the `employee[...]` fields of a form."""
    if not isinstance(body, dict):
        return {}
    if isinstance(body.get("employee"), dict):
        return dict(body["employee"])
    fields: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for key, value in body.items():
        found = re.fullmatch(r"employee\[([a-z_]+)\](?:\[([A-Za-z0-9_]+)\])?", key)
        if not found:
            continue
        if found.group(1) == "custom_attributes" and found.group(2):
            custom[found.group(2)] = value
        else:
            fields[found.group(1)] = value
    if custom:
        fields["custom_attributes"] = custom
    for name in _FORM_NUMBERS:
        if name in fields:
            fields[name] = _form_number(fields[name])
    return fields


def _form_number(value: Any) -> Any:
    """A numeric form value as a number; an empty one is null (Laravel's ConvertEmptyStringsToNull); anything
    else stays as sent, for the checks to refuse."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if _DECIMAL.fullmatch(text):
        number = float(text) if "." in text else as_int(text)
        return value if number is None else number
    return value


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


async def create_employee(body: Any):
    ctx = current()
    world = ctx.world
    fields = _fields(body)
    _check(world, fields, creating=True)
    meta: list[str] = []
    changes = _changes(world, fields, meta)
    now = ctx.clock.time()
    hire_date = changes.get("hire_date")
    status = changes.pop("status", None) or m.derive_status(hire_date, dates.today(now))
    with world.transaction():
        employees = world[m.EMPLOYEES]
        row = m.new_employee(
            **{k: v for k, v in changes.items() if k != "custom"},
            id=employees.next_id(),
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
        employees.insert(employee_defaults(world, row))
    extra: dict[str, Any] = {"meta": meta} if meta else {}
    return ok({"id": row["id"], "message": "success"}, **extra)


async def update_employee(employee_id: int, body: Any):
    ctx = current()
    world = ctx.world
    row = _employee(world, employee_id)
    fields = {k: v for k, v in _fields(body).items() if k in _UPDATABLE}  # email and the rest are ignored
    _check(world, fields, creating=False, employee_id=employee_id)
    meta: list[str] = []
    changes = _changes(world, fields, meta)
    now = ctx.clock.time()
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
    return json_response({"success": True, "data": {"id": employee_id}, "meta": meta})


# -- attributes, balance, pictures -----------------------------------------------------------------
def _attribute_list():
    world = current().world
    whitelist = _whitelist()
    data = []
    for key, label, kind in w.STANDARD_ATTRIBUTES:
        if key != "id" and (whitelist is None or key in whitelist):
            data.append({"key": key, "label": label, "type": kind, "universal_id": key, "options": []})
    for definition in world[m.CUSTOM_ATTRIBUTES].values():
        if whitelist is None or definition["id"] in whitelist:
            data.append(
                {
                    "key": definition["id"],
                    "label": definition["label"],
                    "type": definition["type"],
                    "universal_id": definition["global_id"],
                    "options": list(definition["options"]),
                }
            )
    return ok(data)


async def list_employee_attributes():
    return _attribute_list()


async def list_employee_custom_attributes():
    return _attribute_list()


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


async def get_employee_absence_balance(employee_id: int):
    ctx = current()
    world = ctx.world
    row = _employee(world, employee_id)
    today = dates.today(ctx.clock.time())
    year = today[:4]
    periods = [p for p in world[m.TIME_OFFS].values() if p["employee_id"] == employee_id]
    data = []
    for type_id, entitlement in row["absence_entitlement"]:
        kind = world[m.TIME_OFF_TYPES].get(type_id)
        if kind is None:
            continue
        mine = [p for p in periods if p["time_off_type_id"] == type_id]
        taken = sum(_counted_days(p, year, today) for p in mine if p["status"] == "approved")
        planned = sum(_counted_days(p, year, None) for p in mine if p["status"] in ("approved", "pending"))
        data.append(
            {
                "id": type_id,
                "name": kind["name"],
                "category": kind["category"],
                "balance": w.whole(entitlement - taken),
                "available_balance": w.whole(entitlement - planned),
            }
        )
    return ok(data)


def _picture(employee_id: int, width: int):
    world = current().world
    row = world[m.EMPLOYEES].get(employee_id)
    whitelist = _whitelist()
    if (
        row is None
        or not row["has_picture"]
        or width < 1
        or (whitelist is not None and "profile_picture" not in whitelist)
    ):
        raise e.picture_not_found()
    return raw_response(png.avatar(min(width, MAX_PICTURE_WIDTH), employee_id), media_type="image/png")


async def get_employee_profile_picture(employee_id: int, width: int):
    return _picture(employee_id, width)


async def get_employee_profile_picture_original(employee_id: int):
    return _picture(employee_id, ORIGINAL_PICTURE_WIDTH)
