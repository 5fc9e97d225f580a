"""v1 time-off types, time-offs (page-number offsets) and absence periods (personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import httpx
import pytest

from .conftest import PROBLEM, PersonioV1, v1_error

DAY_TYPES = {"Paid vacation": 1234, "Sick days": 1236}


def _time_off(v1: PersonioV1, start: str, end: str, **fields: str) -> httpx.Response:
    """POST /company/time-offs as a form: whole days of paid vacation for employee 1, `fields` added or replaced."""
    form = {
        "employee_id": "1",
        "time_off_type_id": "1234",
        "start_date": start,
        "end_date": end,
        "half_day_start": "0",
        "half_day_end": "0",
    }
    return v1.request("POST", "/company/time-offs", data={**form, **fields})


def test_time_off_types(v1):
    body = v1.get("/company/time-off-types").json()
    assert set(body) == {"success", "data"}  # no pagination metadata, as documented
    first = body["data"][0]
    assert first["type"] == "TimeOffType"
    assert {k: v for k, v in first["attributes"].items() if k != "id_v2"} == {
        "id": 1234,
        "name": "Paid vacation",
        "category": "paid_vacation",
        "unit": "day",
        "approval_required": True,
    }
    assert body["data"][1]["attributes"]["unit"] == "hour"
    assert [t["attributes"]["id"] for t in v1.get("/company/time-off-types", limit=2, offset=1).json()["data"]] == [
        1235,
        1236,
    ]


def test_time_offs_offset_is_a_page_number_and_0_reads_as_1(v1):
    zero = v1.get("/company/time-offs", limit=10, offset=0).json()
    one = v1.get("/company/time-offs", limit=10, offset=1).json()
    two = v1.get("/company/time-offs", limit=10, offset=2).json()
    assert zero["data"] == one["data"]
    assert (zero["metadata"]["current_page"], one["metadata"]["current_page"], two["metadata"]["current_page"]) == (
        1,
        1,
        2,
    )
    assert {p["attributes"]["id"] for p in one["data"]}.isdisjoint({p["attributes"]["id"] for p in two["data"]})
    assert (zero["offset"], zero["limit"]) == (0, 10)


def test_personio_py_walks_time_offs_to_the_end_once(v1):
    """personio-py: offset from 1, +1 per page, until current_page == total_pages."""
    collected, offset = [], 1
    while True:
        page = v1.get("/company/time-offs", limit=7, offset=offset).json()
        collected += [p["attributes"]["id"] for p in page["data"]]
        if not page["data"] or page["metadata"]["current_page"] == page["metadata"]["total_pages"]:
            break
        offset += 1
    total = page["metadata"]["total_elements"]
    assert len(collected) == len(set(collected)) == total > 7


def test_documented_time_off_12345(v1):
    body = v1.get("/company/time-offs/12345").json()
    attributes = body["data"]["attributes"]
    assert body["data"]["type"] == "TimeOffPeriod"
    assert {
        k: attributes[k]
        for k in (
            "id",
            "status",
            "start_date",
            "end_date",
            "days_count",
            "half_day_start",
            "half_day_end",
            "certificate",
            "created_at",
            "created_by",
        )
    } == {
        "id": 12345,
        "status": "approved",
        "start_date": "2017-12-27T00:00:00+0100",
        "end_date": "2017-12-29T00:00:00+0100",
        "days_count": 3,
        "half_day_start": False,
        "half_day_end": False,
        "certificate": {"status": "not-required"},
        "created_at": "2017-01-17T10:32:18+0100",
        "created_by": "API",
    }
    assert attributes["time_off_type"] == {
        "type": "TimeOffType",
        "attributes": {"id": 1234, "name": "Paid vacation", "category": "paid_vacation"},
    }
    assert attributes["employee"]["attributes"]["id"] == {
        "label": "id",
        "value": 4567,
        "type": "integer",
        "universal_id": "id",
    }
    assert attributes["employee"]["attributes"]["email"]["value"] == "michael.miller@demo.com"


def test_whole_day_counts_are_integers_on_the_wire(v1, mocks):
    """The official example writes `"days_count": 3`; `3.0` is what a float would give."""
    raw = v1.get("/company/time-offs/12345").text
    assert '"days_count":3,' in raw.replace(" ", "")
    assert isinstance(v1.get("/company/time-offs/12345").json()["data"]["attributes"]["days_count"], int)


def test_balances_are_integers_when_whole(http, mocks):
    mocks.clock.freeze(datetime(2027, 3, 15, 12, tzinfo=UTC))  # a Monday; the company is seeded now
    v1 = PersonioV1(http)
    before = {b["id"]: b for b in v1.get("/company/employees/1/absences/balance").json()["data"]}[1234]
    for start, end, half_end in [
        ("2027-03-01", "2027-03-03", "0"),
        ("2027-03-04", "2027-03-05", "1"),
        ("2027-03-08", "2027-03-08", "1"),
    ]:  # 3 + 1.5 + 0.5 days: 5 in all
        created = _time_off(v1, start, end, half_day_end=half_end)
        assert created.status_code == 200, created.text
    after = {b["id"]: b for b in v1.get("/company/employees/1/absences/balance").json()["data"]}[1234]
    assert after["balance"] == before["balance"] - 5 and isinstance(after["balance"], int)
    assert after["available_balance"] == before["available_balance"] - 5
    assert isinstance(after["available_balance"], int)
    half = _time_off(v1, "2027-03-09", "2027-03-09", half_day_start="1").json()["data"]["attributes"]
    assert half["days_count"] == 0.5
    assert {b["id"]: b for b in v1.get("/company/employees/1/absences/balance").json()["data"]}[1234][
        "balance"
    ] == before["balance"] - 5.5


@pytest.mark.parametrize(
    "path", ["/company/time-offs/²", "/company/time-offs/١٢٣٤٥", "/company/time-offs/" + "9" * 5000]
)
def test_ids_of_other_digits_are_unknown_time_offs(v1, path):
    """'²' and '١٢٣٤٥' pass str.isdigit() but are no ids: the documented 404 and 400, never a 500."""
    found = v1.get(path)
    assert (found.status_code, found.json()) == (
        404,
        {"success": False, "error": {"code": 404, "message": "The absence period was not found."}},
    )
    deleted = v1.request("DELETE", path)
    assert (deleted.status_code, deleted.json()) == (
        400,
        {"success": False, "error": {"code": 400, "message": "The absence period id is invalid."}},
    )


@pytest.mark.parametrize("endpoint", ["/company/time-offs", "/company/absence-periods"])
def test_ids_of_other_digits_in_new_periods(v1, mocks, endpoint):
    before = (mocks.world("personio")["time_offs"].keys(), mocks.world("personio")["absence_periods"].keys())
    response = v1.request(
        "POST",
        endpoint,
        data={
            "employee_id": "²",
            "time_off_type_id": "١٢٣٤",
            "start_date": "2027-04-05",
            "end_date": "2027-04-06",
            "half_day_start": "0",
            "half_day_end": "0",
        },
    )
    assert response.status_code == 422
    assert json.loads(v1_error(response)["error_data"]) == {
        "employee_id": ["The employee id must be an integer."],
        "time_off_type_id": ["The time off type id must be an integer."],
    }
    assert (mocks.world("personio")["time_offs"].keys(), mocks.world("personio")["absence_periods"].keys()) == before


def test_time_off_filters(v1):
    mine = v1.request("GET", "/company/time-offs", params={"employees[]": 4567}).json()["data"]
    assert {p["attributes"]["employee"]["attributes"]["id"]["value"] for p in mine} == {4567}
    window = v1.get("/company/time-offs", start_date="2017-12-28", end_date="2017-12-28").json()["data"]
    assert [p["attributes"]["id"] for p in window] == [12345]


@pytest.mark.parametrize("encoding", ["data", "json", "files"])
def test_create_time_off_from_form_json_and_multipart(v1, encoding):
    fields = {
        "employee_id": "1",
        "time_off_type_id": "1234",
        "start_date": "2027-02-01",
        "end_date": "2027-02-05",
        "half_day_start": "0",
        "half_day_end": "1",
        "comment": "Skiing",
        "skip_approval": "false",
    }
    if encoding == "json":
        payload = {
            "json": {
                **fields,
                "employee_id": 1,
                "time_off_type_id": 1234,
                "half_day_start": False,
                "half_day_end": True,
                "skip_approval": False,
            }
        }
    elif encoding == "files":
        payload = {"files": {k: (None, v) for k, v in fields.items()}}
    else:
        payload = {"data": fields}
    response = v1.request("POST", "/company/time-offs", **payload)
    assert response.status_code == 200, response.text
    attributes = response.json()["data"]["attributes"]
    assert (
        attributes["status"],
        attributes["days_count"],
        attributes["half_day_end"],
        attributes["created_by"],
        attributes["start_date"],
    ) == ("pending", 4.5, True, "API", "2027-02-01T00:00:00+0100")
    assert response.headers["authorization"].startswith("Bearer papi-")
    assert v1.get(f"/company/time-offs/{attributes['id']}").json()["data"]["attributes"]["id"] == attributes["id"]


def test_create_time_off_validation_is_a_json_string(v1):
    response = v1.request(
        "POST",
        "/company/time-offs",
        data={"employee_id": "1", "start_date": "2027-03-05", "end_date": "2027-03-01", "half_day_start": "maybe"},
    )
    assert response.status_code == 422
    error = v1_error(response)
    assert (error["code"], error["message"]) == (0, "The given data failed to pass validation.")
    assert isinstance(error["error_data"], str)
    assert json.loads(error["error_data"]) == {
        "time_off_type_id": ["The time off type id field is required."],
        "end_date": ["The end date must be a date after or equal to start date."],
        "half_day_start": ["The half day start field must be true or false."],
        "half_day_end": ["The half day end field is required."],
    }


@pytest.mark.parametrize(
    "fields, status, error",
    [
        ({"time_off_type_id": "99999"}, 404, {"code": 0, "message": "Time-off type not found."}),
        ({"time_off_type_id": "1235"}, 404, {"code": 0, "message": "Time-off type not found."}),  # an hourly type
        ({"employee_id": "99999"}, 404, {"code": 0, "message": "Employee not found."}),
        (
            {"start_date": "2017-12-28", "end_date": "2017-12-28", "employee_id": "4567"},
            400,
            {"code": 400, "message": "Error when trying to insert absence period"},
        ),
    ],
)
def test_create_time_off_errors(v1, mocks, fields, status, error):
    before = mocks.world("personio")["time_offs"].keys()
    response = _time_off(v1, "2027-04-05", "2027-04-06", half_day_start="false", half_day_end="false", **fields)
    assert response.status_code == status
    assert v1_error(response) == error
    assert mocks.world("personio")["time_offs"].keys() == before


def test_delete_time_off(v1):
    created = _time_off(
        v1, "2027-05-03", "2027-05-03", employee_id="2", time_off_type_id="1236", half_day_start="1"
    ).json()["data"]["attributes"]
    assert created["days_count"] == 0.5 and created["status"] == "approved"
    deleted = v1.request("DELETE", f"/company/time-offs/{created['id']}")
    assert deleted.json() == {"success": True, "data": {"message": "The absence period was deleted."}}
    for path, status, message in [
        (f"/company/time-offs/{created['id']}", 404, "The absence period was not found."),
        ("/company/time-offs/abc", 400, "The absence period id is invalid."),
    ]:
        response = v1.request("DELETE", path)
        assert (response.status_code, response.json()) == (
            status,
            {"success": False, "error": {"code": status, "message": message}},
        )
    assert v1.get("/company/time-offs/abc").json()["error"]["message"] == "The absence period was not found."


# -- absence periods -------------------------------------------------------------------------------
def test_documented_absence_period(v1):
    body = v1.request(
        "GET", "/company/absence-periods", params={"absence_periods[]": "9bba303f-0fbc-4514-9958-0befa21923fb"}
    ).json()
    assert body["metadata"] == {"total_elements": 1, "current_page": 1, "total_pages": 1}
    attributes = body["data"][0]["attributes"]
    assert body["data"][0]["type"] == "AbsencePeriod"
    assert {
        k: attributes[k]
        for k in (
            "id",
            "measurement_unit",
            "effective_duration",
            "start",
            "end",
            "half_day_start",
            "origin",
            "status",
            "timezone",
            "created_by",
            "created_at",
            "breakdowns",
        )
    } == {
        "id": "9bba303f-0fbc-4514-9958-0befa21923fb",
        "measurement_unit": "hour",
        "effective_duration": 720,
        "start": "2022-05-31T22:00:00.0Z",
        "end": "2022-06-02T22:00:00.0Z",
        "half_day_start": True,
        "origin": "web",
        "status": "approved",
        "timezone": "Europe/Berlin",
        "created_by": 1,
        "created_at": "2022-06-20T14:29:56.510Z",
        "breakdowns": [
            {"date": "2022-06-01", "effective_duration": 240},
            {"date": "2022-06-02", "effective_duration": 480},
        ],
    }
    assert attributes["absence_type"] == {
        "type": "AbsenceType",
        "attributes": {"id": "61fe126b-a7b3-449a-b5ee-3865a6fcc546", "name": "Home office", "time_off_type_id": 1235},
    }


def test_absence_periods_pages_count_from_1(v1):
    first = v1.get("/company/absence-periods", limit=3).json()
    second = v1.get("/company/absence-periods", limit=3, offset=3).json()
    assert (first["metadata"]["current_page"], second["metadata"]["current_page"]) == (1, 2)
    assert {p["attributes"]["id"] for p in first["data"]}.isdisjoint({p["attributes"]["id"] for p in second["data"]})


def test_unknown_absence_type_is_a_problem_json_404(v1):
    response = v1.request(
        "GET", "/company/absence-periods", params={"absence_types[]": "00000000-0000-4000-8000-000000000000"}
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {"success": False, "error": {"code": 404, "message": "models.absence-types.not-found"}}
    home = v1.request(
        "GET", "/company/absence-periods", params={"absence_types[]": "61fe126b-a7b3-449a-b5ee-3865a6fcc546"}
    )
    assert {p["attributes"]["absence_type"]["attributes"]["time_off_type_id"] for p in home.json()["data"]} == {1235}


def test_create_absence_period_same_day_with_times(v1):
    day = {"employee_id": "3003", "time_off_type_id": "1241", "start_date": "2027-06-07", "end_date": "2027-06-07"}
    response = v1.request(
        "POST",
        "/company/absence-periods",
        data={**day, "start_time": "09:00", "end_time": "10:30", "comment": "Dentist"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True and len(body["data"]) == 1
    attributes = body["data"][0]["attributes"]
    assert re.fullmatch(r"[0-9a-f-]{36}", attributes["id"])
    assert (
        attributes["effective_duration"],
        attributes["start"],
        attributes["end"],
        attributes["origin"],
        attributes["created_by"],
        attributes["comment"],
    ) == (90, "2027-06-07T07:00:00.0Z", "2027-06-07T08:30:00.0Z", "api", None, "Dentist")
    again = v1.request("POST", "/company/absence-periods", data={**day, "start_time": "10:00", "end_time": "11:00"})
    assert (again.status_code, v1_error(again)) == (
        400,
        {"code": 400, "message": "Error when trying to insert absence period"},
    )


@pytest.mark.parametrize(
    "fields, status, expected",
    [
        (
            {"start_time": None},
            422,
            {"start_time": ["The start time field is required when start date and end date are the same."]},
        ),
        ({"end_time": "8:00"}, 422, {"end_time": ["The end time does not match the format H:i."]}),
        ({"time_off_type_id": "1234"}, 404, "Absence type not found."),
    ],
)
def test_create_absence_period_errors(v1, fields, status, expected):
    form = {
        "employee_id": "1",
        "time_off_type_id": "1241",
        "start_date": "2027-06-08",
        "end_date": "2027-06-08",
        "start_time": "09:00",
        "end_time": "10:00",
        **fields,
    }
    response = v1.request("POST", "/company/absence-periods", data={k: v for k, v in form.items() if v is not None})
    assert response.status_code == status
    error = v1_error(response)
    if status == 422:
        assert json.loads(error["error_data"]) == expected
    else:
        assert error == {"code": 0, "message": expected}


def test_delete_absence_period(v1):
    ok = v1.request("DELETE", "/company/absence-periods/9bba303f-0fbc-4514-9958-0befa21923fb")
    assert ok.json() == {"success": True, "data": {"message": "The absence period was deleted."}}
    for period_id, status, message in [
        ("9bba303f-0fbc-4514-9958-0befa21923fb", 404, "The absence period was not found."),
        ("12345", 400, "The absence period id is invalid."),
    ]:
        response = v1.request("DELETE", f"/company/absence-periods/{period_id}")
        assert (response.status_code, v1_error(response)) == (status, {"code": status, "message": message})


@pytest.mark.parametrize(
    "start, end, status",
    [
        ("0001-01-01", "0001-01-02", 422),
        ("9999-12-30", "9999-12-31", 422),
        ("1000-01-01", "1000-01-02", 200),
        ("9998-12-30", "9998-12-31", 200),
    ],
)
def test_periods_at_the_end_of_the_calendar(v1, start, end, status):
    response = _time_off(v1, start, end)
    assert response.status_code == status, response.text
    hourly = v1.request(
        "POST",
        "/company/absence-periods",
        data={"employee_id": "1", "time_off_type_id": "1241", "start_date": start, "end_date": end},
    )
    assert hourly.status_code == (201 if status == 200 else 422), hourly.text
    if status == 422:
        assert set(json.loads(v1_error(response)["error_data"])) == {"start_date", "end_date"}
    else:
        assert (
            v1.get(f"/company/time-offs/{response.json()['data']['attributes']['id']}").json()["data"]["attributes"][
                "start_date"
            ]
            == f"{start}T00:00:00+0100"
        )
