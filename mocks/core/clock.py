"""The virtual clock: every timestamp, token lifetime and rate window reads it.

It flows with real time by default, starting at the real "now", and can be frozen, set and
advanced so a test can expire a token or empty a rate window without sleeping.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta, timezone

_DURATION = re.compile(
    r"^(?P<sign>[-+])?P(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(value: str | int | float) -> float:
    """Seconds in an ISO-8601 duration (`PT1H`, `P1DT2M`, `-PT30S`) or a plain number of seconds."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().upper()
    try:
        return float(text)
    except ValueError:
        pass
    match = _DURATION.match(text)
    if not match or text in ("P", "PT", "-P", "+P") or text.endswith("T"):
        raise ValueError(f"not an ISO-8601 duration: {value!r}")
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    seconds = timedelta(
        days=parts.get("days", 0), hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0), seconds=parts.get("seconds", 0),
    ).total_seconds()
    return -seconds if match.group("sign") == "-" else seconds


def parse_instant(value: str) -> datetime:
    """An ISO-8601 instant; a naive value is read as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(timezone.utc)


class VirtualClock:
    """Virtual time = an anchor instant plus the real time elapsed since it was set (unless frozen)."""

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._anchor = (start or datetime.now(timezone.utc)).timestamp()
        self._anchored_at = time.monotonic()
        self._frozen = frozen

    # -- reading -------------------------------------------------------------------------
    def time(self) -> float:
        """Seconds since the Unix epoch, virtual."""
        if self._frozen:
            return self._anchor
        return self._anchor + (time.monotonic() - self._anchored_at)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), timezone.utc)

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

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._reanchor(instant.timestamp())

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._reanchor(self.time() + seconds)

    def freeze(self, instant: datetime | None = None) -> None:
        with self._lock:
            self._reanchor(instant.timestamp() if instant else self.time())
            self._frozen = True

    def restart(self) -> None:
        """Flowing again from the real now (a fresh start: what a new clock would read)."""
        with self._lock:
            self._reanchor(datetime.now(timezone.utc).timestamp())
            self._frozen = False

    def unfreeze(self) -> None:
        with self._lock:
            self._reanchor(self.time())
            self._frozen = False
