"""v1 attendances and projects (personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

import pytest

from .conftest import v1_error

WIDE = {"start_date": "2000-01-01", "end_date": "2100-12-31"}


def _row(employee=1, date="2026-03-02", start="09:00", end="17:00", pause=30, **extra):
    return {"employee": employee, "date": date, "start_time": start, "end_time": end, "break": pause, **extra}


def test_list_is_paginated_by_item_offset(v1):
    first = v1.get("/company/attendances", **WIDE, limit=5).json()
    total = first["metadata"]["total_elements"]
    assert total > 100
    assert first["metadata"] == {"total_elements": total, "current_page": 0, "total_pages": -(-total // 5)}
    assert (first["offset"], first["limit"], len(first["data"])) == (0, 5, 5)
    second = v1.get("/company/attendances", **WIDE, limit=5, offset=1).json()
    assert [d["id"] for d in second["data"][:4]] == [d["id"] for d in first["data"][1:]]
    period = first["data"][0]
    assert period["type"] == "AttendancePeriod" and isinstance(period["id"], int)
    assert list(period["attributes"]) == [
        "id_v2",
        "employee",
        "date",
        "start_time",
        "end_time",
        "updated_at",
        "status",
        "break",
        "comment",
        "is_holiday",
        "is_on_time_off",
        "project",
    ]
    assert period["attributes"]["updated_at"].endswith("+00:00")


def test_pending_periods_only_with_include_pending(v1):
    confirmed = v1.get("/company/attendances", **WIDE, limit=1000).json()["data"]
    everything = v1.get("/company/attendances", **WIDE, limit=1000, includePending="true").json()["data"]
    assert {p["attributes"]["status"] for p in confirmed} == {"confirmed"}
    assert "pending" in {p["attributes"]["status"] for p in everything} and len(everything) > len(confirmed)


def test_filters_by_period_and_employees(v1):
    rows = v1.request(
        "GET",
        "/company/attendances",
        params=[("start_date", "2000-01-01"), ("end_date", "2100-01-01"), ("employees[]", 1), ("employees[]", 3003)],
    ).json()["data"]
    assert rows and {r["attributes"]["employee"] for r in rows} <= {1, 3003}
    day = rows[0]["attributes"]["date"]
    same_day = v1.get("/company/attendances", start_date=day, end_date=day, limit=1000).json()["data"]
    assert {r["attributes"]["date"] for r in same_day} == {day}


@pytest.mark.parametrize(
    "path, extra",
    [
        ("/company/attendances", WIDE),
        ("/company/time-offs", {}),
        ("/company/absence-periods", {}),
        ("/company/time-off-types", {}),
    ],
)
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_pagination_parameters_beyond_32_bits_are_invalid(v1, path, extra, name):
    """They used to be echoed back in `offset`/`limit`; now the usual 422 (the largest value still works)."""
    response = v1.get(path, **extra, **{name: 2**70})
    text = f"The {name} may not be greater than 2147483647."
    if path == "/company/absence-periods":  # its spec lists a 400 ErrorResponse, no 422
        assert (response.status_code, response.json()) == (
            400,
            {"success": False, "error": {"code": 400, "message": text}},
        )
    else:
        assert response.status_code == 422
        assert response.json() == {
            "success": False,
            "error": {"message": "The given data was invalid.", "code": 0, "error_data": {name: [text]}},
        }
    assert v1.get(path, **extra, **{name: 2147483647}).status_code == 200


def test_list_requires_the_period(v1):
    response = v1.get("/company/attendances")
    assert response.status_code == 422
    assert v1_error(response)["error_data"] == {
        "start_date": ["The start date field is required."],
        "end_date": ["The end date field is required."],
    }


def test_create_answers_with_the_ids_and_no_token(v1):
    response = v1.request(
        "POST",
        "/company/attendances",
        json={"attendances": [_row(), _row(date="2026-03-03", end=None, comment="half day", project_id=567)]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body == {"success": True, "data": {"id": body["data"]["id"], "message": "success"}}
    assert len(body["data"]["id"]) == 2
    assert "authorization" not in response.headers
    listed = v1.get(
        "/company/attendances", start_date="2026-03-03", end_date="2026-03-03", **{"employees[]": 1}
    ).json()["data"]
    assert listed[0]["attributes"]["project"] == {
        "id": 567,
        "type": "Project",
        "attributes": {"name": "A project name", "active": True},
    }
    assert listed[0]["attributes"]["end_time"] is None and listed[0]["attributes"]["comment"] == "half day"


def test_rows_are_answered_one_by_one(v1):
    response = v1.request(
        "POST",
        "/company/attendances",
        json={
            "attendances": [
                _row(date="2026-03-09"),
                _row(date="2026-03-09", start="10:00", end="12:00", pause=0),
                _row(employee=999999, date="2026-03-10"),
            ]
        },
    )
    assert response.status_code == 400
    error = v1_error(response)
    assert (error["code"], error["message"]) == (400, "Error when trying to insert Attendances periods rows")
    first, overlapping, stranger = error["detailed_message"]
    assert first["success"] is True and isinstance(first["id"], int) and first["error_msg"] is None
    assert overlapping == {
        "success": False,
        "error_msg": "Existing overlapping attendances periods",
        "id": None,
        "employee": 1,
        "date": "2026-03-09",
        "start_time": "10:00",
        "end_time": "12:00",
        "break": 0,
        "comment": "",
        "project_id": None,
    }
    assert stranger["success"] is False and stranger["id"] is None
    # as the documented example shows, the rows that passed are inserted
    assert (
        len(
            v1.get("/company/attendances", start_date="2026-03-09", end_date="2026-03-09", **{"employees[]": 1}).json()[
                "data"
            ]
        )
        == 1
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("employee", "²", "Employee not found"),
        ("break", "²", "The break must be an integer."),
        ("project_id", "²", "Project not found"),
        ("employee", "١", "Employee not found"),
    ],
)
@pytest.mark.parametrize("encoding", ["json", "data"])
def test_numbers_of_other_digits_fail_their_row(v1, mocks, field, value, message, encoding):
    """'²' passes str.isdigit(); the row fails with its message (a 400, never a 500) and nothing is inserted."""
    before = mocks.world("personio")["attendances"].keys()
    row = {**_row(date="2026-03-16", project_id=567), field: value}
    if encoding == "json":
        response = v1.request("POST", "/company/attendances", json={"attendances": [row]})
    else:
        response = v1.request(
            "POST",
            "/company/attendances",
            data={f"attendances[][{k}]": str(v) for k, v in row.items() if v is not None},
        )
    assert response.status_code == 400
    (result,) = v1_error(response)["detailed_message"]
    assert (result["success"], result["error_msg"], result["id"], result[field]) == (False, message, None, value)
    assert mocks.world("personio")["attendances"].keys() == before


def test_pending_with_skip_approval_false(v1):
    created = v1.request(
        "POST", "/company/attendances", json={"attendances": [_row(date="2026-04-01")], "skip_approval": False}
    ).json()
    assert created["success"]
    rows = v1.get(
        "/company/attendances",
        start_date="2026-04-01",
        end_date="2026-04-01",
        includePending="true",
        **{"employees[]": 1},
    ).json()["data"]
    assert rows[0]["attributes"]["status"] == "pending"


def test_update_flat_and_wrapped_bodies(v1):
    new_id = v1.request("POST", "/company/attendances", json={"attendances": [_row(date="2026-05-04")]}).json()["data"][
        "id"
    ][0]
    flat = v1.request("PATCH", f"/company/attendances/{new_id}", json={"comment": "Workshop", "break": 45})
    assert (flat.status_code, flat.json()) == (
        200,
        {"success": True, "data": {"message": "The attendance period was updated."}},
    )
    wrapped = v1.request(
        "PATCH",
        f"/company/attendances/{new_id}",
        json={
            "attendances": {
                "employee": 420888,
                "date": "2026-05-05",
                "start_time": "08:00",
                "end_time": "11:00",
                "break": 15,
                "comment": "Some comment",
                "project_id": 568,
            },
            "skip_approval": True,
        },
    )
    assert wrapped.status_code == 200
    row = v1.get("/company/attendances", start_date="2026-05-05", end_date="2026-05-05", **{"employees[]": 1}).json()[
        "data"
    ][0]["attributes"]
    assert (row["employee"], row["start_time"], row["break"], row["comment"], row["project"]["id"]) == (
        1,
        "08:00",
        15,
        "Some comment",
        568,
    )


@pytest.mark.parametrize("body", [{"start_time": "18:00", "end_time": "09:00"}, {"project_id": 999999}])
def test_update_failures(v1, body):
    new_id = v1.request("POST", "/company/attendances", json={"attendances": [_row(date="2026-05-11")]}).json()["data"][
        "id"
    ][0]
    response = v1.request("PATCH", f"/company/attendances/{new_id}", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": {"code": 400, "message": "Error when trying to insert Attendances periods rows."},
    }


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_unknown_attendance(v1, method):
    response = v1.request(method, "/company/attendances/99999999", json={"comment": "x"} if method == "PATCH" else None)
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "error": {"code": 404, "message": "The attendance period was not found."},
    }


def test_delete(v1):
    new_id = v1.request("POST", "/company/attendances", json={"attendances": [_row(date="2026-06-01")]}).json()["data"][
        "id"
    ][0]
    response = v1.request("DELETE", f"/company/attendances/{new_id}", params={"skip_approval": "false"})
    assert response.json() == {"success": True, "data": {"message": "The attendance period was deleted."}}
    assert v1.request("DELETE", f"/company/attendances/{new_id}").status_code == 404
    bad = v1.request("DELETE", f"/company/attendances/{new_id}", params={"skip_approval": "maybe"})
    assert (bad.status_code, bad.json()) == (400, {"success": False, "error": {"code": 400, "message": "Bad Request"}})


# -- projects --------------------------------------------------------------------------------------
def test_projects_crud(v1, mocks):
    mocks.clock.freeze()
    listed = v1.get("/company/attendances/projects").json()
    assert listed["data"][0] == {
        "id": 567,
        "type": "Project",
        "attributes": {
            "name": "A project name",
            "active": True,
            "created_at": "2022-02-01T12:00:00+0100",
            "updated_at": "2022-02-01T12:00:00+0100",
        },
    }
    created = v1.request("POST", "/company/attendances/projects", json={"name": "Mock project"})
    assert created.status_code == 200 and "authorization" not in created.headers
    project = created.json()["data"]
    assert project["attributes"]["active"] is False and project["type"] == "Project"
    updated = v1.request("PATCH", f"/company/attendances/projects/{project['id']}", json={"active": True}).json()
    assert updated["data"]["attributes"] == {**project["attributes"], "active": True}
    deleted = v1.request("DELETE", f"/company/attendances/projects/{project['id']}")
    assert (deleted.status_code, deleted.content, "content-type" in deleted.headers) == (204, b"", False)
    gone = v1.request("DELETE", f"/company/attendances/projects/{project['id']}")
    assert (gone.status_code, gone.json()) == (404, {"success": False, "message": f"Project {project['id']} not found"})


@pytest.mark.parametrize(
    "method, path, body, error",
    [
        ("POST", "/company/attendances/projects", {"name": ""}, {"name": ["Project name cannot be empty"]}),
        ("POST", "/company/attendances/projects", {"active": True}, {"name": ["Project name cannot be empty"]}),
        (
            "PATCH",
            "/company/attendances/projects/567",
            {"active": "yes"},
            {"active": ["Active field needs to be of type boolean"]},
        ),
    ],
)
def test_project_errors(v1, method, path, body, error):
    response = v1.request(method, path, json=body)
    assert (response.status_code, response.json()) == (400, {"success": False, "error": error})
