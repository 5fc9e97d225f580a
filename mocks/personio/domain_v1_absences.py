"""v1 time-offs (day-based) and absence periods (hour-based): the filters, the fields a new period needs (checked
like Laravel's validator), the employee/type/overlap rules and the writes (personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mocks.core.pagination import offset_page
from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import errors as e
from .domain import as_int, form_bool
from .errors import invalid, message
from .seed import absence_period_row, overlaps, time_off_row

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def time_off_types(world: World, offset: int, limit: int) -> list[Row]:
    return offset_page(world[m.TIME_OFF_TYPES].values(), offset, limit).items


# -- filters ---------------------------------------------------------------------------------------
def check_date_filters(start_date: str | None, end_date: str | None, *, documented_400: bool = False) -> None:
    if start_date and end_date and end_date < start_date:
        text = message("after_or_equal", "end_date", "start_date")
        raise e.absence_periods_bad_request(text) if documented_400 else invalid({"end_date": [text]})


def filter_instant(
    name: str, value: str | None, *, date_only: bool = False, end_of_day: bool = False, documented_400: bool = False
) -> float | None:
    """A filter instant (the first or, with end_of_day, the last second of a day); the endpoint's validation
    error when it is none."""
    if value is None or (date_only and value == ""):
        return None
    instant = (
        dates.parse_filter_instant(value, end_of_day=end_of_day)
        if not date_only or dates.is_date(value, any_year=True)
        else None
    )
    if instant is None:
        text = message("date", name)
        raise e.absence_periods_bad_request(text) if documented_400 else invalid({name: [text]})
    return instant


def _intersects(row: Row, start_date: str | None, end_date: str | None) -> bool:
    return (start_date is None or row["end_date"] >= start_date) and (end_date is None or row["start_date"] <= end_date)


@dataclass(frozen=True)
class PeriodFilters:
    """The query filters GET /company/time-offs and GET /company/absence-periods share."""

    start_date: str | None = None
    end_date: str | None = None
    updated_from: str | None = None
    updated_to: str | None = None
    employees: list[int] | None = None


def _shared_filters(f: PeriodFilters, *, hourly: bool) -> Callable[[Row], bool]:
    """The rows the shared filters select. Time-offs take days (a bad one is Laravel's 422; `updated_to` covers
    its whole day); absence periods take date-times too (a bad one is the documented 400)."""
    if hourly:
        since = filter_instant("updated_from", f.updated_from, documented_400=True)
        until = filter_instant("updated_to", f.updated_to, documented_400=True)
    else:
        since = filter_instant("updated_from", f.updated_from, date_only=True)
        until = filter_instant("updated_to", f.updated_to, date_only=True, end_of_day=True)
    people = set(f.employees or [])

    def selected(r: Row) -> bool:
        updated = r["updated_at"]
        return (
            _intersects(r, f.start_date, f.end_date)
            and (not people or r["employee_id"] in people)
            and (since is None or updated >= since)
            and (until is None or (updated <= until if hourly else updated < until + 1))
        )

    return selected


def time_offs(world: World, filters: PeriodFilters) -> list[Row]:
    """GET /company/time-offs: the periods the filters select (a bad filter is Laravel's 422)."""
    check_date_filters(filters.start_date, filters.end_date)
    selected = _shared_filters(filters, hourly=False)
    return [r for r in world[m.TIME_OFFS].values() if selected(r)]


def absence_periods(
    world: World, filters: PeriodFilters, absence_types: list[str] | None, ids: list[str] | None
) -> list[Row]:
    """GET /company/absence-periods: the periods the filters select (a bad filter is the documented 400)."""
    check_date_filters(filters.start_date, filters.end_date, documented_400=True)
    known = {t["absence_type_id"]: t["id"] for t in world[m.TIME_OFF_TYPES].values() if t["absence_type_id"]}
    type_ids = set()
    for wanted in absence_types or []:
        if wanted not in known:
            raise e.absence_types_not_found()
        type_ids.add(known[wanted])
    selected = _shared_filters(filters, hourly=True)  # after the type check: its error comes first
    chosen = set(ids or [])
    return [
        r
        for r in world[m.ABSENCE_PERIODS].values()
        if selected(r) and (not type_ids or r["time_off_type_id"] in type_ids) and (not chosen or r["id"] in chosen)
    ]


# -- creating periods ------------------------------------------------------------------------------
def period_fields(body: Any, *, hourly: bool) -> dict[str, Any]:
    """The form or JSON fields, checked like the Laravel validator does (every failure, all fields)."""
    data = body if isinstance(body, dict) else {}
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    for name in ("employee_id", "time_off_type_id"):
        value = data.get(name)
        if value is None or value == "":
            errors[name] = [message("required", name)]
        elif as_int(value) is None:
            errors[name] = [message("integer", name)]
        else:
            fields[name] = as_int(value)
    for name in ("start_date", "end_date"):
        value = data.get(name)
        if value is None or value == "":
            errors[name] = [message("required", name)]
        elif not dates.is_date(value):
            errors[name] = [message("date", name)]
        else:
            fields[name] = value
    if "start_date" in fields and "end_date" in fields and fields["end_date"] < fields["start_date"]:
        errors["end_date"] = [message("after_or_equal", "end_date", "start_date")]
    for name in ("half_day_start", "half_day_end", "skip_approval"):
        required = not hourly and name != "skip_approval"
        value = form_bool(data.get(name), None if required else (True if name == "skip_approval" else False))
        if value is None:
            errors[name] = [message("required" if data.get(name) in (None, "") else "boolean", name)]
        else:
            fields[name] = value
    comment = data.get("comment")
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = [message("string", "comment")]
    fields["comment"] = comment or None
    if hourly:
        same_day = fields.get("start_date") is not None and fields.get("start_date") == fields.get("end_date")
        for name in ("start_time", "end_time"):
            value = data.get(name)
            if value in (None, ""):
                if same_day:
                    errors[name] = [
                        f"The {name.replace('_', ' ')} field is required when start date and end date are the same."
                    ]
                fields[name] = None
            elif not dates.is_time(value):
                errors[name] = [message("format", name, "H:i")]
            else:
                fields[name] = value if same_day else None
        if (
            same_day
            and fields.get("start_time")
            and fields.get("end_time")
            and dates.minutes(fields["end_time"]) <= dates.minutes(fields["start_time"])
        ):
            errors["end_time"] = ["The end time must be a date after start time."]
    if errors:
        raise e.failed_to_pass_validation(errors)
    return fields


def _status(kind: Row, skip_approval: bool) -> str:
    return "pending" if kind["approval_required"] and not skip_approval else "approved"


def _employee_and_type(world: World, fields: dict[str, Any], unit: str, type_not_found: Callable[[], Any]) -> Row:
    """The checks both absence APIs run before any overlap: the employee exists, then the time-off type
    exists and is counted in `unit` (days: time-offs, hours: absence periods), else that API's 404."""
    if fields["employee_id"] not in world[m.EMPLOYEES]:
        raise e.absence_employee_not_found()
    kind = world[m.TIME_OFF_TYPES].get(fields["time_off_type_id"])
    if kind is None or kind["unit"] != unit:
        raise type_not_found()
    return kind


def create_time_off(world: World, fields: dict[str, Any], now: float) -> Row:
    """A day-based period from checked fields; one overlapping a period of the employee that is not rejected
    is refused."""
    kind = _employee_and_type(world, fields, "day", e.time_off_type_not_found)
    taken = [
        (p["start_date"], p["end_date"])
        for p in world[m.TIME_OFFS].values()
        if p["employee_id"] == fields["employee_id"] and p["status"] != "rejected"
    ]
    if overlaps(taken, fields["start_date"], fields["end_date"]):
        raise e.time_off_insert_failed()
    with world.transaction():
        periods = world[m.TIME_OFFS]
        return periods.insert(
            time_off_row(
                periods.next_id(),
                world.rnd.uuid4(),
                fields["employee_id"],
                kind["id"],
                fields["start_date"],
                fields["end_date"],
                fields["half_day_start"],
                fields["half_day_end"],
                _status(kind, fields["skip_approval"]),
                fields["comment"],
                now,
                "API",
            )
        )


def time_off_of(world: World, period_id: str) -> Row:
    row = world[m.TIME_OFFS].get(as_int(period_id)) if as_int(period_id) is not None else None
    if row is None:
        raise e.absence_period_not_found()
    return row


def delete_time_off(world: World, period_id: str) -> None:
    number = as_int(period_id)
    if number is None or number < 1:
        raise e.absence_period_id_invalid()
    row = time_off_of(world, period_id)
    with world.transaction():
        world[m.TIME_OFFS].delete(row["id"])


def create_absence_period(world: World, fields: dict[str, Any], now: float) -> Row:
    """An hour-based period from checked fields; one overlapping a period of the employee that is not rejected
    is refused."""
    kind = _employee_and_type(world, fields, "hour", e.absence_type_not_found)
    with world.transaction():
        row = absence_period_row(
            world,
            world.rnd.uuid4(),
            fields["employee_id"],
            kind["id"],
            fields["start_date"],
            fields["end_date"],
            fields["start_time"],
            fields["end_time"],
            fields["half_day_start"],
            fields["half_day_end"],
            _status(kind, fields["skip_approval"]),
            fields["comment"],
            "api",
            None,
            now,
        )
        mine = [
            p
            for p in world[m.ABSENCE_PERIODS].values()
            if p["employee_id"] == fields["employee_id"] and p["status"] != "rejected"
        ]
        if any(p["start"] < row["end"] and row["start"] < p["end"] for p in mine):
            raise e.time_off_insert_failed()
        world[m.ABSENCE_PERIODS].insert(row)
    return row


def delete_absence_period(world: World, period_id: str) -> None:
    if not _UUID.match(period_id):
        raise e.absence_period_id_invalid()
    if period_id not in world[m.ABSENCE_PERIODS]:
        raise e.absence_period_not_found()
    with world.transaction():
        world[m.ABSENCE_PERIODS].delete(period_id)
