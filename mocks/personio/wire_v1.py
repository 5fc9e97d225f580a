"""How v1 Personnel Data resources look on the wire (the examples of personio-personnel-data-api-oa3.yaml).

Employees are attribute objects keyed by field name: `{"label", "value", "type", "universal_id"}`, with related
records nested in `value` as `{"type": "Office", "attributes": {...}}`. A full employee is rendered once per row
version (`row_memo`) and embedded pre-serialized in listings; projections (`attributes[]`, the credential's
whitelist) filter that full object.
"""

from __future__ import annotations

import math
from typing import Any

from mocks.core.context import current
from mocks.core.pagination import offset_page
from mocks.core.responses import json_response
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

from . import dates
from . import domain as m

CURRENCY = "EUR"
# (key, label, type) of the standard attributes, in the order of the official example
STANDARD_ATTRIBUTES: list[tuple[str, str, str]] = [
    ("id", "ID", "integer"),
    ("first_name", "First name", "standard"),
    ("last_name", "Last name", "standard"),
    ("preferred_name", "Name (preferred)", "standard"),
    ("email", "Email", "standard"),
    ("gender", "Gender", "standard"),
    ("status", "Status", "standard"),
    ("position", "Position", "standard"),
    ("supervisor", "Supervisor", "standard"),
    ("employment_type", "Employment type", "standard"),
    ("weekly_working_hours", "Weekly hours", "standard"),
    ("hire_date", "Hire date", "date"),
    ("contract_end_date", "Contract ends", "date"),
    ("termination_date", "Termination date", "date"),
    ("termination_type", "Termination type", "standard"),
    ("termination_reason", "Termination reason", "standard"),
    ("probation_period_end", "Probation period end", "date"),
    ("created_at", "created_at", "date"),
    ("last_modified_at", "Last modified", "date"),
    ("subcompany", "Subcompany", "standard"),
    ("office", "Office", "standard"),
    ("department", "Department", "standard"),
    ("cost_centers", "Cost center", "standard"),
    ("holiday_calendar", "Public holidays", "standard"),
    ("absence_entitlement", "Absence entitlement", "standard"),
    ("work_schedule", "Work schedule", "standard"),
    ("fix_salary", "Fix salary", "decimal"),
    ("fix_salary_interval", "Salary interval", "standard"),
    ("hourly_salary", "Hourly salary", "decimal"),
    ("last_working_day", "Last day of work", "date"),
    ("profile_picture", "Profile Picture", "standard"),
    ("team", "Team", "standard"),
]
STANDARD_KEYS = [key for key, _, _ in STANDARD_ATTRIBUTES]
_LABELS = {key: (label, kind) for key, label, kind in STANDARD_ATTRIBUTES}


def attribute(key: str, value: Any, **extra: Any) -> dict[str, Any]:
    label, kind = _LABELS[key]
    return {"label": label, "value": value, "type": kind, "universal_id": key, **extra}


def _entity(kind: str, row: Row | None, *fields: str) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"type": kind, "attributes": {"id": row["id"], "name": row["name"], **{f: row[f] for f in fields}}}


def hours_text(hours: float) -> str:
    """Weekly hours are a string on the wire: '40', '32.5'."""
    return f"{hours:g}"


