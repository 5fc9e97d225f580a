"""Personio's date and time formats. Every API renders instants differently (the examples of
personio-personnel-data-api-oa3.yaml and of the v2 specs in tests/reference/personio/):

v1 employees    '2014-11-09T00:00:00+01:00'   company-local (Europe/Berlin), offset with colon
v1 time-offs    '2017-12-27T00:00:00+0100'    company-local, offset without colon
v1 attendances  '2017-01-17T16:41:08+00:00'   UTC, offset with colon
v1 absence periods  '2022-05-31T22:00:00.0Z' (start/end), '2022-06-20T14:29:56.510Z' (timestamps)
v2              '2017-07-21T17:32:28Z'        UTC

Rows keep instants as epoch seconds (UTC) and calendar dates as 'YYYY-MM-DD' strings. Europe/Berlin is
computed from the EU rule (CET, CEST from the last Sunday of March to the last Sunday of October, switching
at 01:00 UTC) so the mock needs no timezone database.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone

COMPANY_TIMEZONE = "Europe/Berlin"
_CET, _CEST = timedelta(hours=1), timedelta(hours=2)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only (fullmatch)
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
# The calendar days Personio's database stores (MySQL DATE: years 1000-9999), less the last year so that "the day
# after" of every accepted day exists (INFERRED bounds): other days cannot be written. Filters take every day of the
# documented formats (0001-9999).
MIN_YEAR, MAX_YEAR = 1000, 9998
_EPOCH = datetime(1970, 1, 1)


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


@functools.lru_cache(maxsize=64)
def _summer_window(year: int) -> tuple[float, float]:
    start = datetime.combine(_last_sunday(year, 3), datetime.min.time(), UTC) + timedelta(hours=1)
    end = datetime.combine(_last_sunday(year, 10), datetime.min.time(), UTC) + timedelta(hours=1)
    return start.timestamp(), end.timestamp()


def berlin_offset(epoch: float) -> timedelta:
    year = (_EPOCH + timedelta(seconds=epoch)).year
    start, end = _summer_window(year)
    return _CEST if start <= epoch < end else _CET


def berlin(epoch: float) -> datetime:
    """The instant as a company-local datetime (with its fixed offset)."""
    offset = berlin_offset(epoch)
    # computed on the local wall clock: no UTC intermediate that could leave the datetime range
    return (_EPOCH + timedelta(seconds=epoch + offset.total_seconds())).replace(tzinfo=timezone(offset))


def local_midnight(day: str) -> float:
    """Epoch of 00:00 company time on a calendar day."""
    return local_instant(day, "00:00")


def local_instant(day: str, hhmm: str) -> float:
    """Epoch of a company-local wall time (the earlier one when ambiguous)."""
    naive = datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=UTC)
    guess = naive.timestamp() - _CET.total_seconds()
    offset = berlin_offset(guess)
    return naive.timestamp() - offset.total_seconds()


# -- wire formats ------------------------------------------------------------------------------
def v1_datetime(epoch: float | None) -> str | None:
    """'2017-05-23T09:49:03+02:00' (employee attributes)."""
    return None if epoch is None else berlin(int(epoch)).isoformat()


def v1_date(day: str | None) -> str | None:
    """A calendar day as local midnight: '2014-11-09T00:00:00+01:00' (employee date attributes)."""
    return None if day is None else v1_datetime(local_midnight(day))


def compact_datetime(epoch: float) -> str:
    """'2017-01-17T10:32:18+0100' (time-off periods, projects)."""
    return berlin(int(epoch)).strftime("%Y-%m-%dT%H:%M:%S%z")


def compact_date(day: str) -> str:
    """'2017-12-27T00:00:00+0100' (time-off start/end dates)."""
    return compact_datetime(local_midnight(day))


def utc_offset_datetime(epoch: float) -> str:
    """'2017-01-17T16:41:08+00:00' (attendance updated_at)."""
    return datetime.fromtimestamp(int(epoch), UTC).isoformat()


def utc_z(epoch: float) -> str:
    """'2017-07-21T17:32:28Z' (v2, error timestamps)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_millis_z(epoch: float) -> str:
    """'2022-06-20T14:29:56.510Z' (absence period timestamps)."""
    millis = int(round(epoch * 1000))
    moment = datetime.fromtimestamp(millis // 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


def utc_tenths_z(epoch: float) -> str:
    """'2022-05-31T22:00:00.0Z' (absence period start/end, as the official example shows them)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%S.0Z")


# -- calendar ----------------------------------------------------------------------------------
def today(epoch: float) -> str:
    """The company-local calendar day of an instant."""
    return berlin(epoch).date().isoformat()


def add_days(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def days_between(start: str, end: str) -> list[str]:
    """Every calendar day from start to end, inclusive."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def is_working_day(day: str) -> bool:
    return date.fromisoformat(day).weekday() < 5


def working_days(start: str, end: str) -> list[str]:
    return [d for d in days_between(start, end) if is_working_day(d)]


def is_date(value: object, *, any_year: bool = False) -> bool:
    """'YYYY-MM-DD' of a real day between the years MIN_YEAR and MAX_YEAR (a day to store), or of any year the
    format allows (0001-9999) with `any_year` (a day to filter by)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    if not any_year and not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_time(value: object) -> bool:
    return isinstance(value, str) and bool(_TIME.fullmatch(value))


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(total_minutes: int) -> str:
    return f"{total_minutes // 60:02d}:{total_minutes % 60:02d}"


def parse_filter_instant(value: str, *, end_of_day: bool = False) -> float | None:
    """A v1 filter value: 'YYYY-MM-DD' or an ISO 8601 date-time with or without offset (company time when
    none), of any year 0001-9999 ("ISO 8601 (2022-12-24T08:15:30) or YYYY-MM-DD", personio-personnel-data-
    api-oa3.yaml `updated_since`). None when unparsable."""
    text = value.strip()
    if _DATE.fullmatch(text):
        if not is_date(text, any_year=True):
            return None
        if not MIN_YEAR <= int(text[:4]) <= MAX_YEAR:  # far from any data: UTC days (no zone rule at the edges)
            return _utc_day(text) + (86399 if end_of_day else 0)
        return local_midnight(add_days(text, 1)) - 1 if end_of_day else local_midnight(text)
    moment = _iso_datetime(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            return moment.replace(tzinfo=UTC).timestamp()
        return local_instant(moment.date().isoformat(), moment.strftime("%H:%M")) + moment.second
    return moment.timestamp()


def _utc_day(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


def _iso_datetime(text: str) -> datetime | None:
    """An ISO 8601 date-time (offset optional) of any year 0001-9999, else None."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_rfc3339(value: str) -> float | None:
    """A v2 date-time filter value, or None when it is not one."""
    moment = _iso_datetime(value.strip())
    if moment is None or moment.tzinfo is None:
        return None
    return moment.timestamp()
