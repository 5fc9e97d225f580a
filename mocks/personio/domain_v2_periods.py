"""What may happen to v2 absence types, absence periods and attendance periods (specs/personio_v2.yaml; the
developer.personio.de pages of the "Absence Period API" and the "Attendances API"): lookups, what the list filters
match, and the writes with their documented 409/422 rules.

They are the v1 tables of the same company (see wire_v2_periods): an absence period is a v1 time-off (unit day)
or a v1 hour-based absence period, an attendance period a v1 attendance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import errors as e
from . import wire_v2_periods as w
from .domain import as_int
from .domain_v2 import bounds, or_404, wanted, within
from .seed import absence_period_row, overlaps, time_off_row

MAX_ATTENDANCE_HOURS = 24  # "Period time range too long" (documented example; the bound is INFERRED)
# fields of the row a PATCH rewrites (the period's identity, person, type, origin and creation stay)
_PATCHED = ("id", "id_v2", "employee_id", "time_off_type_id", "created_at", "created_by", "origin")


# -- request values ----------------------------------------------------------------------------------
def _local(value: Any, field: str) -> datetime:
    """A request date-time: local, no offset ('2026-12-07T09:00:00'; a bare day is its midnight)."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None or not dates.is_date(moment.date().isoformat()):
        raise e.v2_unprocessable(
            f"`{field}.date_time` must be a local date-time without offset (e.g. 2026-12-07T00:00:00)."
        )
    return moment


def person_ref(world: World, ref: Any, what: str = "person") -> Row:
    """The person a body refers to (`{"id": ...}`), or the 422."""
    person_id = as_int(ref.get("id")) if isinstance(ref, dict) else None
    row = world[m.EMPLOYEES].get(person_id) if person_id is not None else None
    if row is None:
        raise e.v2_unprocessable(f"The {what} does not exist.")
    return row


# -- absence types ----------------------------------------------------------------------------------
def absence_types(world: World) -> list[Row]:
    return sorted(world[m.TIME_OFF_TYPES].values(), key=lambda r: r["id"])


def find_absence_type(world: World, type_id: Any) -> Row | None:
    return next((r for r in world[m.TIME_OFF_TYPES].values() if r["id_v2"] == type_id), None)


def absence_type(world: World, type_id: str) -> Row:
    """The absence type of a path id, or the 404."""
    return or_404(find_absence_type(world, type_id))


# -- absence periods --------------------------------------------------------------------------------
def absences_matching(world: World, filters: dict[str, str]) -> list[w.AbsenceView]:
    ids, people = wanted(filters, "id"), wanted(filters, "person.id")
    types = wanted(filters, "absence_type.id")
    type_ids = None if types is None else {r["id"] for r in world[m.TIME_OFF_TYPES].values() if r["id_v2"] in types}
    starts, ends = bounds(filters, "starts_from.date_time"), bounds(filters, "ends_at.date_time")
    updated = bounds(filters, "updated_at")
    return [
        v
        for v in w.absence_views(world)
        if (ids is None or v.id in ids)
        and (people is None or str(v.person_id) in people)
        and (type_ids is None or v.row["time_off_type_id"] in type_ids)
        and within(v.start, starts)
        and within(v.end, ends)
        and within(v.row["updated_at"], updated)
    ]


def absence(world: World, period_id: str) -> w.AbsenceView:
    """The absence period of a path id, or the 404."""
    return or_404(next((v for v in w.absence_views(world) if v.id == period_id), None))


def delete_absence(world: World, view: w.AbsenceView) -> None:
    with world.transaction():
        world[m.TIME_OFFS if view.unit == "day" else m.ABSENCE_PERIODS].delete(view.row["id"])


