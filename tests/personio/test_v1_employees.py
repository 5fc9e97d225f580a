"""v1 employees: attribute objects, pagination, filters, projections, writes, balance, pictures
(personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

import struct

import pytest

from .conftest import READONLY_ID, READONLY_SECRET, V1, PersonioV1, v1_error

GERMAN_404 = {"success": False, "error": {"code": 404, "message": "Es ist ein Problem aufgetreten "}}


def attr(label, value, kind="standard", universal_id=None, key=None):
    return {"label": label, "value": value, "type": kind, "universal_id": universal_id or key}


def test_documented_employee_1(v1):
    response = v1.get("/company/employees/1")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["success", "data"] and body["data"]["type"] == "Employee"
    a = body["data"]["attributes"]
    assert a["id"] == {"label": "ID", "value": 1, "type": "integer", "universal_id": "id"}
    assert a["first_name"] == attr("First name", "Alexander", universal_id="first_name")
    assert a["preferred_name"] == attr("Name (preferred)", "Alexander Bergmann", universal_id="preferred_name")
    assert a["supervisor"] == {
        "label": "Supervisor",
        "value": {
            "type": "Employee",
            "attributes": {"id": {"label": "ID", "value": 2, "type": "integer", "universal_id": "id"}},
        },
        "type": "standard",
        "universal_id": "supervisor",
    }
    assert a["weekly_working_hours"]["value"] == "40"
    assert a["hire_date"] == attr("Hire date", "2014-11-09T00:00:00+01:00", "date", "hire_date")
    assert a["created_at"] == attr("created_at", "2017-05-23T09:49:03+02:00", "date", "created_at")
    assert a["last_modified_at"] == attr("Last modified", "2020-11-18T17:33:55+01:00", "date", "last_modified_at")
    assert a["contract_end_date"] == attr("Contract ends", None, "date", "contract_end_date")
    assert a["office"]["value"] == {"type": "Office", "attributes": {"id": 131014, "name": "Munich"}}
    assert a["subcompany"]["value"] == {"type": "Subcompany", "attributes": {"id": 7033, "name": "CS Demo GmbH"}}
    assert a["department"]["value"] == {"type": "Department", "attributes": {"id": 281521, "name": "Customer Support"}}
    assert a["team"]["value"] == {"type": "Team", "attributes": {"id": 59026, "name": "T_X"}}
    assert a["cost_centers"]["value"] == [
        {"type": "CostCenter", "attributes": {"id": 82957, "name": "Cost center 1", "percentage": 100}}
    ]
    assert a["holiday_calendar"]["value"] == {
        "type": "HolidayCalendar",
        "attributes": {"id": 2, "name": "Deutschland (Bayern) Feiertage", "country": "DE", "state": "Bayern"},
    }
    assert a["work_schedule"]["value"]["attributes"]["monday"] == "08:00"
    assert a["work_schedule"]["value"]["attributes"]["valid_from"] is None
    assert a["fix_salary"] == {
        "label": "Fix salary",
        "value": 3000,
        "type": "decimal",
        "universal_id": "fix_salary",
        "currency": "EUR",
    }
    assert a["profile_picture"]["value"].endswith("/personio/v1/company/employees/1/profile-picture")
    assert a["dynamic_24407"] == {"label": "Titel", "value": "Dr", "universal_id": None, "type": "standard"}
    assert a["dynamic_21827"] == {
        "label": "IBAN",
        "value": "DE98 8989 9898 0000 8989 00",
        "universal_id": "iban",
        "type": "standard",
    }
    assert a["dynamic_180883"] == {
        "label": "Birthday",
        "value": "1983-08-18",
        "universal_id": "date_of_birth",
        "type": "date",
    }
    assert "vacation_day_balance" not in a


@pytest.mark.parametrize(
    "path",
    ["/company/employees/999999", "/company/employees/999999/absences/balance", "/company/employees/not-a-number"],
)
def test_unknown_employee_is_the_german_404(v1, path):
    response = v1.get(path)
    assert response.status_code == 404
    assert response.json() == GERMAN_404


def test_list_defaults_to_50_items_and_caps_at_100(v1):
    page = v1.get("/company/employees").json()
    total = page["metadata"]["total_elements"]
    assert total > 50
    assert (page["offset"], page["limit"], len(page["data"])) == (0, 50, 50)
    assert page["metadata"] == {"total_elements": total, "current_page": 0, "total_pages": -(-total // 50)}
    big = v1.get("/company/employees", limit=500).json()
    assert big["limit"] == 100 and len(big["data"]) == min(100, total)


def test_item_offsets_and_zero_based_pages(v1):
    first = v1.get("/company/employees", limit=10).json()
    third = v1.get("/company/employees", limit=10, offset=20).json()
    assert third["metadata"]["current_page"] == 2 and third["offset"] == 20
    ids = [e["attributes"]["id"]["value"] for e in first["data"]]
    assert ids == sorted(ids) and ids[0] == 1
    walked = []
    offset = 0
    while True:
        page = v1.get("/company/employees", limit=7, offset=offset).json()
        walked += [e["attributes"]["id"]["value"] for e in page["data"]]
        offset += 7
        if offset >= page["metadata"]["total_elements"]:
            break
    assert len(walked) == len(set(walked)) == first["metadata"]["total_elements"]


def test_email_filter_and_attribute_projection(v1):
    found = v1.get("/company/employees", email="Alexander.Bergmann@demo.email").json()
    assert found["metadata"]["total_elements"] == 1
    projected = v1.request(
        "GET",
        "/company/employees",
        params=[
            ("attributes[]", "first_name"),
            ("attributes[]", "dynamic_21827"),
            ("email", "alexander.bergmann@demo.email"),
        ],
    ).json()
    assert list(projected["data"][0]["attributes"]) == ["id", "first_name", "dynamic_21827"]


def test_only_whitelisted_attributes_are_visible(http):
    readonly = PersonioV1(http, READONLY_ID, READONLY_SECRET)
    employee = readonly.get("/company/employees/1").json()["data"]["attributes"]
    assert set(employee) == {
        "id",
        "first_name",
        "last_name",
        "email",
        "status",
        "position",
        "department",
        "office",
        "hire_date",
        "team",
    }
    keys = [a["key"] for a in readonly.get("/company/employees/attributes").json()["data"]]
    assert keys == [
        "first_name",
        "last_name",
        "email",
        "status",
        "position",
        "hire_date",
        "office",
        "department",
        "team",
    ]
    assert readonly.get("/company/employees/1/profile-picture/64").json() == {
        "success": False,
        "error": {"code": 404, "message": "Etwas ist schiefgelaufen ..."},
    }


def test_updated_since_with_and_without_attributes(v1, mocks):
    mocks.clock.freeze()
    everyone = v1.get("/company/employees", updated_since="2000-01-01", limit=1, offset=3).json()
    assert everyone["metadata"]["total_elements"] == len(everyone["data"]) > 50  # limit and offset are ignored
    since = mocks.clock.now().strftime("%Y-%m-%dT%H:%M:%S")
    assert v1.get("/company/employees", updated_since=since).json()["data"] == []
    mocks.clock.advance(60)
    v1.request("PATCH", "/company/employees/3003", json={"employee": {"position": "Head of Engineering"}})
    v1.request("PATCH", "/company/employees/4567", json={"employee": {"last_name": "Müller"}})
    changed = v1.get("/company/employees", updated_since=since).json()
    assert sorted(e["attributes"]["id"]["value"] for e in changed["data"]) == [3003, 4567]
    selected = v1.request("GET", "/company/employees", params={"updated_since": since, "attributes[]": "position"})
    assert [e["attributes"] for e in selected.json()["data"]] == [
        {
            "id": {"label": "ID", "value": 3003, "type": "integer", "universal_id": "id"},
            "position": attr("Position", "Head of Engineering", universal_id="position"),
        }
    ]
    bad = v1.get("/company/employees", updated_since="yesterday")
    assert bad.status_code == 422
    assert bad.json() == {
        "success": False,
        "error": {
            "message": "The given data was invalid.",
            "code": 0,
            "error_data": {"updated_since": ["The updated since is not a valid date."]},
        },
    }


def test_updated_since_metadata_is_the_documented_one(v1, mocks):
    """The official examples: 10 (17, 3) employees → total_pages 10 (17, 3), offset 0, limit 1, every row."""
    mocks.clock.freeze()
    since = mocks.clock.now().strftime("%Y-%m-%dT%H:%M:%S")
    mocks.clock.advance(60)
    for employee_id in (1, 2, 5):
        assert (
            v1.request(
                "PATCH", f"/company/employees/{employee_id}", json={"employee": {"position": "Tester"}}
            ).status_code
            == 200
        )
    body = v1.get("/company/employees", updated_since=since, limit=2, offset=1).json()
    assert [e["attributes"]["id"]["value"] for e in body["data"]] == [1, 2, 5]
    assert (body["metadata"], body["offset"], body["limit"]) == (
        {"total_elements": 3, "current_page": 0, "total_pages": 3},
        0,
        1,
    )
    everyone = v1.get("/company/employees", updated_since="2000-01-01").json()
    total = len(everyone["data"])
    assert (everyone["metadata"], everyone["offset"], everyone["limit"]) == (
        {"total_elements": total, "current_page": 0, "total_pages": total},
        0,
        1,
    )
    mocks.clock.advance(60)
    nobody = v1.get("/company/employees", updated_since=mocks.clock.now().strftime("%Y-%m-%dT%H:%M:%S+00:00")).json()
    assert (nobody["metadata"], nobody["limit"], nobody["data"]) == (
        {"total_elements": 0, "current_page": 0, "total_pages": 0},
        1,
        [],
    )


@pytest.mark.parametrize(
    "params, error_data",
    [
        ({"limit": 0}, {"limit": ["The limit must be at least 1."]}),
        ({"limit": 2**70}, {"limit": ["The limit may not be greater than 2147483647."]}),
        ({"offset": 2**70}, {"offset": ["The offset may not be greater than 2147483647."]}),
        ({"offset": 2**31}, {"offset": ["The offset may not be greater than 2147483647."]}),
        ({"limit": "many"}, {"limit": ["The limit must be an integer."]}),
        ({"offset": -1}, {"offset": ["The offset must be at least 0."]}),
    ],
)
def test_invalid_list_parameters(v1, params, error_data):
    response = v1.get("/company/employees", **params)
    assert response.status_code == 422
    assert response.json() == {
        "success": False,
        "error": {"message": "The given data was invalid.", "code": 0, "error_data": error_data},
    }


def test_the_largest_offset_is_an_empty_page(v1):
    body = v1.get("/company/employees", limit=100, offset=2147483647).json()
    assert (body["offset"], body["limit"], body["data"], body["metadata"]["current_page"]) == (
        2147483647,
        100,
        [],
        21474836,
    )


# -- writes ----------------------------------------------------------------------------------------
DOCUMENTED_CREATE = {
    "employee": {
        "email": "john.dou@demo.com",
        "first_name": "John",
        "last_name": "Dou",
        "preferred_name": "John Dou",
        "gender": "male",
        "position": "developer",
        "subcompany": "ACME",
        "department": "IT",
        "office": "Madrid",
        "hire_date": "2020-01-31",
        "weekly_working_hours": 40,
        "supervisor_id": 5,
        "custom_attributes": {"dynamic_24407": "German"},
    }
}


def test_documented_create_request(v1):
    response = v1.request("POST", "/company/employees", json=DOCUMENTED_CREATE)
    assert response.status_code == 200
    body = response.json()
    assert body == {"success": True, "data": {"id": body["data"]["id"], "message": "success"}}
    a = v1.get(f"/company/employees/{body['data']['id']}").json()["data"]["attributes"]
    assert (
        a["status"]["value"],
        a["office"]["value"]["attributes"]["name"],
        a["department"]["value"]["attributes"]["name"],
        a["subcompany"]["value"]["attributes"]["name"],
        a["supervisor"]["value"]["attributes"]["id"]["value"],
        a["dynamic_24407"]["value"],
    ) == ("active", "Madrid", "IT", "ACME", 5, "German")


def test_create_from_a_form_with_future_hire_date_is_onboarding(v1, mocks):
    form = {
        "employee[email]": "anna.neu@demo.email",
        "employee[first_name]": "Anna",
        "employee[last_name]": "Neu",
        "employee[hire_date]": "2099-01-01",
        "employee[department]": "Nowhere",
    }
    body = v1.request("POST", "/company/employees", data=form).json()
    assert body["meta"] == ["The department 'Nowhere' does not exist and was ignored."]
    a = v1.get(f"/company/employees/{body['data']['id']}").json()["data"]["attributes"]
    assert a["status"]["value"] == "onboarding" and a["department"]["value"] is None


@pytest.mark.parametrize("encoding", ["data", "files"])
def test_create_from_a_form_with_numeric_fields(v1, encoding):
    """Form values are strings: `employee[weekly_working_hours]=32` and `employee[supervisor_id]=2` are numbers."""
    fields = {
        "employee[email]": "nina.zahl@demo.email",
        "employee[first_name]": "Nina",
        "employee[last_name]": "Zahl",
        "employee[weekly_working_hours]": "32",
        "employee[supervisor_id]": "2",
    }
    payload = {"files": {k: (None, v) for k, v in fields.items()}} if encoding == "files" else {"data": fields}
    response = v1.request("POST", "/company/employees", **payload)
    assert response.status_code == 200, response.text
    a = v1.get(f"/company/employees/{response.json()['data']['id']}").json()["data"]["attributes"]
    assert (
        a["email"]["value"],
        a["weekly_working_hours"]["value"],
        a["supervisor"]["value"]["attributes"]["id"]["value"],
    ) == ("nina.zahl@demo.email", "32", 2)


@pytest.mark.parametrize("encoding", ["data", "files"])
def test_update_from_a_form_with_numeric_fields(v1, encoding):
    fields = {"employee[weekly_working_hours]": "20.5", "employee[supervisor_id]": "5"}
    payload = {"files": {k: (None, v) for k, v in fields.items()}} if encoding == "files" else {"data": fields}
    response = v1.request("PATCH", "/company/employees/3003", **payload)
    assert (response.status_code, response.json()) == (200, {"success": True, "data": {"id": 3003}, "meta": []})
    a = v1.get("/company/employees/3003").json()["data"]["attributes"]
    assert (a["weekly_working_hours"]["value"], a["supervisor"]["value"]["attributes"]["id"]["value"]) == ("20.5", 5)
    # an empty form value is null (Laravel): it unsets the supervisor
    emptied = {"employee[supervisor_id]": ""}
    payload = {"files": {k: (None, v) for k, v in emptied.items()}} if encoding == "files" else {"data": emptied}
    assert v1.request("PATCH", "/company/employees/3003", **payload).status_code == 200
    assert v1.get("/company/employees/3003").json()["data"]["attributes"]["supervisor"]["value"] is None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"employee[weekly_working_hours]": "many"}, "The employee.weekly working hours must be a number."),
        ({"employee[weekly_working_hours]": "²"}, "The employee.weekly working hours must be a number."),
        ({"employee[weekly_working_hours]": "200"}, "The employee.weekly working hours must be a number."),
        ({"employee[supervisor_id]": "²"}, "Supervisor with ID ² not found"),
        ({"employee[supervisor_id]": "2.5"}, "Supervisor with ID 2.5 not found"),
        ({"employee[supervisor_id]": "424242"}, "Supervisor with ID 424242 not found"),
    ],
)
def test_form_numbers_that_are_not_valid(v1, mocks, fields, message):
    before = mocks.world("personio")["employees"].get(3003)
    for method, path, extra in [
        ("PATCH", "/company/employees/3003", {}),
        (
            "POST",
            "/company/employees",
            {"employee[email]": "nina.zahl@demo.email", "employee[first_name]": "Nina", "employee[last_name]": "Zahl"},
        ),
    ]:
        response = v1.request(method, path, data={**extra, **fields})
        assert (response.status_code, response.json()) == (
            422,
            {"success": False, "error": {"code": 422, "message": message}},
        )
    assert mocks.world("personio")["employees"].get(3003) == before
    assert mocks.world("personio")["employees"].find(lambda r: r["email"] == "nina.zahl@demo.email") is None


@pytest.mark.parametrize(
    "employee, message",
    [
        ({"first_name": "A", "last_name": "B"}, "The employee.email field is required."),
        (
            {"email": "alexander.bergmann@demo.email", "first_name": "A", "last_name": "B"},
            "The employee.email has already been taken.",
        ),
        ({"email": "x@demo.email", "first_name": "A", "last_name": "B", "supervisor_id": 1}, None),
        (
            {"email": "x@demo.email", "first_name": "A", "last_name": "B", "supervisor_id": 424242},
            "Supervisor with ID 424242 not found",
        ),
        (
            {"email": "not-an-email", "first_name": "A", "last_name": "B"},
            "The employee.email must be a valid email address.",
        ),
        (
            {"email": "x@demo.email", "first_name": "A", "last_name": "B", "gender": "robot"},
            "The selected employee.gender is invalid.",
        ),
        (
            {"email": "x@demo.email", "first_name": "A", "last_name": "B", "hire_date": "31.01.2020"},
            "The employee.hire date is not a valid date.",
        ),
    ],
)
def test_create_validation(v1, mocks, employee, message):
    before = mocks.world("personio")["employees"].keys()
    response = v1.request("POST", "/company/employees", json={"employee": employee})
    if message is None:
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert response.json() == {"success": False, "error": {"code": 422, "message": message}}
    assert mocks.world("personio")["employees"].keys() == before


def test_update_ignores_email_and_unsets_the_supervisor(v1):
    response = v1.request(
        "PATCH",
        "/company/employees/1",
        json={
            "employee": {
                "email": "new@demo.email",
                "position": "Chief Technology Officer",
                "supervisor_id": None,
                "weekly_working_hours": 32,
            }
        },
    )
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": {"id": 1}, "meta": []}
    a = v1.get("/company/employees/1").json()["data"]["attributes"]
    assert (
        a["email"]["value"],
        a["position"]["value"],
        a["supervisor"]["value"],
        a["weekly_working_hours"]["value"],
    ) == ("alexander.bergmann@demo.email", "Chief Technology Officer", None, "32")


@pytest.mark.parametrize(
    "employee_id, body, status, expected",
    [
        (1, {"employee": {"supervisor_id": 1}}, 422, {"code": 422, "message": "Supervisor with ID 1 not found"}),
        (999999, {"employee": {"first_name": "X"}}, 404, GERMAN_404["error"]),
        (
            1,
            {"employee": {"status": "retired"}},
            422,
            {"code": 422, "message": "The selected employee.status is invalid."},
        ),
    ],
)
def test_update_errors(v1, employee_id, body, status, expected):
    response = v1.request("PATCH", f"/company/employees/{employee_id}", json=body)
    assert response.status_code == status
    assert v1_error(response) == expected


def test_attributes_and_their_alias(v1):
    attributes = v1.get("/company/employees/attributes").json()
    assert attributes == v1.get("/company/employees/custom-attributes").json()
    by_key = {a["key"]: a for a in attributes["data"]}
    assert by_key["first_name"] == {
        "key": "first_name",
        "label": "First name",
        "type": "standard",
        "universal_id": "first_name",
        "options": [],
    }
    assert by_key["dynamic_2"] == {
        "key": "dynamic_2",
        "label": "Marital status",
        "type": "list",
        "universal_id": None,
        "options": ["married", "single"],
    }
    assert "id" not in by_key


def test_absence_balance(v1, mocks):
    body = v1.get("/company/employees/4567/absences/balance").json()
    assert body["success"] is True
    vacation = next(b for b in body["data"] if b["id"] == 1234)
    assert (vacation["name"], vacation["category"]) == ("Paid vacation", "paid_vacation")
    assert vacation["available_balance"] <= vacation["balance"] <= 28
    # whole day counts are integers on the wire (`3`, never `3.0`), halves stay decimals
    for item in body["data"]:
        for key in ("balance", "available_balance"):
            assert isinstance(item[key], int) or not float(item[key]).is_integer(), item


@pytest.mark.parametrize(
    "path, width",
    [
        ("/company/employees/1/profile-picture/64", 64),
        ("/company/employees/1/profile-picture/300", 300),
        ("/company/employees/1/profile-picture/5000", 1024),
        ("/company/employees/1/profile-picture", 512),
    ],
)
def test_profile_picture_is_a_png_of_the_requested_width(v1, path, width):
    response = v1.request("GET", path, headers={"Accept": "image/png, image/jpeg"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", response.content[16:24]) == (width, width)


def test_profile_picture_404s(v1, mocks):
    without = next(r["id"] for r in mocks.world("personio")["employees"].values() if not r["has_picture"])
    for path in (
        f"/company/employees/{without}/profile-picture/64",
        "/company/employees/999999/profile-picture/64",
        "/company/employees/1/profile-picture/0",
    ):
        response = v1.get(path)
        assert (response.status_code, response.json()) == (
            404,
            {"success": False, "error": {"code": 404, "message": "Etwas ist schiefgelaufen ..."}},
        )


def test_virtual_host_answers_the_real_base_url(http, v1):
    response = http.get(
        "/v1/company/employees/1", headers={"Host": "api.personio.de", "Authorization": f"Bearer {v1.token}"}
    )
    assert response.status_code == 200
    assert (
        response.json()["data"]["attributes"]["profile_picture"]["value"]
        == "http://api.personio.de/v1/company/employees/1/profile-picture"
    )
    assert http.get(f"{V1}/company/employees").status_code == 401
