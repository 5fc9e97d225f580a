"""Every top-level resource family through Orion's standard actions (ORION `ResourceRegistrar`; APP1
routes/api.php, `app/Models/*`, `app/Http/Requests/Api/*`), generated from one table."""

from __future__ import annotations

import pytest

from mocks.perscom.domain_resources import MODELS

from .conftest import invalid, not_found

# segment, model, a valid create body, the 422 of an empty create, an update
RESOURCES = [
    (
        "announcements",
        "Announcement",
        {"title": "Drill", "content": "Saturday 1900Z", "color": "info"},
        "The title field is required. (and 2 more errors)",
        {"title": "Drill moved"},
    ),
    (
        "assignment-records",
        "AssignmentRecord",
        {"user_id": 2, "type": "secondary", "unit_id": 4},
        "The user id field is required.",
        {"text": "Moved to Charlie Troop"},
    ),
    (
        "award-records",
        "AwardRecord",
        {"user_id": 2, "award_id": 3},
        "The user id field is required. (and 1 more error)",
        {"text": "For valor"},
    ),
    ("awards", "Award", {"name": "Army Service Ribbon"}, "The name field is required.", {"order": 9}),
    ("calendars", "Calendar", {"name": "Social"}, "The name field is required.", {"color": "#000000"}),
    (
        "categories",
        "Category",
        {"name": "Misc", "resource": "ranks"},
        "The name field is required. (and 1 more error)",
        {"description": "Everything else"},
    ),
    (
        "combat-records",
        "CombatRecord",
        {"user_id": 2, "text": "Operation Dawn"},
        "The user id field is required. (and 1 more error)",
        {"text": "Operation Dusk"},
    ),
    (
        "documents",
        "Document",
        {"name": "SOP", "content": "Standard operating procedures"},
        "The name field is required. (and 1 more error)",
        {"description": "Read me"},
    ),
    (
        "events",
        "Event",
        {"calendar_id": 1, "name": "Op", "start": "2030-01-01 18:00", "end": "2030-01-01T20:00:00Z", "all_day": False},
        "The name field is required. (and 4 more errors)",
        {"location": "Server 2"},
    ),
    (
        "forms",
        "Form",
        {"name": "Feedback", "slug": "feedback"},
        "The name field is required. (and 1 more error)",
        {"instructions": "Be honest"},
    ),
    ("groups", "Group", {"name": "Staff"}, "The name field is required.", {"hidden": True}),
    (
        "newsfeed",
        "Newsfeed",
        {"description": "Welcome aboard"},
        "The description field is required.",
        {"log_name": "custom"},
    ),
    ("positions", "Position", {"name": "Armorer"}, "The name field is required.", {"order": 3}),
    (
        "qualifications",
        "Qualification",
        {"name": "Combat Diver"},
        "The name field is required.",
        {"description": "Underwater"},
    ),
    (
        "qualification-records",
        "QualificationRecord",
        {"user_id": 2, "qualification_id": 1},
        "The user id field is required. (and 1 more error)",
        {"text": "Passed"},
    ),
    ("ranks", "Rank", {"name": "General"}, "The name field is required.", {"abbreviation": "GEN"}),
    (
        "rank-records",
        "RankRecord",
        {"user_id": 2, "rank_id": 8, "type": 0},
        "The user id field is required. (and 2 more errors)",
        {"text": "Promoted early"},
    ),
    (
        "service-records",
        "ServiceRecord",
        {"user_id": 2, "text": "Completed basic training"},
        "The user id field is required. (and 1 more error)",
        {"text": "Completed advanced training"},
    ),
    (
        "specialties",
        "Specialty",
        {"name": "Sniper", "abbreviation": "11S"},
        "The name field is required.",
        {"description": "Long range"},
    ),
    (
        "statuses",
        "Status",
        {"name": "Missing", "text_color": "#fff", "bg_color": "#000000"},
        "The name field is required. (and 2 more errors)",
        {"name": "Found"},
    ),
    ("submissions", "Submission", {"form_id": 1}, "The form id field is required.", {"user_id": 3}),
    ("tasks", "Task", {"title": "Report in"}, "The title field is required.", {"instructions": "Use the form"}),
    ("units", "Unit", {"name": "Delta Troop"}, "The name field is required.", {"order": 7}),
    (
        "users",
        "User",
        {"name": "Zed Alpha", "email": "zed@example.com"},
        "The name field is required. (and 1 more error)",
        {"approved": True},
    ),
]
IDS = [r[0] for r in RESOURCES]


