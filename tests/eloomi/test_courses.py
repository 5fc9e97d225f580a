"""Courses, participants (with extended_mode) and course assignment.

Source: the later reference, https://apidocs.eloomi.com/v3/reference/courses/create-course-assignment and its
resources https://apidocs.eloomi.com/v3/resources/coursessuccess, .../coursesuccess and .../participantssuccess.
"""

from __future__ import annotations

import pytest

from mocks.core.specs import parsed_spec

from .conftest import envelope

# the key order the spec documents (components/schemas; its Participant lists the extended_mode keys too)
_SCHEMAS = parsed_spec("eloomi.yaml")["components"]["schemas"]
COURSE_FIELDS = list(_SCHEMAS["Course"]["properties"])
PARTICIPANT_FIELDS = list(_SCHEMAS["Participant"]["required"])
EXTENDED_FIELDS = list(_SCHEMAS["Participant"]["properties"])


def test_courses(eloomi):
    listing = eloomi.get("/v3/courses").json()
    assert listing["extended_message"] == "Showing all courses."
    courses = listing["data"]
    assert len(courses) == 12 and all(list(c) == COURSE_FIELDS for c in courses)
    assert eloomi.get("/v3/courses/3").json() == envelope(200, None, "Showing the course.", data=courses[2])


def _all_participants(eloomi, **params) -> list[dict]:
    return [p for c in range(1, 13) for p in eloomi.data(eloomi.get(f"/v3/courses/{c}/participants", **params))]


def test_participants_at_every_stage(eloomi):
    plain, extended = _all_participants(eloomi), _all_participants(eloomi, extended_mode=1)
    assert all(list(p) == PARTICIPANT_FIELDS for p in plain)
    assert all(list(p) == EXTENDED_FIELDS for p in extended)
    assert [{k: p[k] for k in PARTICIPANT_FIELDS} for p in extended] == plain
    by_status: dict[str, list[dict]] = {}
    for p in extended:
        by_status.setdefault(p["status"], []).append(p)
    assert set(by_status) == {"completed", "not_started", "started"}
    for p in by_status["not_started"]:
        assert (p["started_at"], p["completed_at"], p["progress"], p["attempts"]) == (None, None, "0.00", 0)
    for p in by_status["started"]:
        assert p["started_at"] and p["completed_at"] is None and 0 < float(p["progress"]) < 100
    for p in by_status["completed"]:
        assert p["assigned_at"] <= p["started_at"] <= p["completed_at"] and p["progress"] == "100.00"
    assert any(p["renewal_at"] for p in by_status["completed"])


@pytest.mark.parametrize(
    "value, extended", [("1", True), ("true", True), ("yes", True), ("0", False), ("false", False), ("", False)]
)
def test_extended_mode_values(eloomi, value, extended):
    first = eloomi.data(eloomi.get("/v3/courses/1/participants", extended_mode=value))[0]
    assert ("status" in first) is extended


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_assign_a_course_then_again(eloomi, mocks, form):
    mocks.clock.freeze()
    course = 2
    user = next(
        u["id"]
        for u in eloomi.data(eloomi.get("/v3/users"))
        if u["id"] not in {p["user_id"] for p in eloomi.data(eloomi.get(f"/v3/courses/{course}/participants"))}
    )
    body = {"deadline": "2031-03-01", "required": 1, "customAttributes": {"source": "HR"}}
    if form:
        body = {"deadline": "2031-03-01", "required": "1", "customAttributes[source]": "HR"}
    response = eloomi.send("POST", f"/v3/courses/{course}/participants/{user}", body, form=form)
    now = mocks.clock.now().strftime("%Y-%m-%d %H:%M:%S")
    expected = {
        "assigned_at": now,
        "attempts": 0,
        "completed_at": None,
        "course_id": course,
        "deadline": "2031-03-01",
        "progress": "0.00",
        "required": 1,
        "score": "0.00",
        "started_at": None,
        "time_spent": 0,
        "user_id": user,
    }
    assert response.json() == envelope(200, None, "Course assignment created.", data=expected)
    assert expected in eloomi.data(eloomi.get(f"/v3/courses/{course}/participants"))
    again = eloomi.send("POST", f"/v3/courses/{course}/participants/{user}", {"required": 0})
    assert eloomi.data(again) == {**expected, "required": 0}
    assert eloomi.data(eloomi.send("POST", f"/v3/courses/{course}/participants/{user}"))["required"] == 0


@pytest.mark.parametrize(
    "course, user, body, extended",
    [
        ("999", "1", {}, "No course found with that id"),
        ("1", "999999", {}, "No user found with that id"),
        ("1", "x", {}, "No user found with that id"),
        ("1", "1", {"deadline": "next week"}, "The deadline is not a valid date."),
        ("1", "1", {"required": 2}, "The required field must be true or false."),
    ],
)
def test_assignment_errors(eloomi, mocks, course, user, body, extended):
    before = mocks.world("eloomi").dump()["collections"]
    response = eloomi.send("POST", f"/v3/courses/{course}/participants/{user}", body)
    assert response.json() == envelope(400, "Invalid input", extended)
    assert mocks.world("eloomi").dump()["collections"] == before
