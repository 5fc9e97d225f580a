"""A Personio company: the collections of its world, the rows they hold and the vocabulary of the API.

One world is one company. v1 employees, v2 persons (with their employments) and recruiting hires are the same
people: an employee row is the person, its current employment is derived from it, earlier employments of
rehired people are kept inside the row, and a hire's application carries the employee's name and email.

Rows keep instants as epoch seconds (UTC) and calendar days as 'YYYY-MM-DD' (see dates.py).
"""

from __future__ import annotations

from typing import Any

from mocks.core.serialization import ascii_int
from mocks.core.store import Row, World

from . import dates

# -- vocabulary ------------------------------------------------------------------------------------
EMPLOYEE_STATUSES = ("onboarding", "active", "leave", "inactive")
GENDERS = ("male", "female", "diverse")
EMPLOYMENT_TYPES = ("internal", "external")
TIME_OFF_CATEGORIES = (
    "family_care",
    "maternity_parental_leave",
    "child_care",
    "short_time_allowance",
    "quarantine",
    "irrevocable_exemption",
    "sick_leave",
    "strike_and_lockout",
    "public_duty",
    "unpaid_suspension",
    "paid_vacation",
    "unpaid_vacation",
    "unexcused_absence",
    "offsite_work",
    "other",
    "undefined",
)
ATTENDANCE_STATUSES = ("confirmed", "pending", "rejected")
V1_SCOPES = (
    "employees:read",
    "employees:write",
    "attendances:read",
    "attendances:write",
    "absences:read",
    "absences:write",
    "documents:read",
    "documents:write",
    "reports.custom:read",
)
V2_SCOPES = (
    "personio:persons:read",
    "personio:persons:write",
    "personio:absences:read",
    "personio:absences:write",
    "personio:attendances:read",
    "personio:attendances:write",
    "personio:projects:read",
    "personio:projects:write",
    "personio:cost-centers:read",
    "personio:reports:read",
    "personio:org-units:read",
    "personio:legal-entities:read",
    "personio:compensations:read",
    "personio:compensations:write",
    "personio:webhooks:read",
    "personio:webhooks:write",
)
# v2 termination types (employment-contract-v2.json) and how v1 labels them (v1 examples show only null)
TERMINATION_TYPES = {
    "QUIT": "Resignation by employee",
    "FIRED": "Dismissal by employer",
    "AGREEMENT": "Termination agreement",
    "CONTRACT_EXPIRED": "Contract expired",
    "RETIREMENT": "Retirement",
}
SYSTEM_PHASES = ("unassigned", "rejected", "withdrawn", "offer", "accepted")
APPLICATION_FILE_CATEGORIES = ("cv", "cover-letter", "employment-reference", "certificate", "work-sample", "other")
SYSTEM_APPLICANT_ATTRIBUTES = {
    "birthday": "date",
    "gender": "option",
    "location": "text",
    "phone": "text",
    "available_from": "text",
    "salary_expectations": "text",
}
APPLICANT_GENDERS = ("male", "female", "diverse", "undefined")
XML_LANGUAGES = ("de", "en", "fr", "es", "nl", "it", "pt")

# -- collections -----------------------------------------------------------------------------------
COMPANY = "company"  # one row, id "company"
CREDENTIALS = "credentials"  # id: client_id
EMPLOYEES = "employees"  # id: int (= v2 person id)
SUBCOMPANIES = "subcompanies"
OFFICES = "offices"
DEPARTMENTS = "departments"
TEAMS = "teams"
COST_CENTERS = "cost_centers"
HOLIDAY_CALENDARS = "holiday_calendars"
WORK_SCHEDULES = "work_schedules"
CUSTOM_ATTRIBUTES = "custom_attributes"  # id: "dynamic_<n>"
TIME_OFF_TYPES = "time_off_types"
TIME_OFFS = "time_offs"  # day-based periods, id: int
ABSENCE_PERIODS = "absence_periods"  # hour-based periods, id: uuid
ATTENDANCES = "attendances"
PROJECTS = "projects"
DOCUMENT_CATEGORIES = "document_categories"
DOCUMENTS = "documents"
CUSTOM_REPORTS = "custom_reports"
JOB_POSITIONS = "job_positions"
RECRUITING_CHANNELS = "recruiting_channels"
EXTERNAL_POSTINGS = "external_postings"  # id: external posting id (string)
RECRUITING_TAGS = "recruiting_tags"  # id: tag name
RECRUITING_PHASES = "recruiting_phases"
APPLICANT_ATTRIBUTES = "applicant_attributes"
APPLICATIONS = "applications"
RECRUITING_FILES = "recruiting_files"  # uploaded application documents, id: uuid
COMPENSATION_TYPES = "compensation_types"  # v2 payroll compensation types, id: uuid
COMPENSATIONS = "compensations"  # compensations created through v2 (salaries derive from employees), id: uuid
WEBHOOKS = "webhooks"  # v2 webhook subscriptions, id: uuid
PROJECT_MEMBERS = "project_members"  # v2 project members, id: "<project id>:<person id>"
WEBHOOK_EVENTS = "webhook_events"  # v2 webhook events sent (ping, test events), id: uuid


