"""The v2 absence types, absence periods (with breakdowns) and attendance periods of specs/personio_v2.yaml.

They read and write the v1 tables of the same company (see wire_v2_periods). Lists paginate like persons: opaque
cursors that carry filters, limit and offset; `next` is absent on the last page. Filters that take lists accept
comma-separated values, repeated parameters and `name[]` (all seen in Personio's examples or public clients).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from mocks.core.context import current
from mocks.core.pagination import offset_page
from mocks.core.responses import json_response, no_content
from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import errors as e
from . import wire_v2_periods as w
from .domain import as_int
from .seed import absence_period_row, overlaps, time_off_row
from .wire_v2 import links as _links
from .wire_v2 import page_state as _page_state

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
_LISTS = {"id", "absence_type.id", "person.id", "project.id"}
MAX_ATTENDANCE_HOURS = 24  # "Period time range too long" (documented example; the bound is INFERRED)


# -- query and pages --------------------------------------------------------------------------------
def _query() -> dict[str, str]:
    """The query with repeated list filters (`id=a&id=b`, `id[]=a`) joined by commas."""
    raw = current().scope.get("query_string", b"").decode("latin-1")
    found: dict[str, str] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        name = key[:-2] if key.endswith("[]") else key
        found[name] = f"{found[name]},{value}" if name in found and name in _LISTS else value
    return found


def _instant(value: str) -> float:
    """A filter date-time, with or without offset (company time without), or a day; else the 400."""
    instant = dates.parse_filter_instant(value)
    if instant is None:
        raise e.v2_bad_request()
    return instant


def _bounds(filters: dict[str, str], name: str) -> tuple[float | None, float | None]:
    low, high = filters.get(f"{name}.gte"), filters.get(f"{name}.lte")
    return (None if low is None else _instant(low)), (None if high is None else _instant(high))


def _within(value: float, bounds: tuple[float | None, float | None]) -> bool:
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


def _wanted(filters: dict[str, str], name: str) -> set[str] | None:
    return {v.strip() for v in filters[name].split(",") if v.strip()} if name in filters else None


def _page(
    path: str,
    found: Callable[[dict[str, str]], Sequence[Any]],
    limit: int,
    max_limit: int,
    allowed: tuple[str, ...],
    render: Callable[[Any], Any],
) -> Any:
    query = _query()
    filters, limit, offset = _page_state(query, allowed, limit, max_limit)
    offset = offset if isinstance(offset, int) and not isinstance(offset, bool) and offset > 0 else 0
    rows = found(filters)
    page = offset_page(rows, offset, limit).items
    following = offset + limit if len(rows) > offset + limit else None
    return json_response(
        {
            "_data": [render(item) for item in page],
            "_meta": _links(path, query, filters, limit, offset or None, following),
        }
    )


# -- absence types ----------------------------------------------------------------------------------
def _absence_types(world: World) -> list[Row]:
    return sorted(world[m.TIME_OFF_TYPES].values(), key=lambda r: r["id"])


async def list_absence_types(limit: int = 100, **_: Any):
    world = current().world
    return _page("/personio/v2/absence-types", lambda filters: _absence_types(world), limit, 100, (), w.absence_type)


def _absence_type(world: World, type_id: Any) -> Row | None:
    return next((r for r in world[m.TIME_OFF_TYPES].values() if r["id_v2"] == type_id), None)


async def get_absence_type(id: str):  # noqa: A002 (the official parameter name)
    row = _absence_type(current().world, id)
    if row is None:
        raise e.v2_resource_not_found()
    return json_response(w.absence_type(row))


# -- absence periods --------------------------------------------------------------------------------
def _absences_matching(world: World, filters: dict[str, str]) -> list[w.AbsenceView]:
    ids, people = _wanted(filters, "id"), _wanted(filters, "person.id")
    types = _wanted(filters, "absence_type.id")
    type_ids = None if types is None else {r["id"] for r in world[m.TIME_OFF_TYPES].values() if r["id_v2"] in types}
    starts, ends = _bounds(filters, "starts_from.date_time"), _bounds(filters, "ends_at.date_time")
    updated = _bounds(filters, "updated_at")
    return [
        v
        for v in w.absence_views(world)
        if (ids is None or v.id in ids)
        and (people is None or str(v.person_id) in people)
        and (type_ids is None or v.row["time_off_type_id"] in type_ids)
        and _within(v.start, starts)
        and _within(v.end, ends)
        and _within(v.row["updated_at"], updated)
    ]


async def list_absence_periods_v2(limit: int = 100, **_: Any):
    world = current().world
    return _page(
        "/personio/v2/absence-periods",
        lambda filters: _absences_matching(world, filters),
        limit,
        100,
        ABSENCE_FILTERS,
        lambda view: w.absence_period(world, view),
    )


def _absence(world: World, period_id: str) -> w.AbsenceView:
    view = next((v for v in w.absence_views(world) if v.id == period_id), None)
    if view is None:
        raise e.v2_resource_not_found()
    return view


async def get_absence_period_v2(id: str):  # noqa: A002
    world = current().world
    return json_response(w.absence_period(world, _absence(world, id)))


async def delete_absence_period_v2(id: str):  # noqa: A002
    world = current().world
    view = _absence(world, id)
    with world.transaction():
        world[m.TIME_OFFS if view.unit == "day" else m.ABSENCE_PERIODS].delete(view.row["id"])
    return no_content()


async def list_absence_period_breakdowns(id: str, limit: int = 28, **_: Any):  # noqa: A002
    world = current().world
    view = _absence(world, id)
    return _page(
        f"/personio/v2/absence-periods/{id}/breakdowns",
        lambda filters: w.breakdowns(view),
        limit,
        28,
        (),
        lambda item: item,
    )


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


def _person(world: World, ref: Any, what: str = "person") -> Row:
    person_id = as_int(ref.get("id")) if isinstance(ref, dict) else None
    row = world[m.EMPLOYEES].get(person_id) if person_id is not None else None
    if row is None:
        raise e.v2_unprocessable(f"The {what} does not exist.")
    return row


def _write(body: Any) -> tuple[Any, World, dict[str, Any], Row]:
    """(context, world, body, person) of a create: the body's `person` must exist."""
    ctx = current()
    data = body if isinstance(body, dict) else {}
    return ctx, ctx.world, data, _person(ctx.world, data.get("person"))


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