def _absence_fields(
    world: World, person: Row, kind: Row, data: dict[str, Any], skip_approval: bool, now: float, ignore: str | None
) -> tuple[str, Row]:
    """(table, v1 row) of an absence period with these `starts_from`/`ends_at`/`comment`, or the documented
    409/422. `ignore`: the id (v2) of the period being changed, which may overlap itself."""
    starts, ends = data.get("starts_from") or {}, data.get("ends_at")
    if ends is None:
        raise e.v2_unprocessable("Open-ended absence periods (`ends_at` null) are not supported by the mock.")
    start, end = _local(starts.get("date_time"), "starts_from"), _local(ends.get("date_time"), "ends_at")
    status = "pending" if kind["approval_required"] and not skip_approval else "approved"
    comment = data.get("comment") or None
    if kind["unit"] == "day":
        if start.time() != datetime.min.time() or end.time() != datetime.min.time():
            raise e.v2_unprocessable(
                "Absence types counted in days take whole days (T00:00:00) and FIRST_HALF/SECOND_HALF."
            )
        first, last = start.date().isoformat(), end.date().isoformat()
        half_start, half_end = starts.get("type") == "SECOND_HALF", ends.get("type") == "FIRST_HALF"
        if last < first or (first == last and half_start and half_end):
            raise e.v2_unprocessable("The absence period ends before it starts.")
        taken = [
            (p["start_date"], p["end_date"])
            for p in world[m.TIME_OFFS].values()
            if p["employee_id"] == person["id"] and p["status"] != "rejected" and p["id_v2"] != ignore
        ]
        if overlaps(taken, first, last):
            raise e.v2_conflict("The absence period overlaps another absence period of the person.")
        number = world[m.TIME_OFFS].next_id()
        row = time_off_row(
            number, "", person["id"], kind["id"], first, last, half_start, half_end, status, comment, now, "API"
        )
        return m.TIME_OFFS, row
    if end <= start:
        raise e.v2_unprocessable("The absence period ends before it starts.")
    row = absence_period_row(
        world,
        "",
        person["id"],
        kind["id"],
        start.date().isoformat(),
        end.date().isoformat(),
        start.strftime("%H:%M"),
        end.strftime("%H:%M"),
        False,
        False,
        status,
        comment,
        "api",
        None,
        now,
    )
    mine = [
        p
        for p in world[m.ABSENCE_PERIODS].values()
        if p["employee_id"] == person["id"] and p["status"] != "rejected" and p["id"] != ignore
    ]
    if any(p["start"] < row["end"] and row["start"] < p["end"] for p in mine):
        raise e.v2_conflict("The absence period overlaps another absence period of the person.")
    return m.ABSENCE_PERIODS, row


def _view(table: str, row: Row) -> w.AbsenceView:
    if table == m.TIME_OFFS:
        start, end = dates.local_midnight(row["start_date"]), dates.local_midnight(row["end_date"])
        return w.AbsenceView(row["id_v2"], "day", row, start, end)
    return w.AbsenceView(row["id"], "hour", row, row["start"], row["end"])


def create_absence(world: World, data: dict[str, Any], skip_approval: bool, now: float) -> w.AbsenceView:
    """POST /v2/absence-periods: the body's person, absence type and substitute must exist (422)."""
    person = person_ref(world, data.get("person"))
    kind = find_absence_type(world, (data.get("absence_type") or {}).get("id"))
    if kind is None:
        raise e.v2_unprocessable("The absence type does not exist.")
    if data.get("substitute") is not None:
        person_ref(world, data["substitute"], "substitute")
    table, row = _absence_fields(world, person, kind, data, skip_approval, now, None)
    with world.transaction():
        key = "id_v2" if table == m.TIME_OFFS else "id"
        row = world[table].insert({**row, key: world.rnd.uuid4()})
    return _view(table, row)


def update_absence(world: World, view: w.AbsenceView, data: dict[str, Any], skip_approval: bool, now: float) -> None:
    """PATCH https://developer.personio.de/reference/patch_v2-absence-periods-id: the fields not sent keep
    their values (starts_from, ends_at, comment: the POST body's changeable fields, x-inferred)."""
    kind = m.row_of(world, m.TIME_OFF_TYPES, view.row["time_off_type_id"])
    person = m.row_of(world, m.EMPLOYEES, view.person_id)
    now_shown = w.absence_period(world, view)
    merged = {name: data[name] if name in data else now_shown[name] for name in ("starts_from", "ends_at", "comment")}
    table, row = _absence_fields(world, person, kind, merged, skip_approval, now, view.id)
    changes = {k: v for k, v in row.items() if k not in _PATCHED}
    with world.transaction():
        world[table].update(view.row["id"], changes)


# -- attendance periods -----------------------------------------------------------------------------
def _attendance_instants(row: Row) -> tuple[float, float | None]:
    start = dates.local_instant(row["date"], row["start_time"])
    return start, dates.local_instant(row["date"], row["end_time"]) if row["end_time"] else None


def attendances_matching(world: World, filters: dict[str, str]) -> list[Row]:
    ids, people, projects = wanted(filters, "id"), wanted(filters, "person.id"), wanted(filters, "project.id")
    status = filters.get("status")
    if status is not None and status not in w.ATTENDANCE_APPROVALS.values():
        raise e.v2_bad_request()
    starts, ends, updated = (
        bounds(filters, "start.date_time"),
        bounds(filters, "end.date_time"),
        bounds(filters, "updated_at"),
    )
    days = bounds(filters, "attribution_date")
    found = []
    for row in world[m.ATTENDANCES].values():
        start, end = _attendance_instants(row)
        if (
            (ids is None or row["id_v2"] in ids)
            and (people is None or str(row["employee_id"]) in people)
            and (projects is None or str(row["project_id"]) in projects)
            and (status is None or w.ATTENDANCE_APPROVALS.get(row["status"]) == status)
            and within(start, starts)
            and within(end, ends)
            and within(row["updated_at"], updated)
            and within(dates.local_midnight(row["date"]), days)
        ):
            found.append((start, row["id_v2"], row))
    return [row for _, _, row in sorted(found, key=lambda t: (t[0], t[1]))]