def _visible(model: str) -> list[str]:
    m = MODELS[model]
    return [c.name for c in m.visible] + m.appends


@pytest.mark.parametrize("segment, model, body, empty_error, update", RESOURCES, ids=IDS)
def test_crud(admin, mocks, segment, model, body, empty_error, update):
    mocks.clock.freeze()
    listing = admin.get(f"/{segment}")
    assert listing.status_code == 200
    total = listing.json()["meta"]["total"]
    assert total > 0 and all(list(item) == _visible(model) for item in listing.json()["data"])

    created = admin.post(f"/{segment}", body)
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert list(data) == _visible(model)  # hidden columns never returned, table order
    for key, value in body.items():
        if key not in ("start", "end"):
            assert data[key] == value
    assert data["created_at"] == data["updated_at"] and data["created_at"].endswith(".000000Z")
    key = data["id"]
    assert admin.get(f"/{segment}").json()["meta"]["total"] == total + 1
    assert admin.get(f"/{segment}/{key}").json() == {"data": data}

    mocks.clock.advance(90)
    changed = admin.patch(f"/{segment}/{key}", update)
    assert changed.status_code == 200, changed.text
    after = changed.json()["data"]
    assert {k: after[k] for k in update} == update
    assert after["updated_at"] > data["updated_at"] and after["created_at"] == data["created_at"]
    put = admin.put(f"/{segment}/{key}", update)
    assert put.status_code == 200 and put.json()["data"]["updated_at"] == after["updated_at"]  # nothing dirty

    deleted = admin.delete(f"/{segment}/{key}")
    assert deleted.status_code == 200
    if MODELS[model].soft_deletes:
        gone = deleted.json()["data"]
        assert gone["deleted_at"] == gone["updated_at"] == after["updated_at"]
        trashed = admin.get(f"/{segment}/{key}", with_trashed="true")
        assert trashed.status_code == 200 and trashed.json()["data"]["deleted_at"] is not None
        assert admin.get(f"/{segment}", only_trashed="1").json()["data"][-1]["id"] == key
    assert admin.get(f"/{segment}/{key}").json() == not_found(model)
    assert admin.get(f"/{segment}").json()["meta"]["total"] == total

    assert admin.post(f"/{segment}", {}).json() == invalid(empty_error)


def test_destroying_a_trashed_row_is_a_bare_404(admin):
    assert admin.delete("/ranks/2").status_code == 200
    response = admin.delete("/ranks/2")
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "", "type": "NotFoundHttpException"}}


def test_force_delete(admin, mocks):
    response = admin.delete("/awards/8", params={"force": "true"})
    assert response.status_code == 200 and response.json()["data"]["id"] == 8
    gone = admin.get("/awards/8", with_trashed="true")
    assert (gone.status_code, gone.json()) == (404, not_found("Award"))


def test_user_object(admin, mocks):
    user = admin.get("/users/1").json()["data"]
    assert user["name"] == "John Doe" and user["email"] == "john@example.com"
    assert (user["position_id"], user["rank_id"], user["status_id"], user["unit_id"]) == (2, 5, 1, 3)
    assert user["approved"] is True and user["online"] is False
    assert user["url"] == "https://1st-cavalry.perscom.io/resources/users/1"
    assert user["relative_url"] == "/resources/users/1"
    assert user["profile_photo_url"] is None and user["deleted_at"] is None
    for hidden in ("password", "remember_token", "notes", "notes_updated_at", "data"):
        assert hidden not in user


