"""v1 attendances and projects: the filters, what makes an attendance row valid (employee, times, project, no
overlap), the per-row inserts of POST /company/attendances, updates, deletes and the project rules
(personio-personnel-data-api-oa3.yaml and its examples).

POST /company/attendances answers per row: the official 400 example lists a successful row with its new id
next to a failed one, so rows that pass are inserted and the others reported ("Existing overlapping attendances
periods" is documented; the other row messages are INFERRED).
"""

from __future__ import annotations

from typing import Any, cast

from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import errors as e
from .domain import as_int
from .errors import invalid, message

ROW_FIELDS = ("employee", "date", "start_time", "end_time", "break", "comment", "project_id")


def _instant_filter(name: str, value: str | None, *, end_of_day: bool) -> float | None:
    if value is None:
        return None
    instant = dates.parse_filter_instant(value, end_of_day=end_of_day)
    if instant is None:
        raise invalid({name: [message("date", name)]})
    return instant


def attendances(
    world: World,
    start_date: str,
    end_date: str,
    updated_from: str | None,
    updated_to: str | None,
    include_pending: bool | None,
    employees: list[int] | None,
) -> list[Row]:
    """GET /company/attendances: the rows the filters select (a bad filter is Laravel's 422)."""
    if end_date < start_date:
        raise invalid({"end_date": [message("after_or_equal", "end_date", "start_date")]})
    since = _instant_filter("updated_from", updated_from, end_of_day=False)
    until = _instant_filter("updated_to", updated_to, end_of_day=True)
    wanted = set(employees or [])
    statuses = set(m.ATTENDANCE_STATUSES) if include_pending else {"confirmed"}
    return [
        r
        for r in world[m.ATTENDANCES].values()  # v2 BREAK periods have no v1 form (INFERRED)
        if start_date <= r["date"] <= end_date
        and r["status"] in statuses
        and r.get("type") != "BREAK"
        and (not wanted or r["employee_id"] in wanted)
        and (since is None or r["updated_at"] >= since)
        and (until is None or r["updated_at"] <= until)
    ]


def _overlaps(
    world: World,
    employee_id: int,
    day: str,
    start: str,
    end: str | None,
    *,
    taken: list[tuple],
    ignore: int | None = None,
) -> bool:
    begin, finish = dates.minutes(start), dates.minutes(end) if end else 24 * 60
    for other in world[m.ATTENDANCES].values():
        if other["id"] == ignore or other["employee_id"] != employee_id or other["date"] != day:
            continue
        if (
            begin < (dates.minutes(other["end_time"]) if other["end_time"] else 24 * 60)
            and dates.minutes(other["start_time"]) < finish
        ):
            return True
    return any(e_id == employee_id and d == day and begin < f and b < finish for e_id, d, b, f in taken)


def _row_error(world: World, row: dict[str, Any]) -> str | None:
    """Why a row cannot be inserted (None: it can)."""
    employee = as_int(row.get("employee"))
    if employee is None or employee not in world[m.EMPLOYEES]:
        return "Employee not found"
    if not dates.is_date(row.get("date")):
        return message("date", "date")
    if not dates.is_time(row.get("start_time")):
        return message("format", "start_time", "H:i")
    end = row.get("end_time")
    if end is not None and not dates.is_time(end):
        return message("format", "end_time", "H:i")
    if end is not None and dates.minutes(end) <= dates.minutes(row["start_time"]):
        return "The end time must be after the start time"
    pause = as_int(row.get("break"))
    if pause is None or pause < 0:
        return message("integer", "break")
    project = row.get("project_id")
    if project is not None and (as_int(project) is None or as_int(project) not in world[m.PROJECTS]):
        return "Project not found"
    if row.get("comment") is not None and not isinstance(row["comment"], str):
        return message("string", "comment")
    return None