def project_members(world: World, project_id: int) -> list[int]:
    """The person ids of a project's members, ascending (people since removed are left out)."""
    people = world[EMPLOYEES]
    return sorted(
        r["person_id"]
        for r in world[PROJECT_MEMBERS].values()
        if r["project_id"] == project_id and r["person_id"] in people
    )


def drop_project_members(world: World, project_id: int) -> None:
    """Inside the caller's transaction: the member rows of a deleted project."""
    members = world[PROJECT_MEMBERS]
    for key in [r["id"] for r in members.values() if r["project_id"] == project_id]:
        members.delete(key)


def company(world: World) -> Row:
    return row_of(world, COMPANY, "company")


def row_of(world: World, collection: str, key: Any) -> Row:
    """A row the caller knows exists (a reference held by another row); a missing one is a broken world."""
    row = world[collection].get(key)
    if row is None:
        raise LookupError(f"{collection}[{key!r}] is missing")
    return row


def employee_name(row: Row) -> str:
    return f"{row['first_name']} {row['last_name']}"


def by_name(world: World, collection: str, name: Any) -> Row | None:
    """An org unit by its name (the v1 create/update payloads name offices, departments, subcompanies)."""
    if not isinstance(name, str):
        return None
    wanted = name.strip().lower()
    return next((r for r in world[collection].values() if r["name"].lower() == wanted), None)


def derive_status(hire_date: str | None, today: str) -> str:
    """POST /company/employees: 'active' if the hire date is in the past, else 'onboarding'."""
    return "onboarding" if hire_date is not None and hire_date > today else "active"


def new_employee(**fields: Any) -> Row:
    """An employee row with every field present (callers pass what they know)."""
    row: Row = {
        "id": None,
        "first_name": "",
        "last_name": "",
        "preferred_name": None,
        "email": "",
        "gender": None,
        "status": "active",
        "position": None,
        "supervisor_id": None,
        "employment_type": "internal",
        "weekly_working_hours": 40,
        "full_time_weekly_working_hours": 40,
        "hire_date": None,
        "contract_end_date": None,
        "termination_date": None,
        "termination_type": None,
        "termination_reason": None,
        "probation_period_end": None,
        "last_working_day": None,
        "created_at": 0,
        "updated_at": 0,
        "subcompany_id": None,
        "office_id": None,
        "department_id": None,
        "team_id": None,
        "cost_centers": [],
        "holiday_calendar_id": None,
        "work_schedule_id": None,
        "fix_salary": 0,
        "fix_salary_interval": "monthly",
        "hourly_salary": 0,
        "has_picture": False,
        "custom": {},
        "changes": {},
        "employment_id": None,
        "job_id": None,
        "employment_created_at": None,
        "employment_updated_at": None,
        "past_employments": [],
        "absence_entitlement": [],
    }
    row.update(fields)
    return row


def changed(row: Row, attributes: list[str], at: float) -> dict[str, Any]:
    """The `changes` map of a row after `attributes` changed at `at` (for updated_since + attributes[])."""
    return {**row["changes"], **{name: at for name in attributes}}


def last_change(row: Row, attribute: str) -> float:
    return row["changes"].get(attribute, row["created_at"])


def working_schedule_for(world: World, hours: float) -> int:
    """The work schedule matching weekly hours (the closest one)."""
    schedules = world[WORK_SCHEDULES].values()
    return min(schedules, key=lambda s: (abs(s["hours"] - hours), s["id"]))["id"]


def stable_uuid(*parts: object) -> str:
    """A uuid4-shaped id derived from its parts (ids of records that need one without consuming the RNG)."""
    import hashlib
    import uuid

    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


_TRUE = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no"}


# -- values of requests (form booleans, ids) --------------------------------------------------------------
def form_bool(value: Any, default: bool | None = None) -> bool | None:
    """true/false, 1/0 (PHP forms and the Postman collection send '0'/'1'); None when not a boolean."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def as_int(value: Any) -> int | None:
    """An integer, a whole float or a string of ASCII digits as an int, else None ('²' and '١' are no
    numbers to Personio; neither is a string of more digits than Python converts)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    try:
        return ascii_int(value)
    except ValueError:
        return None


def time_off_days(world: World) -> set[tuple[int, str]]:
    """(person id, day) of every day in a time-off that is not rejected (cached until the time-offs change)."""
    periods = world[TIME_OFFS]

    def compute() -> set[tuple[int, str]]:
        days = set()
        for period in periods.values():
            if period["status"] != "rejected":
                for day in dates.days_between(period["start_date"], period["end_date"]):
                    days.add((period["employee_id"], day))
        return days

    return periods.derived("days_off", compute)