def employee_attributes(world: World, row: Row, base_url: str) -> dict[str, Any]:
    """Every attribute of an employee (before whitelisting and projection)."""
    get = lambda name, key: world[name].get(key) if key is not None else None  # noqa: E731
    schedule = get(m.WORK_SCHEDULES, row["work_schedule_id"])
    types = world[m.TIME_OFF_TYPES]
    values: dict[str, Any] = {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "preferred_name": row["preferred_name"] or m.employee_name(row),
        "email": row["email"],
        "gender": row["gender"],
        "status": row["status"],
        "position": row["position"],
        "supervisor": None
        if row["supervisor_id"] is None
        else {"type": "Employee", "attributes": {"id": attribute("id", row["supervisor_id"])}},
        "employment_type": row["employment_type"],
        "weekly_working_hours": hours_text(row["weekly_working_hours"]),
        "hire_date": dates.v1_date(row["hire_date"]),
        "contract_end_date": dates.v1_date(row["contract_end_date"]),
        "termination_date": dates.v1_date(row["termination_date"]),
        "termination_type": m.TERMINATION_TYPES.get(row["termination_type"]) if row["termination_type"] else None,
        "termination_reason": row["termination_reason"],
        "probation_period_end": dates.v1_date(row["probation_period_end"]),
        "created_at": dates.v1_datetime(row["created_at"]),
        "last_modified_at": dates.v1_datetime(row["updated_at"]),
        "subcompany": _entity("Subcompany", get(m.SUBCOMPANIES, row["subcompany_id"])),
        "office": _entity("Office", get(m.OFFICES, row["office_id"])),
        "department": _entity("Department", get(m.DEPARTMENTS, row["department_id"])),
        "cost_centers": [
            {
                "type": "CostCenter",
                "attributes": {"id": c, "name": m.row_of(world, m.COST_CENTERS, c)["name"], "percentage": pct},
            }
            for c, pct in row["cost_centers"]
            if c in world[m.COST_CENTERS]
        ],
        "holiday_calendar": _entity(
            "HolidayCalendar", get(m.HOLIDAY_CALENDARS, row["holiday_calendar_id"]), "country", "state"
        ),
        "absence_entitlement": [
            {
                "type": "TimeOffType",
                "attributes": {
                    "id": t,
                    "name": m.row_of(world, m.TIME_OFF_TYPES, t)["name"],
                    "category": m.row_of(world, m.TIME_OFF_TYPES, t)["category"],
                    "entitlement": days,
                },
            }
            for t, days in row["absence_entitlement"]
            if t in types
        ],
        "work_schedule": None
        if schedule is None
        else {
            "type": "WorkSchedule",
            "attributes": {"id": schedule["id"], "name": schedule["name"], "valid_from": None, **schedule["days"]},
        },
        "fix_salary": row["fix_salary"],
        "fix_salary_interval": row["fix_salary_interval"],
        "hourly_salary": row["hourly_salary"],
        "last_working_day": dates.v1_date(row["last_working_day"]),
        "profile_picture": f"{base_url}/v1/company/employees/{row['id']}/profile-picture"
        if row["has_picture"]
        else None,
        "team": _entity("Team", get(m.TEAMS, row["team_id"])),
    }
    attributes = {}
    for key in STANDARD_KEYS:
        extra = {"currency": CURRENCY} if key in ("fix_salary", "hourly_salary") else {}
        attributes[key] = attribute(key, values[key], **extra)
    for definition in world[m.CUSTOM_ATTRIBUTES].values():
        attributes[definition["id"]] = {
            "label": definition["label"],
            "value": row["custom"].get(definition["id"]),
            "universal_id": definition["global_id"],
            "type": definition["type"],
        }
    return attributes


@row_memo
def employee_resource(row: Row, base_url: str) -> dict[str, Any]:
    """The whole employee, once per row version and API base URL (shared: never mutate)."""
    return {"type": "Employee", "attributes": employee_attributes(current().world, row, base_url)}


@row_memo
def employee_fragment(row: Row, base_url: str):
    return fragment(employee_resource(row, base_url))


def projected(row: Row, base_url: str, keys: frozenset[str] | None):
    """The employee limited to `keys` (None: every attribute); `id` is always there."""
    if keys is None:
        return employee_fragment(row, base_url)
    full = employee_resource(row, base_url)["attributes"]
    return {"type": "Employee", "attributes": {k: v for k, v in full.items() if k == "id" or k in keys}}


def api_base(ctx=None) -> str:
    """The v1 base URL as the client reached it, without /v1 (profile picture links end in /v1/...)."""
    ctx = ctx or current()
    return ctx.url("/personio")


def short_employee(row: Row | None, employee_id: int, *, id_label: str = "id") -> dict[str, Any]:
    """The employee inside time-offs, absence periods (id label "id") and documents (id label "ID")."""
    if row is None:
        row = {"first_name": None, "last_name": None, "email": None}
    return {
        "type": "Employee",
        "attributes": {
            "id": {"label": id_label, "value": employee_id, "type": "integer", "universal_id": "id"},
            "first_name": attribute("first_name", row["first_name"]),
            "last_name": attribute("last_name", row["last_name"]),
            "email": attribute("email", row["email"]),
        },
    }


# -- absences --------------------------------------------------------------------------------------
def whole(number: float) -> float | int:
    """A day count as the official examples write it: `3`, `10.5` (never `3.0`)."""
    return int(number) if isinstance(number, float) and number.is_integer() else number


def time_off_type(row: Row) -> dict[str, Any]:
    return {
        "type": "TimeOffType",
        "attributes": {
            "id": row["id"],
            "id_v2": row["id_v2"],
            "name": row["name"],
            "category": row["category"],
            "unit": row["unit"],
            "approval_required": row["approval_required"],
        },
    }


def time_off_period(world: World, row: Row) -> dict[str, Any]:
    kind = m.row_of(world, m.TIME_OFF_TYPES, row["time_off_type_id"])
    return {
        "type": "TimeOffPeriod",
        "attributes": {
            "id": row["id"],
            "id_v2": row["id_v2"],
            "status": row["status"],
            "start_date": dates.compact_date(row["start_date"]),
            "end_date": dates.compact_date(row["end_date"]),
            "days_count": whole(row["days_count"]),
            "half_day_start": row["half_day_start"],
            "half_day_end": row["half_day_end"],
            "time_off_type": {
                "type": "TimeOffType",
                "attributes": {"id": kind["id"], "name": kind["name"], "category": kind["category"]},
            },
            "employee": short_employee(world[m.EMPLOYEES].get(row["employee_id"]), row["employee_id"]),
            "certificate": {"status": row["certificate_status"]},
            "created_at": dates.compact_datetime(row["created_at"]),
            "created_by": row["created_by"],
            "updated_at": dates.compact_datetime(row["updated_at"]),
        },
    }