def create_attendances(world: World, rows: list[Any], skip_approval: bool | None, now: float) -> list[int]:
    """The ids of the new attendances. The rows that pass are inserted; when any fails, the documented 400
    lists every row (the inserted ones with their ids)."""
    if not rows or skip_approval is None:
        raise e.attendance_rows_failed([])
    results: list[dict[str, Any]] = []
    inserted: list[int] = []
    taken: list[tuple] = []
    with world.transaction():
        table = world[m.ATTENDANCES]
        for row in rows:
            row = row if isinstance(row, dict) else {}
            echo = {f: row.get(f) for f in ROW_FIELDS}
            echo["comment"] = row.get("comment") or ""
            problem = _row_error(world, row)
            if problem is None and _overlaps(
                world,
                cast(int, as_int(row["employee"])),
                row["date"],
                row["start_time"],
                row.get("end_time"),
                taken=taken,
            ):
                problem = "Existing overlapping attendances periods"
            if problem is not None:
                results.append({"success": False, "error_msg": problem, "id": None, **echo})
                continue
            new_id = table.next_id()
            table.insert(
                {
                    "id": new_id,
                    "id_v2": world.rnd.uuid4(),
                    "employee_id": as_int(row["employee"]),
                    "date": row["date"],
                    "start_time": row["start_time"],
                    "end_time": row.get("end_time"),
                    "break": as_int(row["break"]),
                    "comment": row.get("comment"),
                    "status": "confirmed" if skip_approval else "pending",
                    "project_id": as_int(row.get("project_id")) if row.get("project_id") is not None else None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            end = row.get("end_time")
            taken.append(
                (
                    as_int(row["employee"]),
                    row["date"],
                    dates.minutes(row["start_time"]),
                    dates.minutes(end) if end else 24 * 60,
                )
            )
            inserted.append(new_id)
            results.append({"success": True, "error_msg": None, "id": new_id, **echo})
    if len(inserted) < len(rows):
        raise e.attendance_rows_failed(results)
    return inserted


def attendance_of(world: World, attendance_id: int) -> Row:
    row = world[m.ATTENDANCES].get(attendance_id)
    if row is None:
        raise e.attendance_not_found()
    return row


def update_attendance(
    world: World, attendance_id: int, fields: dict[str, Any], skip_approval: bool | None, now: float
) -> None:
    """The given fields over the stored ones (the employee stays); an invalid or overlapping result is refused."""
    row = attendance_of(world, attendance_id)
    merged = {
        "employee": row["employee_id"],
        "date": row["date"],
        "start_time": row["start_time"],
        "end_time": row["end_time"],
        "break": row["break"],
        "comment": row["comment"],
        "project_id": row["project_id"],
    }
    merged.update({k: fields[k] for k in ROW_FIELDS if k in fields and k != "employee"})
    if (
        skip_approval is None
        or _row_error(world, merged) is not None
        or _overlaps(
            world,
            row["employee_id"],
            merged["date"],
            merged["start_time"],
            merged["end_time"],
            taken=[],
            ignore=attendance_id,
        )
    ):
        raise e.attendance_update_failed()
    with world.transaction():
        world[m.ATTENDANCES].update(
            attendance_id,
            {
                "date": merged["date"],
                "start_time": merged["start_time"],
                "end_time": merged["end_time"],
                "break": as_int(merged["break"]),
                "comment": merged["comment"],
                "project_id": as_int(merged["project_id"]) if merged["project_id"] is not None else None,
                "status": "confirmed" if skip_approval else "pending",
                "updated_at": now,
            },
        )


def delete_attendance(world: World, attendance_id: int) -> None:
    attendance_of(world, attendance_id)
    with world.transaction():
        world[m.ATTENDANCES].delete(attendance_id)


# -- projects --------------------------------------------------------------------------------------
def _project_fields(body: Any, *, creating: bool) -> dict[str, Any]:
    data = body if isinstance(body, dict) else {}
    changes: dict[str, Any] = {}
    if creating or "name" in data:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise e.project_invalid("name", "Project name cannot be empty")
        changes["name"] = name.strip()
    if "active" in data or creating:
        active = data.get("active", False)
        if not isinstance(active, bool):
            raise e.project_invalid("active", "Active field needs to be of type boolean")
        changes["active"] = active
    return changes


def _project(world: World, project_id: int) -> Row:
    row = world[m.PROJECTS].get(project_id)
    if row is None:
        raise e.project_not_found(project_id)
    return row


def projects(world: World) -> list[Row]:
    return list(world[m.PROJECTS].values())


def create_project(world: World, body: Any, now: float) -> Row:
    fields = _project_fields(body, creating=True)
    with world.transaction():
        table = world[m.PROJECTS]
        return table.insert({"id": table.next_id(), **fields, "created_at": now, "updated_at": now})


def update_project(world: World, project_id: int, body: Any, now: float) -> Row:
    """The project with the given name/active (404 before the body's checks)."""
    _project(world, project_id)
    fields = _project_fields(body, creating=False)
    with world.transaction():
        return world[m.PROJECTS].update(project_id, {**fields, "updated_at": now})


def delete_project(world: World, project_id: int) -> None:
    """The project and its v2 member rows."""
    _project(world, project_id)
    with world.transaction():
        world[m.PROJECTS].delete(project_id)
        m.drop_project_members(world, project_id)