async def create_absence_period_v2(body: Any, skip_approval: bool = False):
    ctx, world, data, person = _write(body)
    kind = _absence_type(world, (data.get("absence_type") or {}).get("id"))
    if kind is None:
        raise e.v2_unprocessable("The absence type does not exist.")
    if data.get("substitute") is not None:
        _person(world, data["substitute"], "substitute")
    table, row = _absence_fields(world, person, kind, data, skip_approval, ctx.clock.time(), None)
    with world.transaction():
        key = "id_v2" if table == m.TIME_OFFS else "id"
        row = world[table].insert({**row, key: world.rnd.uuid4()})
    return json_response(w.absence_period(world, _view(table, row)), 201)


# fields of the row a PATCH rewrites (the period's identity, person, type, origin and creation stay)
_PATCHED = ("id", "id_v2", "employee_id", "time_off_type_id", "created_at", "created_by", "origin")


async def update_absence_period_v2(id: str, body: Any, skip_approval: bool = False):  # noqa: A002
    """PATCH https://developer.personio.de/reference/patch_v2-absence-periods-id: 204; the fields not sent keep
    their values (starts_from, ends_at, comment: the POST body's changeable fields, x-inferred)."""
    ctx = current()
    world = ctx.world
    view = _absence(world, id)
    data = body if isinstance(body, dict) else {}
    kind = m.row_of(world, m.TIME_OFF_TYPES, view.row["time_off_type_id"])
    person = m.row_of(world, m.EMPLOYEES, view.person_id)
    now_shown = w.absence_period(world, view)
    merged = {name: data[name] if name in data else now_shown[name] for name in ("starts_from", "ends_at", "comment")}
    table, row = _absence_fields(world, person, kind, merged, skip_approval, ctx.clock.time(), view.id)
    changes = {k: v for k, v in row.items() if k not in _PATCHED}
    with world.transaction():
        world[table].update(view.row["id"], changes)
    return no_content()


