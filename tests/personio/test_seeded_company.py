"""A seeded company looks like one: a supervisor tree, org units, absences and attendances around today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from mocks.personio import domain as m

TODAY = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)  # a Wednesday


def _world(mocks):
    mocks.clock.freeze(TODAY)
    return mocks.world("personio")


def test_supervisors_form_a_tree_under_the_ceo(mocks):
    employees = {r["id"]: r for r in _world(mocks)[m.EMPLOYEES].values()}
    roots = [r["id"] for r in employees.values() if r["supervisor_id"] is None]
    assert roots == [2]
    for employee in employees.values():
        seen, current = set(), employee["id"]
        while employees[current]["supervisor_id"] is not None:
            assert current not in seen
            seen.add(current)
            current = employees[current]["supervisor_id"]
        assert current == 2
    managers = {r["supervisor_id"] for r in employees.values()} - {None}
    assert len(managers) >= 6  # department heads under the CEO and the CTO


def test_org_units_are_consistent(mocks):
    world = _world(mocks)
    for employee in world[m.EMPLOYEES].values():
        assert employee["office_id"] in world[m.OFFICES] and employee["department_id"] in world[m.DEPARTMENTS]
        assert employee["subcompany_id"] in world[m.SUBCOMPANIES]
        assert sum(pct for _, pct in employee["cost_centers"]) == 100
        if employee["team_id"] is not None:
            assert world[m.TEAMS].get(employee["team_id"])["department"] == employee["department_id"]
    statuses = {e["status"] for e in world[m.EMPLOYEES].values()}
    assert statuses == set(m.EMPLOYEE_STATUSES)


def test_absences_and_attendances_fall_on_working_days_around_today(mocks):
    world = _world(mocks)
    today = date(2026, 3, 11)
    recent = [p for p in world[m.TIME_OFFS].values() if p["id"] != 12345]
    assert any(date.fromisoformat(p["start_date"]) > today for p in recent)
    assert any(date.fromisoformat(p["start_date"]) < today for p in recent)
    for period in recent:
        assert date.fromisoformat(period["start_date"]).weekday() < 5
    days = {a["date"] for a in world[m.ATTENDANCES].values()}
    assert len(days) == 10 and max(days) == "2026-03-10" and min(days) >= (today - timedelta(days=15)).isoformat()
    assert all(date.fromisoformat(d).weekday() < 5 for d in days)
    categories = {t["category"] for t in world[m.TIME_OFF_TYPES].values()}
    assert categories <= set(m.TIME_OFF_CATEGORIES) and {"paid_vacation", "sick_leave", "offsite_work"} <= categories


def test_recruiting_pipeline(mocks):
    world = _world(mocks)
    positions = world[m.JOB_POSITIONS].values()
    assert {p["status"] for p in positions} == {"published", "unpublished", "archived"}
    applications = world[m.APPLICATIONS].values()
    assert {a["job_position_id"] for a in applications} <= {p["id"] for p in positions}
    assert any(a["phase"]["type"] == "custom" for a in applications)