def absence_period(world: World, row: Row) -> dict[str, Any]:
    kind = m.row_of(world, m.TIME_OFF_TYPES, row["time_off_type_id"])
    return {
        "type": "AbsencePeriod",
        "attributes": {
            "id": row["id"],
            "measurement_unit": "hour",
            "effective_duration": row["effective_duration"],
            "employee": short_employee(world[m.EMPLOYEES].get(row["employee_id"]), row["employee_id"]),
            "absence_type": {
                "type": "AbsenceType",
                "attributes": {"id": kind["absence_type_id"], "name": kind["name"], "time_off_type_id": kind["id"]},
            },
            "certificate": {"status": row["certificate_status"]},
            "start": dates.utc_tenths_z(row["start"]),
            "end": dates.utc_tenths_z(row["end"]),
            "half_day_start": row["half_day_start"],
            "half_day_end": row["half_day_end"],
            "comment": row["comment"] or "",
            "origin": row["origin"],
            "status": row["status"],
            "timezone": row["timezone"],
            "created_by": row["created_by"],
            "created_at": dates.utc_millis_z(row["created_at"]),
            "updated_at": dates.utc_millis_z(row["updated_at"]),
            "approved_at": dates.utc_millis_z(row["approved_at"]) if row["approved_at"] is not None else None,
            "breakdowns": row["breakdowns"],
        },
    }


# -- attendances and projects ----------------------------------------------------------------------
def project_short(row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"id": row["id"], "type": "Project", "attributes": {"name": row["name"], "active": row["active"]}}


def project(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": "Project",
        "attributes": {
            "name": row["name"],
            "active": row["active"],
            "created_at": dates.compact_datetime(row["created_at"]),
            "updated_at": dates.compact_datetime(row["updated_at"]),
        },
    }


def attendance(world: World, row: Row, on_time_off: bool) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": "AttendancePeriod",
        "attributes": {
            "id_v2": row["id_v2"],
            "employee": row["employee_id"],
            "date": row["date"],
            "start_time": row["start_time"],
            "end_time": row["end_time"],
            "updated_at": dates.utc_offset_datetime(row["updated_at"]),
            "status": row["status"],
            "break": row["break"],
            "comment": row["comment"] or "",
            "is_holiday": False,
            "is_on_time_off": on_time_off,
            "project": project_short(world[m.PROJECTS].get(row["project_id"]) if row["project_id"] else None),
        },
    }


# -- documents -------------------------------------------------------------------------------------
def document_category(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "type": "DocumentCategory", "attributes": {"name": row["name"]}}


def document(world: World, row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": "Document",
        "attributes": {
            "title": row["title"],
            "date": row["date"],
            "comment": row["comment"],
            "employee": short_employee(world[m.EMPLOYEES].get(row["employee_id"]), row["employee_id"], id_label="ID"),
            "category": document_category(m.row_of(world, m.DOCUMENT_CATEGORIES, row["category_id"])),
        },
    }


# -- auth ------------------------------------------------------------------------------------------
def auth_token(token: str, expires_in: int, credential: Row) -> dict[str, Any]:
    """The `data` of POST /v1/auth: the token, its lifetime and the credential's scopes, space separated."""
    return {"token": token, "expires_in": expires_in, "scope": " ".join(credential["v1_scopes"])}


# -- list envelope ---------------------------------------------------------------------------------
def listing(data: Any, metadata: dict[str, int], *, offset: Any, limit: Any) -> dict[str, Any]:
    """`{"success", "metadata", "offset", "limit", "data"}` of the v1 list endpoints."""
    return {"success": True, "metadata": metadata, "offset": offset, "limit": limit, "data": data}


# -- the success envelope and the v1 pagination styles ------------------------------------------------
def ok(data: Any, status: int = 200, **extra: Any):
    return json_response({"success": True, "data": data, **extra}, status)


# -- pagination -----------------------------------------------------------------------------------
# the parameter descriptions of personio-personnel-data-api-oa3.yaml; time-offs count pages from 1 (0 read as 1):
# https://developer.personio.de/discuss/661512b68e5c3f005ffa8c8d
def item_page(rows: list, offset: int, limit: int, *, first_page: int = 0) -> tuple[list, dict[str, int]]:
    """`offset` counts items; `current_page` is offset // limit (+1 where pages are numbered from 1)."""
    page = offset_page(rows, offset, limit)
    return page.items, {
        "total_elements": page.total,
        "current_page": offset // limit + first_page,
        "total_pages": math.ceil(page.total / limit),
    }


def page_number_page(rows: list, page: int, limit: int) -> tuple[list, dict[str, int]]:
    """`offset` is a 1-based page number; 0 is read as 1 (GET /company/time-offs)."""
    page = max(1, page)
    found = offset_page(rows, (page - 1) * limit, limit)
    return found.items, {
        "total_elements": found.total,
        "current_page": page,
        "total_pages": math.ceil(found.total / limit),
    }