# -- attendance periods -----------------------------------------------------------------------------
def _attendance_instants(row: Row) -> tuple[float, float | None]:
    start = dates.local_instant(row["date"], row["start_time"])
    return start, dates.local_instant(row["date"], row["end_time"]) if row["end_time"] else None


def _attendances_matching(world: World, filters: dict[str, str]) -> list[Row]:
    ids, people, projects = _wanted(filters, "id"), _wanted(filters, "person.id"), _wanted(filters, "project.id")
    status = filters.get("status")
    if status is not None and status not in w.ATTENDANCE_APPROVALS.values():
        raise e.v2_bad_request()
    starts, ends, updated = (
        _bounds(filters, "start.date_time"),
        _bounds(filters, "end.date_time"),
        _bounds(filters, "updated_at"),
    )
    days = _bounds(filters, "attribution_date")
    found = []
    for row in world[m.ATTENDANCES].values():
        start, end = _attendance_instants(row)
        if (
            (ids is None or row["id_v2"] in ids)
            and (people is None or str(row["employee_id"]) in people)
            and (projects is None or str(row["project_id"]) in projects)
            and (status is None or w.ATTENDANCE_APPROVALS.get(row["status"]) == status)
            and _within(start, starts)
            and (ends == (None, None) or (end is not None and _within(end, ends)))
            and _within(row["updated_at"], updated)
            and _within(dates.local_midnight(row["date"]), days)
        ):
            found.append((start, row["id_v2"], row))
    return [row for _, _, row in sorted(found, key=lambda t: (t[0], t[1]))]


async def list_attendance_periods(limit: int = 100, **_: Any):
    world = current().world
    away = m.time_off_days(world)
    return _page(
        "/personio/v2/attendance-periods",
        lambda filters: _attendances_matching(world, filters),
        limit,
        100,
        ATTENDANCE_FILTERS,
        lambda row: w.attendance_period(world, row, (row["employee_id"], row["date"]) in away),
    )


def _attendance(world: World, period_id: str) -> Row:
    row = next((r for r in world[m.ATTENDANCES].values() if r["id_v2"] == period_id), None)
    if row is None:
        raise e.v2_resource_not_found()
    return row


def _render_attendance(world: World, row: Row) -> dict[str, Any]:
    return w.attendance_period(world, row, (row["employee_id"], row["date"]) in m.time_off_days(world))


async def get_attendance_period(id: str):  # noqa: A002
    world = current().world
    return json_response(_render_attendance(world, _attendance(world, id)))


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


async def create_attendance_period(body: Any, skip_approval: bool = False):
    ctx, world, data, person = _write(body)
    fields = _attendance_fields(world, data)
    if _overlapping(world, person["id"], fields):
        raise e.v2_unprocessable("The attendance period overlaps another attendance period of the person.")
    now = ctx.clock.time()
    with world.transaction():
        table = world[m.ATTENDANCES]
        row = table.insert(
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
    return json_response({"id": row["id_v2"]}, 201)


async def update_attendance_period(id: str, body: Any, skip_approval: bool = False):  # noqa: A002
    ctx = current()
    world = ctx.world
    row = _attendance(world, id)
    fields = _attendance_fields(world, body if isinstance(body, dict) else {}, row)
    if _overlapping(world, row["employee_id"], fields, ignore=row["id"]):
        raise e.v2_unprocessable("The attendance period overlaps another attendance period of the person.")
    with world.transaction():
        row = world[m.ATTENDANCES].update(
            row["id"], {**fields, "status": "confirmed" if skip_approval else "pending", "updated_at": ctx.clock.time()}
        )
    # "204 PATCH Valid request": https://developer.personio.de/reference/patch_v2-attendance-periods-id
    return no_content()


async def delete_attendance_period(id: str):  # noqa: A002
    world = current().world
    row = _attendance(world, id)
    with world.transaction():
        world[m.ATTENDANCES].delete(row["id"])
    return no_content()