def test_hidden_fields_are_writable_but_never_shown(admin):
    response = admin.patch("/users/2", {"notes": "Keep an eye on this one", "name": "  Jane  Smith  "})
    assert response.status_code == 200
    assert "notes" not in response.json()["data"]
    assert response.json()["data"]["name"] == "Jane  Smith"  # TrimStrings


def test_includes(admin):
    user = admin.get("/users/1", include="rank.image,unit,nonsense,rank_records,password").json()["data"]
    assert list(user)[-3:] == ["rank", "unit", "rank_records"]
    assert user["rank"]["id"] == 5 and user["rank"]["image"]["model_type"] == "App\\Models\\Rank"
    assert user["unit"]["name"] == "Bravo Troop"
    assert [r["user_id"] for r in user["rank_records"]] == [1] * len(user["rank_records"])
    records = admin.get("/rank-records", include="rank,user", limit=2).json()["data"]
    assert all(r["rank"]["id"] == r["rank_id"] and r["user"]["id"] == r["user_id"] for r in records)
    assert "unit" not in admin.get("/ranks/1", include="unit").json()["data"]  # not whitelisted: dropped
    groups = admin.get("/groups/2", include="units.users").json()["data"]
    assert [u["id"] for u in groups["units"]] == [2, 3, 4]
    assert groups["units"][0]["pivot"] == {"group_id": 2, "unit_id": 2}
    assert all(member["unit_id"] == 2 for member in groups["units"][0]["users"])


def test_me_is_paginated(admin):
    body = admin.get("/me").json()
    assert [u["id"] for u in body["data"]] == [1]
    assert body["meta"]["total"] == 1 and body["meta"]["path"].endswith("/perscom/v1/me")


def test_spec_is_public_yaml(http):
    response = http.get("/perscom/v1/spec.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/yaml; charset=UTF-8"
    assert response.text.split("\n")[2] == "openapi: 3.0.3"


def test_event_appends_follow_the_clock(admin, mocks):
    mocks.clock.freeze()
    event = admin.post(
        "/events",
        {"calendar_id": 1, "name": "Op", "start": "2030-01-01 18:00", "end": "2030-01-01 20:00", "all_day": False},
    ).json()["data"]
    assert (event["start"], event["end"]) == ("2030-01-01T18:00:00.000000Z", "2030-01-01T20:00:00.000000Z")
    assert event["is_past"] is False and event["next_occurrence"] == event["start"]
    assert event["computed_end"] == event["end"]


def test_after_start_compares_with_the_start_in_the_request_only(admin):
    """Laravel 10's compareDates (review finding 6): `start` absent, null or not a date leaves nothing to
    compare with, so `end` only has to be a date; a `start` in the same request must come before it."""
    stored_start = admin.get("/events/1").json()["data"]["start"]
    changed = admin.patch("/events/1", {"end": "2031-01-01 10:00"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["data"]["start"], changed.json()["data"]["end"]) == (
        stored_start,
        "2031-01-01T10:00:00.000000Z",
    )
    early = admin.patch("/events/1", {"end": "1999-01-01 10:00"})  # before the stored start: fine too
    assert early.status_code == 200 and early.json()["data"]["end"] == "1999-01-01T10:00:00.000000Z"
    assert admin.patch("/events/1", {"start": "2032-01-01", "end": "2031-01-01"}).json() == invalid(
        "The end field must be a date after start."
    )
    assert admin.patch("/events/1", {"start": "2031-01-01", "end": "2031-01-01"}).json() == invalid(
        "The end field must be a date after start."
    )  # strictly after
    assert admin.patch("/events/1", {"start": None, "end": "2031-01-01"}).json() == invalid(
        "The start field must be a valid date."
    )  # start itself fails, end passes
    assert admin.patch("/events/1", {"end": "soon"}).json() == invalid(
        "The end field must be a valid date. (and 1 more error)"
    )  # not a date: after fails too
    body = {"calendar_id": 1, "name": "Op", "start": "not a date", "end": "2031-01-01", "all_day": True}
    assert admin.post("/events", body).json() == invalid("The start field must be a valid date.")
    assert admin.get("/events/1").json()["data"]["end"] == "1999-01-01T10:00:00.000000Z"  # 422s wrote nothing
