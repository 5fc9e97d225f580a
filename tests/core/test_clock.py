from datetime import UTC, datetime

import pytest

from mocks.core.clock import VirtualClock, parse_duration, parse_instant


@pytest.mark.parametrize(
    "text, seconds",
    [("PT1H", 3600), ("P1DT2M", 86520), ("-PT30S", -30), ("PT1.5M", 90), ("90", 90), (15, 15), ("P2D", 172800)],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["P", "PT", "1H", "PT1X", "soon", True])
def test_parse_duration_rejects(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_parse_instant_defaults_to_utc():
    assert parse_instant("2026-01-01T00:00:00") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_instant("2026-01-01T02:00:00+02:00") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_instant("2026-01-01T00:00:00Z").tzinfo == UTC


def test_frozen_clock_moves_only_when_told():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = VirtualClock(start, frozen=True)
    assert clock.now() == start and clock.now() == start
    clock.advance(90)
    assert clock.time() == start.timestamp() + 90
    clock.set(datetime(2030, 5, 5, tzinfo=UTC))
    assert clock.now().year == 2030 and clock.frozen
    assert clock.state() == {"now": "2030-05-05T00:00:00Z", "epoch": clock.time(), "frozen": True}


def test_flowing_clock_keeps_its_offset():
    clock = VirtualClock(datetime(2026, 1, 1, tzinfo=UTC))
    first = clock.time()
    clock.advance(3600)
    assert clock.time() - first == pytest.approx(3600, abs=1)
    clock.freeze()
    frozen = clock.time()
    clock.unfreeze()
    assert clock.time() == pytest.approx(frozen, abs=1)


def test_restart_flows_again_from_the_real_now():
    clock = VirtualClock(datetime(2001, 1, 1, tzinfo=UTC), frozen=True)
    clock.restart()
    assert not clock.frozen
    assert clock.time() == pytest.approx(datetime.now(UTC).timestamp(), abs=5)
