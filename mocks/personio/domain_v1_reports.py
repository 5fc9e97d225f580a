"""v1 custom reports: the columns a company has, a report's period, the reports and employees a request selects,
the paging rules and the absence days a report counts (personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

from datetime import date, timedelta

from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import errors as e

DEFAULT_REPORT_LIMIT = 100
# column id -> (data type, English label, German label)
COLUMNS: dict[str, tuple[str, str, str]] = {
    "first_name": ("TEXT", "First name", "Vorname"),
    "last_name": ("TEXT", "Last name", "Nachname"),
    "email": ("TEXT", "Email", "E-Mail"),
    "position": ("TEXT", "Position", "Position"),
    "hire_date": ("TEXT", "Hire date", "Eintrittsdatum"),
    "department": ("ENTITY", "Department", "Abteilung"),
    "office": ("ENTITY", "Office", "Arbeitsplatz"),
    "cost_center": ("COST_CENTER", "Cost center", "Kostenstelle"),
    "weekly_working_hours": ("DURATION", "Weekly hours", "Wochenstunden"),
}


def columns(world: World) -> dict[str, tuple[str, str, str]]:
    """The standard columns and one absence overview per time-off type."""
    found = dict(COLUMNS)
    for kind in world[m.TIME_OFF_TYPES].values():
        found[f"absence_{kind['id']}"] = ("ABSENCE_OVERVIEW", kind["name"], kind["name"])
    return found


def period(report: Row, today: str) -> tuple[str, str]:
    """The first and last day a report covers, from its period type."""
    day = date.fromisoformat(today)
    kind = report["period_type"]
    if kind == "last_month":
        end = day.replace(day=1) - timedelta(days=1)
        return end.replace(day=1).isoformat(), end.isoformat()
    if kind == "last_year":
        return f"{day.year - 1}-01-01", f"{day.year - 1}-12-31"
    if kind == "this_year":
        return f"{day.year}-01-01", f"{day.year}-12-31"
    return today, today


def reports(world: World, report_ids: list[str] | None, status: str | None) -> list[Row]:
    wanted = {i.strip() for i in report_ids or [] if i.strip()}
    return [
        r
        for r in world[m.CUSTOM_REPORTS].values()
        if (not wanted or r["id"] in wanted) and (status is None or r["status"] == status)
    ]


def report_of(world: World, report_id: str) -> Row:
    report = world[m.CUSTOM_REPORTS].get(report_id)
    if report is None:
        raise e.report_not_found()
    return report


def page_limit(page: int | None, limit: int | None) -> int:
    """The page size (the default without one); a page or limit below 1 is the documented 400."""
    if page is not None and page < 1:
        raise e.report_bad_request("page", "Page must be greater than or equal to 1")
    if limit is not None and limit < 1:
        raise e.report_bad_request("limit", "Limit must be greater than or equal to 1")
    return limit or DEFAULT_REPORT_LIMIT


def employees(world: World) -> list[Row]:
    """One report row per employee, by id."""
    return sorted(world[m.EMPLOYEES].values(), key=lambda r: r["id"])


def report_columns(world: World, report: Row) -> list[str]:
    """The report's columns the company still has."""
    known = columns(world)
    return [c for c in report["columns"] if c in known]


def wanted_columns(world: World, wanted: list[str] | None, report_id: str | None) -> list[str]:
    """GET /company/custom-reports/columns: the named columns, else the report's, else all (unknown ones left
    out; an unknown report is the documented 404)."""
    known = columns(world)
    chosen = [c.strip() for c in wanted or [] if c.strip()]
    if report_id is not None:
        chosen = chosen or list(report_of(world, report_id)["columns"])
    return [c for c in (chosen or list(known)) if c in known]


def absence_days(world: World, employee_id: int, type_id: int, start: str, end: str) -> float:
    """Working days of the employee's approved time-offs of the type between start and end."""
    days = 0.0
    for time_off in world[m.TIME_OFFS].values():
        if (
            time_off["employee_id"] == employee_id
            and time_off["time_off_type_id"] == type_id
            and time_off["status"] == "approved"
            and time_off["start_date"] <= end
            and time_off["end_date"] >= start
        ):
            days += len(dates.working_days(max(start, time_off["start_date"]), min(end, time_off["end_date"])))
    return days
