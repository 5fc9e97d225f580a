"""The virtual clock: every timestamp, token lifetime and rate window reads it.

It flows with real time by default, starting at the real "now", and can be frozen, set and
advanced so a test can expire a token or empty a rate window without sleeping. It only ever holds finite
instants from 1970-01-01T00:00:00Z to 9899-12-31T23:59:59Z: a move that would leave that range is refused
with a ValueError and changes nothing. `reset()` returns it to how it was created.

Why that range and not all of years 1-9999 (what datetime and the vendors' date formats can render): worlds
hold dates around the clock (birth dates decades back, token and contract expiries years ahead), so the clock
keeps a century clear of year 9999; and rate windows, token claims (`iat`, `exp`) and the journal count epoch
seconds, which the engine and JWTs take as non-negative, so it starts at the Unix epoch (before it, every
rate-limited vendor answered 429 at once and PERSCOM rendered three-digit years).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(
    r"^(?P<sign>[-+])?P(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


# The range the clock may hold, as epoch seconds (see the module's docstring).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(9899, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()
RANGE_TEXT = "1970-01-01T00:00:00Z .. 9899-12-31T23:59:59Z"
_SPAN = LATEST - EARLIEST  # no move larger than this can land in range


def parse_duration(value: str | int | float) -> float:
    """Seconds in an ISO-8601 duration (`PT1H`, `P1DT2M`, `-PT30S`) or a plain number of seconds; finite and
    no longer than the clock's whole range (ValueError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, str):
        seconds = _duration_text(value)
    else:
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
    if not math.isfinite(seconds) or abs(seconds) > _SPAN:
        raise ValueError(f"duration out of range (at most {_SPAN:.0f} seconds either way): {value!r}")
    return seconds


def _duration_text(value: str) -> float:
    text = value.strip().upper()
    if re.fullmatch(r"[-+]?\d+(\.\d+)?", text):  # plain seconds; no "inf", "nan" or exponents
        return float(text)
    match = _DURATION.match(text)
    if not match or text in ("P", "PT", "-P", "+P") or text.endswith("T"):
        raise ValueError(f"not an ISO-8601 duration: {value!r}")
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    try:
        seconds = timedelta(
            days=parts.get("days", 0),
            hours=parts.get("hours", 0),
            minutes=parts.get("minutes", 0),
            seconds=parts.get("seconds", 0),
        ).total_seconds()
    except OverflowError:
        seconds = math.inf
    return -seconds if match.group("sign") == "-" else seconds


def parse_instant(value: str) -> datetime:
    """An ISO-8601 instant (UTC once converted); a naive value is read as UTC."""
    if not isinstance(value, str):
        raise ValueError(f"not an ISO-8601 instant: {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        instant = datetime.fromisoformat(text)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset pushing year 1 or 9999 out of range
        raise ValueError(f"not an ISO-8601 instant: {value!r}") from None


def _epoch(instant: datetime | str | float) -> float:
    """Epoch seconds of an instant given as a datetime, ISO-8601 text or epoch seconds, within range."""
    if isinstance(instant, str):
        instant = parse_instant(instant)
    if isinstance(instant, datetime):
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        seconds = instant.timestamp()
    elif isinstance(instant, (int, float)) and not isinstance(instant, bool):
        seconds = float(instant)
    else:
        raise ValueError(f"not an instant: {instant!r}")
    _in_range(seconds)
    return seconds


def _in_range(seconds: float) -> None:
    if not (math.isfinite(seconds) and EARLIEST <= seconds <= LATEST):
        raise ValueError(f"the clock must stay within {RANGE_TEXT}")


class VirtualClock:
    """Virtual time = an anchor instant plus the real time elapsed since it was set (unless frozen)."""

    def __init__(self, start: datetime | str | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._anchor = _epoch(start) if start is not None else datetime.now(UTC).timestamp()
        self._anchored_at = time.monotonic()
        self._frozen = frozen
        self._start = (self._anchor, self._anchored_at, frozen)  # what reset() returns to

    # -- reading -------------------------------------------------------------------------
    def time(self) -> float:
        """Seconds since the Unix epoch, virtual."""
        if self._frozen:
            return self._anchor
        # a flowing clock set just before the end of its range stops there rather than leave it
        now = self._anchor + (time.monotonic() - self._anchored_at)
        return now if now < LATEST else LATEST

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    @property
    def frozen(self) -> bool:
        return self._frozen

    def state(self) -> dict:
        now = self.now()
        return {"now": now.isoformat().replace("+00:00", "Z"), "epoch": self.time(), "frozen": self._frozen}

    # -- moving --------------------------------------------------------------------------
    def _reanchor(self, instant: float) -> None:
        self._anchor = instant
        self._anchored_at = time.monotonic()

    # Every move takes what the admin API takes: instants as datetimes or ISO-8601 text, durations as
    # seconds or ISO-8601 text (`clock.advance("PT1H")`). Out of range: ValueError, nothing moved.
    def set(self, instant: datetime | str) -> None:
        seconds = _epoch(instant)
        with self._lock:
            self._reanchor(seconds)

    def advance(self, seconds: float | str) -> None:
        delta = parse_duration(seconds)
        with self._lock:
            target = self.time() + delta
            _in_range(target)
            self._reanchor(target)

    def freeze(self, instant: datetime | str | None = None) -> None:
        seconds = None if instant is None else _epoch(instant)
        with self._lock:
            self._reanchor(self.time() if seconds is None else seconds)
            self._frozen = True

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """Several moves as one: if any raises, the clock is as it was before the first."""
        saved = (self._anchor, self._anchored_at, self._frozen)
        try:
            yield
        except BaseException:
            with self._lock:
                self._anchor, self._anchored_at, self._frozen = saved
            raise

    def reset(self) -> None:
        """Back to the start configuration: the instant it was created with, frozen if it was; a clock that
        was flowing reads what it would have read had nothing moved it."""
        with self._lock:
            self._anchor, self._anchored_at, self._frozen = self._start

    # -- one clock shared by several processes (clock_redis.py) ----------------------------
    # A shared position is (anchor, at, frozen): the virtual instant `anchor` at wall-clock instant `at`,
    # flowing from there unless frozen. Wall clocks are the processes' time.time() corrected to one reference.
    def position(self, wall_now: float) -> tuple[float, float, bool]:
        """This clock's position, anchored at the wall-clock instant `wall_now`."""
        return self.time(), wall_now, self._frozen

    def adopt(self, position: tuple[float, float, bool], wall_now: float, *, start: bool = False) -> None:
        """Read as `position` does at `wall_now` from now on (with `start`: reset() returns there too)."""
        anchor, at, frozen = position
        if not frozen:
            anchor = min(anchor + (wall_now - at), LATEST)
        with self._lock:
            self._anchor, self._anchored_at, self._frozen = anchor, time.monotonic(), frozen
            if start:
                self._start = (self._anchor, self._anchored_at, frozen)

    def restart(self) -> None:
        """Flowing again from the real now (a fresh start: what a new clock would read)."""
        with self._lock:
            self._reanchor(datetime.now(UTC).timestamp())
            self._frozen = False

    def unfreeze(self) -> None:
        with self._lock:
            self._reanchor(self.time())
            self._frozen = False
