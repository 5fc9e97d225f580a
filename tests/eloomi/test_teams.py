"""Teams (the later reference's create-team; GET/PATCH/DELETE /v3/teams/{id} as real clients use them)."""

from __future__ import annotations

import pytest

from .conftest import assert_no_content, envelope

TEAM_FIELDS = ["id", "name", "description", "users", "leaders", "custom_attributes"]


def _participant_ids(eloomi, course_id: int) -> set[int]:
    return {p["user_id"] for p in eloomi.data(eloomi.get(f"/v3/courses/{course_id}/participants"))}


def test_seeded_teams(eloomi):
    teams = eloomi.data(eloomi.get("/v3/teams"))
    assert eloomi.get("/v3/teams").json()["extended_message"] == "Showing all teams."
    assert all(list(t) == TEAM_FIELDS for t in teams)
    by_id = {t["id"]: t for t in teams}
    assert {6, 12, 13} <= set(by_id) and by_id[6]["name"] == "All employees"
    assert 40 in by_id[6]["users"] and 40 in by_id[12]["users"] and 40 in by_id[13]["users"]
    users = eloomi.data(eloomi.get("/v3/users"))
    for team in teams:
        assert team["users"] == [u["id"] for u in users if team["id"] in (u["team_id"] or [])]


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_create_with_members_leaders_attributes_and_courses(eloomi, form):
    user = eloomi.data(eloomi.get("/v3/users/2"))
    before = {p["user_id"]: p for p in eloomi.data(eloomi.get("/v3/courses/5/participants"))}
    newcomers = {1, 2, 40} - set(before)
    assert newcomers
    body = {
        "name": "Pilots",
        "description": "First wave",
        "user_ids": [1, 999999],
        "employee_ids": [user["employee_id"]],
        "user_emails": ["5642@eloomi.com"],
        "leader_ids": [1],
        "custom_attributes": {"cost_center": "CC-1"},
        "course_ids": {"5": {"deadline": "2031-01-31", "required": True}, "999": {"required": 1}},
        "program_ids": {"3": {"notify": False}},
    }
    if form:
        body = {
            "name": "Pilots",
            "description": "First wave",
            "user_ids[]": ["1", "999999"],
            "employee_ids[]": user["employee_id"],
            "user_emails": "5642@eloomi.com",
            "leader_ids[]": "1",
            "custom_attributes[cost_center]": "CC-1",
            "course_ids[5][deadline]": "2031-01-31",
            "course_ids[5][required]": "1",
            "course_ids[999][required]": "1",
            "program_ids[3][notify]": "0",
        }
    response = eloomi.send("POST", "/v3/teams", body, form=form)
    team = eloomi.data(response)
    assert response.json()["extended_message"] == "Team created"
    assert team == {
        "id": team["id"],
        "name": "Pilots",
        "description": "First wave",
        "users": sorted([1, 2, 40]),
        "leaders": [1],
        "custom_attributes": {"cost_center": "CC-1"},
    }
    assert team["id"] not in (6, 12, 13) and team["id"] > 13
    after = {p["user_id"]: p for p in eloomi.data(eloomi.get("/v3/courses/5/participants"))}
    assert {1, 2, 40} <= set(after)
    for user_id in newcomers:  # assigned through the team, on the team's terms
        assert (after[user_id]["deadline"], after[user_id]["required"], after[user_id]["progress"]) == (
            "2031-01-31",
            1,
            "0.00",
        )
    assert {k: v for k, v in after.items() if k in before} == before  # earlier assignments stay as they were


def test_name_is_required(eloomi, mocks):
    before = mocks.world("eloomi").dump()["collections"]
    for body in ({}, {"name": ""}, {"description": "x"}):
        response = eloomi.send("POST", "/v3/teams", body)
        assert response.json() == envelope(400, "Request contained invalid data", "The name field is required.")
    assert eloomi.send("PATCH", "/v3/teams/6", {"name": "  "}).json() == envelope(
        400, "Request contained invalid data", "The name field is required."
    )
    assert mocks.world("eloomi").dump()["collections"] == before


def test_patch_members_overwrites(eloomi):
    response = eloomi.send("PATCH", "/v3/teams/12", {"user_ids": [1, 2]})
    assert response.json()["extended_message"] == "Team updated"
    assert eloomi.data(response)["users"] == [1, 2]
    assert 12 not in eloomi.data(eloomi.get("/v3/users/40"))["team_id"]
    assert 12 in eloomi.data(eloomi.get("/v3/users/1"))["team_id"]
    unchanged = eloomi.data(eloomi.send("PATCH", "/v3/teams/12", {"description": "Q3"}))
    assert (unchanged["users"], unchanged["description"]) == ([1, 2], "Q3")


def test_team_courses_reach_members_who_join_later(eloomi):
    eloomi.send("PATCH", "/v3/teams/13", {"course_ids": {"10": {"deadline": "2031-06-30", "required": 1}}})
    assert {u for u in eloomi.data(eloomi.get("/v3/teams/13"))["users"]} <= _participant_ids(eloomi, 10)
    newcomer = next(
        u
        for u in eloomi.data(eloomi.get("/v3/users"))
        if 13 not in (u["team_id"] or []) and u["id"] not in _participant_ids(eloomi, 10) and u["employee_id"]
    )
    eloomi.send("PUT", f"/v3/users-employee_id/{newcomer['employee_id']}/teams/13")
    joined = {p["user_id"]: p for p in eloomi.data(eloomi.get("/v3/courses/10/participants"))}[newcomer["id"]]
    assert (joined["deadline"], joined["required"], joined["progress"]) == ("2031-06-30", 1, "0.00")


def test_delete_team(eloomi):
    assert eloomi.send("DELETE", "/v3/teams/6").json() == envelope(200, "The team was deleted.", "")
    assert_no_content(eloomi.get("/v3/teams/6"))
    assert eloomi.data(eloomi.get("/v3/users/40"))["team_id"] == [12, 13]


@pytest.mark.parametrize(
    "body, extended",
    [
        ({"name": "T", "user_ids": "1"}, "The user ids must be an array."),
        ({"name": "T", "course_ids": {"5": {"deadline": "soon"}}}, "The course ids.5.deadline is not a valid date."),
        (
            {"name": "T", "course_ids": {"5": {"required": "maybe"}}},
            "The course ids.5.required field must be true or false.",
        ),
        ({"name": "T", "custom_attributes": ["a"]}, "The custom attributes must be an array."),
    ],
)
def test_bad_values(eloomi, body, extended):
    assert eloomi.send("POST", "/v3/teams", body).json() == envelope(400, "Request contained invalid data", extended)
