"""The Python layer a project uses: MockServer without pytest, the fixture's clock helper, the pytest plugin in a
project that runs pytest with `-W error`."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

NO_PYTEST = """
import sys, json, urllib.request
sys.modules["pytest"] = None          # importing pytest now fails
from mocks.testing import MockServer, intercept
with MockServer() as server, intercept(server):
    health = json.load(urllib.request.urlopen(server.url + "/_mocks/health"))
    # the default company's career site (an unknown company's is a 301 to personio.de)
    feed = urllib.request.urlopen("https://default.jobs.personio.de/xml").status
print(health["status"], feed, "pytest" in sys.modules and sys.modules["pytest"] is not None)
"""


def test_mock_server_runs_without_pytest():
    done = subprocess.run([sys.executable, "-c", NO_PYTEST], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "200", "False"]


PROJECT_TEST = """
import httpx

def test_uses_the_fixture(mocks):
    mocks.clock.freeze("2030-01-01T00:00:00Z")
    mocks.clock.advance("PT1H")
    with mocks.intercept():
        token = httpx.post("https://acme.piwik.pro/auth/token", json={
            "grant_type": "client_credentials", "client_id": "piwik-pro-mock-owner",
            "client_secret": "piwik-pro-mock-owner-secret"})
    assert token.status_code == 200
    assert mocks.journal(vendor="piwik_pro")[-1].status == 200
    assert mocks.clock.state()["now"] == "2030-01-01T01:00:00Z"

def test_fresh_state_next_time(mocks):
    assert mocks.journal() == [] and not mocks.clock.frozen
"""


def test_a_project_running_pytest_with_warnings_as_errors_can_use_the_fixture(tmp_path):
    (tmp_path / "test_project.py").write_text(PROJECT_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # the project's own (empty) configuration, not ours
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-W",
            "error",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout and "warning" not in done.stdout.lower()


# -- the clock helper takes what the admin API takes ------------------------------------------------------------


def test_clock_helper_takes_durations_and_instants_as_text(mocks):
    mocks.clock.freeze("2026-03-01T10:00:00Z")
    mocks.clock.advance("PT1H30M")
    mocks.clock.advance(-60)
    mocks.clock.advance("-PT30S")
    assert mocks.clock.state()["now"] == "2026-03-01T11:28:30Z"
    mocks.clock.set("2027-01-01T00:00:00+02:00")
    assert mocks.clock.state()["now"] == "2026-12-31T22:00:00Z"


@pytest.mark.parametrize(
    "move, value",
    [
        ("advance", "inf"),
        ("advance", math.nan),
        ("advance", math.inf),
        ("advance", 1e300),
        ("advance", "-P99999999D"),
        ("advance", "P9999999D"),
        ("advance", "soon"),
        ("advance", True),
        ("set", "10000-01-01T00:00:00Z"),
        ("set", "0001-01-01T00:00:00+01:00"),
        ("set", "1969-12-31T23:59:59Z"),
        ("set", "9900-01-01T00:00:00Z"),
        ("freeze", "nope"),
        ("set", None),
    ],
)
def test_clock_helper_refuses_what_the_admin_api_refuses(mocks, move, value):
    mocks.clock.freeze("2026-03-01T10:00:00Z")
    with pytest.raises(ValueError):
        getattr(mocks.clock, move)(value)
    assert mocks.clock.state() == {"now": "2026-03-01T10:00:00Z", "epoch": 1772359200.0, "frozen": True}


def test_clock_edges_of_the_range(mocks):
    mocks.clock.freeze("9899-12-31T23:00:00Z")
    mocks.clock.advance("PT59M59S")
    assert mocks.clock.state()["now"] == "9899-12-31T23:59:59Z"
    with pytest.raises(ValueError, match=r"within 1970-01-01T00:00:00Z \.\. 9899-12-31T23:59:59Z"):
        mocks.clock.advance(1)
    mocks.clock.set("1970-01-01T00:00:00Z")
    with pytest.raises(ValueError, match="within 1970"):
        mocks.clock.advance(-1)
    assert mocks.clock.state()["now"] == "1970-01-01T00:00:00Z"


def test_fixture_reset_goes_through_suite_reset(mocks, monkeypatch):
    calls = []
    monkeypatch.setattr(mocks.suite, "reset", lambda *a: calls.append(a))
    mocks.reset()
    assert calls == [()]


@pytest.mark.parametrize(
    "spec",
    [
        {"status": 500, "method": 5},
        {"status": 101},
        {"status": 500, "times": 0},
        {"status": 500, "headers": {"X": "a\nb"}},
        {"status": 500, "colour": "red"},
    ],
)
def test_fault_helper_checks_what_the_admin_api_checks(mocks, spec):
    with pytest.raises(ValueError):
        mocks.fault("tasq", **spec)
    assert mocks.suite.faults.list() == []