def attendance(world: World, period_id: str) -> Row:
    """The attendance period of a path id, or the 404."""
    return or_404(next((r for r in world[m.ATTENDANCES].values() if r["id_v2"] == period_id), None))


def on_time_off(world: World, row: Row) -> bool:
    """Whether the attendance's day is a day of a time-off of its person (`is_on_time_off`)."""
    return (row["employee_id"], row["date"]) in m.time_off_days(world)


def _attendance_fields(world: World, data: dict[str, Any], current_row: Row | None = None) -> dict[str, Any]:
    """The v1 columns of a v2 attendance period write (after the schema check), or the documented 422s."""
    kind = data.get("type", current_row.get("type", "WORK") if current_row else "WORK")
    start_ref = data.get("start")
    if isinstance(start_ref, dict):
        start = _local(start_ref.get("date_time"), "start")
    else:  # an update without `start` (a create has one: the schema requires it)
        assert current_row is not None
        start = datetime.fromisoformat(f"{current_row['date']}T{current_row['start_time']}")
    if "end" in data:
        end = _local(data["end"].get("date_time"), "end") if isinstance(data["end"], dict) else None
    elif current_row is not None and current_row["end_time"]:
        end = datetime.fromisoformat(f"{current_row['date']}T{current_row['end_time']}")
    else:
        end = None
    if "project" in data:
        project_id = as_int((data["project"] or {}).get("id")) if data["project"] is not None else None
        if data["project"] is not None and project_id is None:
            raise e.v2_unprocessable("The project does not exist.")
    else:
        project_id = current_row["project_id"] if current_row is not None else None
    if end is not None and end < start:
        raise e.v2_unprocessable("The start date is greater than the end date.")
    if end is not None and (end - start).total_seconds() > MAX_ATTENDANCE_HOURS * 3600:
        raise e.v2_unprocessable("The period time range is too long.")
    if end is not None and end.date() != start.date():
        raise e.v2_unprocessable("Attendance periods across midnight are not supported by the mock.")
    if kind == "BREAK" and project_id is not None:
        raise e.v2_unprocessable("Break periods cannot have a project.")
    if project_id is not None:
        project = world[m.PROJECTS].get(project_id)
        if project is None or not project["active"]:
            raise e.v2_unprocessable("The project does not exist or is not active.")
    comment = data["comment"] if "comment" in data else (current_row["comment"] if current_row else None)
    return {
        "type": kind,
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M") if end is not None else None,
        "comment": comment or None,
        "project_id": project_id,
    }


def _overlapping(world: World, person_id: int, fields: dict[str, Any], ignore: int | None = None) -> bool:
    """Another period of the same type (work with work, break with break) on the day that overlaps."""
    begin = dates.minutes(fields["start_time"])
    finish = dates.minutes(fields["end_time"]) if fields["end_time"] else 24 * 60
    for other in world[m.ATTENDANCES].values():
        if (
            other["id"] == ignore
            or other["employee_id"] != person_id
            or other["date"] != fields["date"]
            or other.get("type", "WORK") != fields["type"]
        ):
            continue
        if (
            begin < (dates.minutes(other["end_time"]) if other["end_time"] else 24 * 60)
            and dates.minutes(other["start_time"]) < finish
        ):
            return True
    return False


def create_attendance(world: World, data: dict[str, Any], skip_approval: bool, now: float) -> Row:
    """POST /v2/attendance-periods: the body's person must exist; no overlap with a period of the same type."""
    person = person_ref(world, data.get("person"))
    fields = _attendance_fields(world, data)
    if _overlapping(world, person["id"], fields):
        raise e.v2_unprocessable("The attendance period overlaps another attendance period of the person.")
    with world.transaction():
        table = world[m.ATTENDANCES]
        return table.insert(
            {
                "id": table.next_id(),
                "id_v2": world.rnd.uuid4(),
                "employee_id": person["id"],
                "break": 0,
                "status": "confirmed" if skip_approval else "pending",
                "created_at": now,
                "updated_at": now,
                **fields,
            }
        )


def update_attendance(world: World, row: Row, data: dict[str, Any], skip_approval: bool, now: float) -> Row:
    fields = _attendance_fields(world, data, row)
    if _overlapping(world, row["employee_id"], fields, ignore=row["id"]):
        raise e.v2_unprocessable("The attendance period overlaps another attendance period of the person.")
    with world.transaction():
        return world[m.ATTENDANCES].update(
            row["id"], {**fields, "status": "confirmed" if skip_approval else "pending", "updated_at": now}
        )


def delete_attendance(world: World, row: Row) -> None:
    with world.transaction():
        world[m.ATTENDANCES].delete(row["id"])
