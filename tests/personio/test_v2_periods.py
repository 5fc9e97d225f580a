"""v2 absence types, absence periods (with breakdowns) and attendance periods over the company's v1 rows.

Sources: developer.personio.de/reference/{get,post}_v2-absence-periods, delete_v2-absence-periods-id,
get_v2-absence-periods-id-breakdowns, get_v2-absence-types-id, {get,post}_v2-attendance-periods,
delete_v2-attendance-periods-id (verbatim openings in tests/reference/personio/v2/hub/); response shapes inferred
(docs/vendors/personio.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import READONLY_ID, READONLY_SECRET, PersonioV2, v2_errors, walk

ABSENCE_KEYS = [
    "id",
    "person",
    "absence_type",
    "starts_from",
    "ends_at",
    "timezone_id",
    "comment",
    "approval",
    "substitute",
    "created_at",
    "updated_at",
]
ATTENDANCE_KEYS = [
    "id",
    "type",
    "person",
    "start",
    "end",
    "attribution_date",
    "comment",
    "project",
    "approval",
    "is_holiday",
    "is_on_time_off",
    "is_auto_generated",
    "created_at",
    "updated_at",
]


def _type_id(v2: PersonioV2, name: str) -> str:
    return next(t["id"] for t in v2.get("/absence-types").json()["_data"] if t["name"] == name)


# -- absence types ----------------------------------------------------------------------------------
def test_absence_types_have_the_official_example_shape(v2, mocks):
    types = walk(v2, "/absence-types", limit=4)
    assert len(types) == len(mocks.world("personio")["time_off_types"])
    vacation = next(t for t in types if t["name"] == "Paid vacation")
    assert set(vacation) == {"id", "name", "category", "unit"}
    assert (vacation["category"], vacation["unit"]) == ("PAID_VACATION", "DAY")
    home = next(t for t in types if t["name"] == "Home office")
    assert home == {
        "id": "61fe126b-a7b3-449a-b5ee-3865a6fcc546",
        "name": "Home office",
        "category": "OFFSITE_WORK",
        "unit": "HOUR",
    }
    assert v2.get(f"/absence-types/{home['id']}").json() == home
    missing = v2.get("/absence-types/abc6fa09-d8fe-4de0-be03-f0a1d48df766")
    assert missing.status_code == 404 and v2_errors(missing)[0]["title"] == "Resource not found"


# -- absence periods: reading -----------------------------------------------------------------------
def test_every_v1_time_off_and_hourly_absence_is_one_v2_absence_period(v1, v2, mocks):
    world = mocks.world("personio")
    periods = walk(v2, "/absence-periods", limit=37)
    expected = {r["id_v2"] for r in world["time_offs"].values()} | set(world["absence_periods"].keys())
    assert [p["id"] for p in periods] == list(dict.fromkeys(p["id"] for p in periods))  # no duplicates
    assert {p["id"] for p in periods} == expected
    assert all(list(p) == ABSENCE_KEYS for p in periods)
    documented = v1.get("/company/time-offs/12345").json()["data"]["attributes"]
    mine = v2.get(f"/absence-periods/{world['time_offs'].get(12345)['id_v2']}").json()
    assert mine["person"] == {"id": str(documented["employee"]["attributes"]["id"]["value"])}
    assert mine["starts_from"] == {"date_time": "2017-12-27T00:00:00", "type": "FIRST_HALF"}
    assert mine["ends_at"] == {"date_time": "2017-12-29T00:00:00", "type": "SECOND_HALF"}
    assert mine["approval"] == {"status": "APPROVED"} and mine["timezone_id"] == "Europe/Berlin"
    hourly = v2.get("/absence-periods/9bba303f-0fbc-4514-9958-0befa21923fb").json()
    assert hourly["absence_type"] == {"id": "61fe126b-a7b3-449a-b5ee-3865a6fcc546"}
    assert hourly["comment"] == "this is a comment" and hourly["starts_from"]["type"] is None


def test_absence_period_filters(v2, mocks):
    world = mocks.world("personio")
    everyone = walk(v2, "/absence-periods")
    people = sorted({p["person"]["id"] for p in everyone})[:2]
    by_people = walk(v2, "/absence-periods", **{"person.id": ",".join(people)})
    assert by_people and {p["person"]["id"] for p in by_people} == set(people)
    assert by_people == [p for p in everyone if p["person"]["id"] in people]
    repeated = v2.request("GET", "/absence-periods", params=[("person.id", people[0]), ("person.id", people[1])])
    assert repeated.json()["_data"] == by_people[:100]
    home = "61fe126b-a7b3-449a-b5ee-3865a6fcc546"
    assert {p["absence_type"]["id"] for p in walk(v2, "/absence-periods", **{"absence_type.id": home})} == {home}
    window = walk(
        v2,
        "/absence-periods",
        **{"starts_from.date_time.gte": "2022-06-01T00:00:00", "starts_from.date_time.lte": "2022-06-01T23:59:59"},
    )
    assert "9bba303f-0fbc-4514-9958-0befa21923fb" in {p["id"] for p in window}
    assert all(p["starts_from"]["date_time"].startswith("2022-06-01") for p in window)
    recent = walk(v2, "/absence-periods", **{"updated_at.gte": "2026-01-01T00:00:00Z"})
    assert all(p["updated_at"] >= "2026-01-01" for p in recent) and len(recent) < len(everyone)
    ids = [everyone[0]["id"], everyone[3]["id"]]
    assert [p["id"] for p in v2.get("/absence-periods", id=",".join(ids)).json()["_data"]] == ids
    assert len(world["time_offs"]) > 0


@pytest.mark.parametrize(
    "params, detail",
    [
        ({"limit": 101}, "Provided request parameters are invalid."),
        ({"limit": 0}, "Provided request parameters are invalid."),
        ({"starts_from.date_time.gte": "yesterday"}, "Provided request parameters are invalid."),
        ({"id.nooperator": "x"}, "Provided filter encoding is invalid."),
        ({"cursor": "invalid-cursor-string"}, "Provided request parameters are invalid."),
    ],
)
def test_absence_period_list_errors(v2, params, detail):
    response = v2.get("/absence-periods", **params)
    assert response.status_code == 400
    assert v2_errors(response)[0]["detail"] == detail


def test_cursor_links_are_absolute_and_carry_the_filters(http, v2):
    first = v2.get("/absence-periods", limit=2, **{"person.id": "4567"}).json()
    following = first["_meta"]["links"]["next"]["href"]
    assert following.startswith(str(http.base_url)) and set(parse_qs(urlparse(following).query)) == {"cursor"}
    second = v2.get(following).json()
    assert second["_data"] and {p["person"]["id"] for p in second["_data"]} == {"4567"}


def test_reading_needs_the_absences_scope(http):
    client = PersonioV2(http, client_id=READONLY_ID, secret=READONLY_SECRET)
    for path in ("/absence-periods", "/absence-types", "/attendance-periods"):
        refused = client.get(path)
        assert refused.status_code == 403 and v2_errors(refused)[0]["title"] == "Forbidden"


def test_answers_carry_the_rate_limit_headers(v2):
    response = v2.get("/absence-periods", limit=1)
    assert response.headers["x-ratelimit-burst-capacity"] == "100"
    assert int(response.headers["x-ratelimit-remaining"]) < 100


# -- absence periods: writing -----------------------------------------------------------------------
def _absence(type_id: str, start: str, end: str, person: str = "1", **fields: Any) -> dict:
    """A POST /v2/absence-periods body."""
    return {
        "person": {"id": person},
        "absence_type": {"id": type_id},
        "starts_from": {"date_time": start},
        "ends_at": {"date_time": end},
        **fields,
    }


def _post(v2: PersonioV2, body: dict, **params):
    return v2.request("POST", "/absence-periods", json=body, params=params)


def test_a_daily_absence_period_is_a_v1_time_off(v1, v2):
    vacation = _type_id(v2, "Paid vacation")
    created = _post(
        v2,
        {
            "person": {"id": "1"},
            "absence_type": {"id": vacation},
            "starts_from": {"date_time": "2031-03-03T00:00:00", "type": "SECOND_HALF"},
            "ends_at": {"date_time": "2031-03-05T00:00:00", "type": "SECOND_HALF"},
            "comment": "Skiing",
        },
    )
    assert created.status_code == 201, created.text
    period = created.json()
    assert list(period) == ABSENCE_KEYS and period["approval"] == {"status": "PENDING"}  # skip_approval: false
    assert v2.get(f"/absence-periods/{period['id']}").json() == period
    mine = [
        t["attributes"]
        for t in v1.get(
            "/company/time-offs", **{"employees[]": 1, "start_date": "2031-03-01", "end_date": "2031-03-31"}
        ).json()["data"]
    ]
    assert len(mine) == 1 and mine[0]["id_v2"] == period["id"]
    assert (mine[0]["half_day_start"], mine[0]["half_day_end"], mine[0]["days_count"]) == (True, False, 2.5)
    assert period["comment"] == "Skiing" and mine[0]["status"] == "pending"
    breakdown = v2.get(f"/absence-periods/{period['id']}/breakdowns").json()["_data"]
    assert breakdown == [
        {"date": "2031-03-03", "effective_duration": {"unit": "DAY", "value": 0.5}},
        {"date": "2031-03-04", "effective_duration": {"unit": "DAY", "value": 1.0}},
        {"date": "2031-03-05", "effective_duration": {"unit": "DAY", "value": 1.0}},
    ]
    clash = _post(v2, _absence(vacation, "2031-03-05T00:00:00", "2031-03-06T00:00:00"))
    assert clash.status_code == 409 and v2_errors(clash)[0]["title"] == "Conflict"
    assert v2.request("DELETE", f"/absence-periods/{period['id']}").status_code == 204
    assert v2.get(f"/absence-periods/{period['id']}").status_code == 404
    assert v1.get(f"/company/time-offs/{mine[0]['id']}").status_code == 404


def test_an_hourly_absence_period_is_a_v1_absence_period(v1, v2):
    home = _type_id(v2, "Home office")
    created = _post(
        v2,
        _absence(home, "2031-03-04T09:00:00", "2031-03-04T13:30:00"),
        skip_approval="true",
    )
    assert created.status_code == 201, created.text
    period = created.json()
    assert period["approval"] == {"status": "APPROVED"}
    assert (period["starts_from"]["date_time"], period["ends_at"]["date_time"]) == (
        "2031-03-04T09:00:00",
        "2031-03-04T13:30:00",
    )
    v1_period = v1.get("/company/absence-periods", **{"absence_periods[]": period["id"]}).json()["data"]
    assert len(v1_period) == 1 and v1_period[0]["attributes"]["effective_duration"] == 270
    breakdown = v2.get(f"/absence-periods/{period['id']}/breakdowns").json()["_data"]
    assert breakdown == [{"date": "2031-03-04", "effective_duration": {"unit": "HOUR", "value": 4.5}}]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"absence_type": {"id": "x"}, "starts_from": {"date_time": "2031-03-04T00:00:00"}}, 400),  # no person
        (_absence("x", "2031-03-04T00:00:00", "2031-03-04T00:00:00"), 422),  # unknown type
        (_absence("TYPE", "2031-03-04T00:00:00", "2031-03-04T00:00:00", person="999999"), 422),  # unknown person
        (_absence("TYPE", "2031-03-06T00:00:00", "2031-03-04T00:00:00"), 422),  # backwards
        (_absence("TYPE", "2031-03-04T00:00:00Z", "2031-03-04T00:00:00"), 422),  # an offset
    ],
)
def test_absence_period_write_errors(v2, mocks, body, status):
    if body.get("absence_type", {}).get("id") == "TYPE":
        body = {**body, "absence_type": {"id": _type_id(v2, "Paid vacation")}}
    before = len(mocks.world("personio")["time_offs"])
    response = _post(v2, body)
    assert response.status_code == status, response.text
    assert v2_errors(response)
    assert len(mocks.world("personio")["time_offs"]) == before


def test_breakdowns_page_by_28_days_and_count_weekends_as_zero(v2):
    sick = _type_id(v2, "Sick days")
    period = _post(v2, _absence(sick, "2032-01-01T00:00:00", "2032-02-09T00:00:00", person="2")).json()
    days = walk(v2, f"/absence-periods/{period['id']}/breakdowns")
    assert len(days) == 40 and days[0]["date"] == "2032-01-01" and days[-1]["date"] == "2032-02-09"
    assert {d["date"]: d["effective_duration"]["value"] for d in days}["2032-01-03"] == 0.0  # a Saturday
    first = v2.get(f"/absence-periods/{period['id']}/breakdowns").json()
    assert len(first["_data"]) == 28 and "next" in first["_meta"]["links"]
    assert v2.get(f"/absence-periods/{period['id']}/breakdowns", limit=29).status_code == 400
    invalid = v2.get(f"/absence-periods/{period['id']}/breakdowns", cursor="invalid-cursor-string")
    assert invalid.status_code == 400
    assert v2.get("/absence-periods/fd19f19d-a272-4ea5-b46a-07ecdfc05be3/breakdowns").status_code == 404


def test_deleting_an_unknown_absence_period_is_404(v2):
    response = v2.request("DELETE", "/absence-periods/fd19f19d-a272-4ea5-b46a-07ecdfc05be3")
    assert response.status_code == 404 and v2_errors(response)[0]["title"] == "Resource not found"


# -- absence periods: PATCH (https://developer.personio.de/reference/patch_v2-absence-periods-id) --------------------
def _patch(v2: PersonioV2, period_id: str, body: object, **params):
    return v2.request("PATCH", f"/absence-periods/{period_id}", json=body, params=params)


def test_patching_a_daily_absence_period_changes_the_v1_time_off(v1, v2):
    vacation = _type_id(v2, "Paid vacation")
    period = _post(
        v2,
        _absence(vacation, "2031-05-05T00:00:00", "2031-05-06T00:00:00", comment="Trip"),
        skip_approval="true",
    ).json()
    assert period["approval"] == {"status": "APPROVED"}
    changed = _patch(v2, period["id"], {"ends_at": {"date_time": "2031-05-08T00:00:00", "type": "FIRST_HALF"}})
    assert (changed.status_code, changed.content) == (204, b"")  # "204 Valid request"
    assert "x-ratelimit-remaining" in changed.headers
    now = v2.get(f"/absence-periods/{period['id']}").json()
    assert now["starts_from"] == period["starts_from"] and now["comment"] == "Trip"  # not sent: kept
    assert now["ends_at"] == {"date_time": "2031-05-08T00:00:00", "type": "FIRST_HALF"}
    assert now["approval"] == {"status": "PENDING"}  # skip_approval defaults to false
    assert (now["id"], now["person"], now["created_at"]) == (period["id"], period["person"], period["created_at"])
    attributes = v1.get(
        "/company/time-offs", **{"employees[]": 1, "start_date": "2031-05-01", "end_date": "2031-05-31"}
    ).json()["data"][0]["attributes"]
    assert (attributes["end_date"][:10], attributes["half_day_end"], attributes["days_count"]) == (
        "2031-05-08",
        True,
        3.5,
    )
    assert _patch(v2, period["id"], {"comment": None}, skip_approval="true").status_code == 204
    assert v2.get(f"/absence-periods/{period['id']}").json()["comment"] is None


def test_patching_an_hourly_absence_period_may_overlap_itself_but_not_others(v2):
    home = _type_id(v2, "Home office")

    def create(start: str, end: str) -> dict:
        return _post(v2, _absence(home, start, end)).json()

    morning = create("2031-06-03T09:00:00", "2031-06-03T11:00:00")
    create("2031-06-03T14:00:00", "2031-06-03T16:00:00")
    moved = _patch(v2, morning["id"], {"ends_at": {"date_time": "2031-06-03T12:00:00"}}, skip_approval="true")
    assert moved.status_code == 204, moved.text
    now = v2.get(f"/absence-periods/{morning['id']}").json()
    assert (now["ends_at"]["date_time"], now["approval"]["status"]) == ("2031-06-03T12:00:00", "APPROVED")
    breakdown = v2.get(f"/absence-periods/{morning['id']}/breakdowns").json()["_data"]
    assert breakdown == [{"date": "2031-06-03", "effective_duration": {"unit": "HOUR", "value": 3.0}}]
    clash = _patch(v2, morning["id"], {"ends_at": {"date_time": "2031-06-03T15:00:00"}})
    assert clash.status_code == 409 and v2_errors(clash)[0]["title"] == "Conflict"
    assert v2.get(f"/absence-periods/{morning['id']}").json() == now  # unchanged


@pytest.mark.parametrize(
    "body, status",
    [
        ({"ends_at": {"date_time": "2031-05-01T00:00:00"}}, 422),  # ends before it starts
        ({"starts_from": {"date_time": "2031-05-05T00:00:00Z"}}, 422),  # an offset
        ({"ends_at": None}, 422),  # open-ended (the mock's limitation)
        ({"starts_from": "tomorrow"}, 400),  # not the schema
        ([1, 2], 400),
    ],
)
def test_absence_period_patch_errors(v2, body, status):
    vacation = _type_id(v2, "Paid vacation")
    period = _post(v2, _absence(vacation, "2031-05-05T00:00:00", "2031-05-06T00:00:00")).json()
    response = _patch(v2, period["id"], body)
    assert response.status_code == status, response.text
    assert v2_errors(response)
    assert v2.get(f"/absence-periods/{period['id']}").json() == period


def test_patching_an_unknown_absence_period_is_404(v2):
    response = _patch(v2, "fd19f19d-a272-4ea5-b46a-07ecdfc05be3", {"comment": "x"}, skip_approval="false")
    assert response.status_code == 404 and v2_errors(response)[0]["title"] == "Resource not found"


# -- attendance periods -----------------------------------------------------------------------------
def test_every_v1_attendance_is_one_v2_attendance_period(v1, v2, mocks):
    world = mocks.world("personio")
    periods = walk(v2, "/attendance-periods", limit=50)
    assert {p["id"] for p in periods} == {r["id_v2"] for r in world["attendances"].values()}
    assert all(list(p) == ATTENDANCE_KEYS for p in periods)
    row = next(iter(world["attendances"].values()))
    mine = v2.get(f"/attendance-periods/{row['id_v2']}").json()
    assert mine["person"] == {"id": str(row["employee_id"])} and mine["attribution_date"] == row["date"]
    assert mine["start"] == {"date_time": f"{row['date']}T{row['start_time']}:00"}
    assert mine["approval"]["status"] == row["status"].upper()


def test_attendance_filters_as_the_official_examples(v2, mocks):
    everyone = walk(v2, "/attendance-periods")
    people = sorted({p["person"]["id"] for p in everyone})[:3]
    assert {p["person"]["id"] for p in walk(v2, "/attendance-periods", **{"person.id": ",".join(people)})} == set(
        people
    )
    confirmed = walk(v2, "/attendance-periods", status="CONFIRMED")
    assert confirmed and {p["approval"]["status"] for p in confirmed} == {"CONFIRMED"}
    two = [everyone[0]["id"], everyone[5]["id"]]
    by_ids = v2.request("GET", "/attendance-periods", params=[("id", two[0]), ("id", two[1])]).json()["_data"]
    assert [p["id"] for p in by_ids] == two
    day = everyone[-1]["attribution_date"]
    that_day = walk(
        v2,
        "/attendance-periods",
        **{"start.date_time.gte": f"{day}T00:00:00", "start.date_time.lte": f"{day}T23:59:59"},
    )
    assert that_day and {p["attribution_date"] for p in that_day} == {day}
    assert v2.get("/attendance-periods", limit=1).json()["_data"] == everyone[:1]
    assert v2.get("/attendance-periods", status="DONE").status_code == 400


def _attendance_body(kind: str, start: str, end: str, **fields: Any) -> dict:
    """A POST /v2/attendance-periods body for person 1 (`kind`: WORK or BREAK)."""
    return {"person": {"id": "1"}, "type": kind, "start": {"date_time": start}, "end": {"date_time": end}, **fields}


def _attendance(v2: PersonioV2, method: str, path: str = "", body: dict | None = None, **params):
    return v2.request(method, f"/attendance-periods{path}", json=body, params=params)


def test_attendance_period_lifecycle_is_seen_by_v1(v1, v2):
    created = _attendance(
        v2,
        "POST",
        body=_attendance_body("WORK", "2031-03-04T09:00:00", "2031-03-04T17:00:00", comment="On site"),
    )
    assert created.status_code == 201 and set(created.json()) == {"id"}
    period_id = created.json()["id"]
    period = v2.get(f"/attendance-periods/{period_id}").json()
    assert period["approval"] == {"status": "PENDING"} and period["comment"] == "On site"
    seen = v1.get(
        "/company/attendances",
        start_date="2031-03-04",
        end_date="2031-03-04",
        includePending="true",
        **{"employees[]": 1},
    ).json()["data"]
    assert [a["attributes"]["id_v2"] for a in seen] == [period_id]
    assert (seen[0]["attributes"]["start_time"], seen[0]["attributes"]["end_time"]) == ("09:00", "17:00")
    changed = _attendance(
        v2, "PATCH", f"/{period_id}", {"end": {"date_time": "2031-03-04T18:15:00"}}, skip_approval="true"
    )
    # "204 PATCH Valid request": https://developer.personio.de/reference/patch_v2-attendance-periods-id
    assert (changed.status_code, changed.content) == (204, b""), changed.text
    assert "content-type" not in changed.headers and changed.headers["x-ratelimit-remaining"]
    changed = v2.get(f"/attendance-periods/{period_id}").json()
    assert changed["end"] == {"date_time": "2031-03-04T18:15:00"}
    assert changed["approval"] == {"status": "CONFIRMED"}
    overlapping = _attendance(
        v2, "POST", body={"person": {"id": "1"}, "type": "WORK", "start": {"date_time": "2031-03-04T12:00:00"}}
    )
    assert overlapping.status_code == 422
    assert _attendance(v2, "DELETE", f"/{period_id}").status_code == 204
    assert _attendance(v2, "DELETE", f"/{period_id}").status_code == 404
    assert v2.get(f"/attendance-periods/{period_id}").status_code == 404


@pytest.mark.parametrize(
    "body, status",
    [
        ({"person": {"id": "1"}, "type": "NAP", "start": {"date_time": "2031-03-04T09:00:00"}}, 400),  # invalid type
        ({"person": {"id": "1"}, "type": "WORK"}, 400),  # missing start
        (_attendance_body("WORK", "2031-03-04T17:00:00", "2031-03-04T09:00:00"), 422),  # start > end
        (_attendance_body("WORK", "2031-03-04T09:00:00", "2031-03-06T09:00:00"), 422),  # too long
        (
            _attendance_body("BREAK", "2031-03-04T12:00:00", "2031-03-04T12:30:00", project={"id": "PROJECT"}),
            422,
        ),  # break + project
    ],
)
def test_attendance_period_documented_errors(v2, mocks, body, status):
    """The documented examples of POST /v2/attendance-periods: 400 Invalid type field, 400 Missing required
    parameters, 422 Start date greater than end date, 422 Period time range too long, 422 Break periods with
    project."""
    world = mocks.world("personio")
    if body.get("project") == {"id": "PROJECT"}:
        body = {**body, "project": {"id": str(next(p["id"] for p in world["projects"].values() if p["active"]))}}
    before = len(world["attendances"])
    response = _attendance(v2, "POST", body=body)
    assert response.status_code == status, response.text
    assert v2_errors(response)
    assert len(mocks.world("personio")["attendances"]) == before


def test_writing_needs_the_write_scope(http):
    reader = PersonioV2(http, scope="personio:absences:read personio:attendances:read")
    refused = reader.request(
        "POST",
        "/attendance-periods",
        json={"person": {"id": "1"}, "type": "WORK", "start": {"date_time": "2031-03-04T09:00:00"}},
    )
    assert refused.status_code == 403
    assert reader.get("/attendance-periods", limit=1).status_code == 200


def test_a_break_inside_work_is_its_own_period_and_not_a_v1_attendance(v1, v2):
    work = _attendance(
        v2,
        "POST",
        body=_attendance_body("WORK", "2031-03-05T08:00:00", "2031-03-05T16:00:00"),
        skip_approval="true",
    )
    pause = _attendance(
        v2,
        "POST",
        body=_attendance_body("BREAK", "2031-03-05T12:00:00", "2031-03-05T12:30:00"),
        skip_approval="true",
    )
    assert (work.status_code, pause.status_code) == (201, 201), pause.text
    assert v2.get(f"/attendance-periods/{pause.json()['id']}").json()["type"] == "BREAK"
    seen = v1.get("/company/attendances", start_date="2031-03-05", end_date="2031-03-05", **{"employees[]": 1}).json()[
        "data"
    ]
    assert [a["attributes"]["id_v2"] for a in seen] == [work.json()["id"]]
