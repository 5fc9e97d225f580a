"""How v2 absence types, absence periods and attendance periods look on the wire (developer.personio.de reference
pages of the "Absence Period API" and the "Attendances API", their request bodies; response shapes INFERRED from
those bodies and public clients, see docs/vendors/personio.md).

They are views of the v1 rows of the same company: a v2 absence period is a v1 time-off (unit DAY, id its
`id_v2`) or a v1 hour-based absence period (unit HOUR, same uuid); a v2 attendance period is a v1 attendance
(id its `id_v2`). Date-times are local (company time, Europe/Berlin) without offset, as the request bodies take them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mocks.core.store import Row, World

from . import dates
from . import domain as m

APPROVALS = {"approved": "APPROVED", "pending": "PENDING", "rejected": "REJECTED"}
ATTENDANCE_APPROVALS = {"confirmed": "CONFIRMED", "pending": "PENDING", "rejected": "REJECTED"}
# the filters the lists take (comma-separated lists: see wire_v2.list_query)
ABSENCE_FILTERS = (
    "id",
    "absence_type.id",
    "person.id",
    "starts_from.date_time.gte",
    "starts_from.date_time.lte",
    "ends_at.date_time.gte",
    "ends_at.date_time.lte",
    "updated_at.gte",
    "updated_at.lte",
)
ATTENDANCE_FILTERS = (
    "id",
    "person.id",
    "project.id",
    "status",
    "start.date_time.gte",
    "start.date_time.lte",
    "end.date_time.gte",
    "end.date_time.lte",
    "updated_at.gte",
    "updated_at.lte",
    "attribution_date.gte",
    "attribution_date.lte",
)


def local(epoch: float) -> str:
    """'2026-12-07T09:00:00': company time without offset."""
    return dates.berlin(int(epoch)).strftime("%Y-%m-%dT%H:%M:%S")


def absence_type(row: Row) -> dict[str, Any]:
    return {"id": row["id_v2"], "name": row["name"], "category": row["category"].upper(), "unit": row["unit"].upper()}


@dataclass(frozen=True)
class AbsenceView:
    """One v2 absence period over either v1 table: what filters, ordering and rendering need."""

    id: str
    unit: str  # "day" (v1 time-off) or "hour" (v1 absence period)
    row: Row
    start: float  # the instant of starts_from.date_time (company time)
    end: float  # the instant of ends_at.date_time

    @property
    def person_id(self) -> int:
        return self.row["employee_id"]


def absence_views(world: World) -> list[AbsenceView]:
    """Every absence period of the company, ordered by start, then id (cached until either table changes)."""
    days, hours = world[m.TIME_OFFS], world[m.ABSENCE_PERIODS]

    def compute() -> list[AbsenceView]:
        found = [
            AbsenceView(
                r["id_v2"], "day", r, dates.local_midnight(r["start_date"]), dates.local_midnight(r["end_date"])
            )
            for r in days.values()
        ]
        found += [AbsenceView(r["id"], "hour", r, r["start"], r["end"]) for r in hours.values()]
        return sorted(found, key=lambda v: (v.start, v.id))

    # cached on the time-offs, keyed by the hour table's version: a write to either recomputes
    return days.derived(("v2_absences", hours.version), compute)


def absence_period(world: World, view: AbsenceView) -> dict[str, Any]:
    row = view.row
    kind = world[m.TIME_OFF_TYPES].get(row["time_off_type_id"])
    starts: dict[str, Any]
    ends: dict[str, Any]
    if view.unit == "day":
        starts = {
            "date_time": f"{row['start_date']}T00:00:00",
            "type": "SECOND_HALF" if row["half_day_start"] else "FIRST_HALF",
        }
        ends = {
            "date_time": f"{row['end_date']}T00:00:00",
            "type": "FIRST_HALF" if row["half_day_end"] else "SECOND_HALF",
        }
    else:
        starts, ends = {"date_time": local(row["start"]), "type": None}, {"date_time": local(row["end"]), "type": None}
    return {
        "id": view.id,
        "person": {"id": str(row["employee_id"])},
        "absence_type": {"id": kind["id_v2"] if kind else str(row["time_off_type_id"])},
        "starts_from": starts,
        "ends_at": ends,
        "timezone_id": dates.COMPANY_TIMEZONE,
        "comment": row["comment"] or None,
        "approval": {"status": APPROVALS.get(row["status"], "PENDING")},
        "substitute": None,
        "created_at": dates.utc_z(row["created_at"]),
        "updated_at": dates.utc_z(row["updated_at"]),
    }


def breakdowns(view: AbsenceView) -> list[dict[str, Any]]:
    """One entry per calendar day of the period, in date order: the balance the day consumes."""
    row = view.row
    if view.unit == "day":
        found = []
        for day in dates.days_between(row["start_date"], row["end_date"]):
            value = 0.0
            if dates.is_working_day(day):
                half = (day == row["start_date"] and row["half_day_start"]) or (
                    day == row["end_date"] and row["half_day_end"]
                )
                value = 0.5 if half else 1.0
            found.append({"date": day, "effective_duration": {"unit": "DAY", "value": value}})
        return found
    minutes = {b["date"]: b["effective_duration"] for b in row["breakdowns"]}
    return [
        {"date": day, "effective_duration": {"unit": "HOUR", "value": round(minutes.get(day, 0) / 60, 2)}}
        for day in dates.days_between(row["start_date"], row["end_date"])
    ]


def attendance_period(world: World, row: Row, on_time_off: bool) -> dict[str, Any]:
    end = {"date_time": f"{row['date']}T{row['end_time']}:00"} if row["end_time"] else None
    project = {"id": str(row["project_id"])} if row["project_id"] is not None else None
    return {
        "id": row["id_v2"],
        "type": row.get("type", "WORK"),
        "person": {"id": str(row["employee_id"])},
        "start": {"date_time": f"{row['date']}T{row['start_time']}:00"},
        "end": end,
        "attribution_date": row["date"],
        "comment": row["comment"] or None,
        "project": project,
        "approval": {"status": ATTENDANCE_APPROVALS.get(row["status"], "PENDING")},
        "is_holiday": False,
        "is_on_time_off": on_time_off,
        "is_auto_generated": False,
        "created_at": dates.utc_z(row["created_at"]),
        "updated_at": dates.utc_z(row["updated_at"]),
    }


def attendance_created(row: Row) -> dict[str, Any]:
    """The answer of POST /v2/attendance-periods: the new period's id."""
    return {"id": row["id_v2"]}
