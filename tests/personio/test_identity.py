"""One company, three APIs: v1 employees, v2 persons and recruiting hires are the same people."""

from __future__ import annotations

from .conftest import V2, PersonioV2

STATUS = {"active": "ACTIVE", "leave": "ACTIVE", "onboarding": "ACTIVE", "inactive": "INACTIVE"}


def _v1_everyone(v1) -> dict[int, dict]:
    found, offset = {}, 0
    while True:
        page = v1.get("/company/employees", limit=100, offset=offset).json()
        found.update({e["attributes"]["id"]["value"]: e["attributes"] for e in page["data"]})
        offset += 100
        if offset >= page["metadata"]["total_elements"]:
            return found


def _v2_everyone(v2) -> dict[str, dict]:
    found, url = {}, "/persons"
    params = {"limit": 50}
    while url:
        page = v2.get(url, **params).json()
        found.update({p["id"]: p for p in page["_data"]})
        url, params = page["_meta"]["links"].get("next", {}).get("href"), {}
    return found


def test_every_v1_employee_is_a_v2_person(v1, v2):
    employees, persons = _v1_everyone(v1), _v2_everyone(v2)
    assert set(persons) == {str(i) for i in employees}
    for employee_id, a in employees.items():
        person = persons[str(employee_id)]
        assert (person["first_name"], person["last_name"], person["email"], person["preferred_name"]) == (
            a["first_name"]["value"],
            a["last_name"]["value"],
            a["email"]["value"],
            a["preferred_name"]["value"],
        )
        assert person["status"] == STATUS[a["status"]["value"]]


def test_the_current_employment_is_the_v1_employee(v1, v2):
    a = v1.get("/company/employees/3003").json()["data"]["attributes"]
    person = v2.get("/persons/3003").json()
    employment = v2.get(f"/persons/3003/employments/{person['employments'][0]['id']}").json()
    assert employment["position"]["title"] == a["position"]["value"]
    assert employment["office"]["id"] == str(a["office"]["value"]["attributes"]["id"])
    assert {"type": "department", "id": str(a["department"]["value"]["attributes"]["id"])} in employment["org_units"]
    assert employment["supervisor"]["id"] == str(a["supervisor"]["value"]["attributes"]["id"]["value"])
    assert employment["weekly_working_hours"] == float(a["weekly_working_hours"]["value"])


def test_v1_writes_show_in_v2(v1, v2, mocks):
    mocks.clock.freeze()
    created = v1.request(
        "POST",
        "/company/employees",
        json={
            "employee": {
                "email": "new.hire@demo.email",
                "first_name": "New",
                "last_name": "Hire",
                "gender": "diverse",
                "position": "Recruiter",
                "department": "People",
                "supervisor_id": 5,
            }
        },
    ).json()["data"]["id"]
    person = v2.get(f"/persons/{created}").json()
    assert (person["email"], person["gender"], person["status"]) == ("new.hire@demo.email", "DIVERSE", "ACTIVE")
    mocks.clock.advance(3600)
    v1.request("PATCH", f"/company/employees/{created}", json={"employee": {"position": "Senior Recruiter"}})
    later = v2.get(f"/persons/{created}").json()
    assert later["updated_at"] > person["updated_at"]
    employment = v2.get(f"/persons/{created}/employments").json()["_data"][0]
    assert (employment["position"]["title"], employment["supervisor"]["id"]) == ("Senior Recruiter", "5")
    found = v2.get("/persons", email="new.hire@demo.email").json()["_data"]
    assert [p["id"] for p in found] == [str(created)]


def test_recent_hires_came_through_recruiting(v1, mocks):
    world = mocks.world("personio")
    hires = [a for a in world["applications"].values() if a["employee_id"] is not None]
    assert hires
    for application in hires:
        a = v1.get(f"/company/employees/{application['employee_id']}").json()["data"]["attributes"]
        assert (application["first_name"], application["last_name"], application["email"], application["phase"]) == (
            a["first_name"]["value"],
            a["last_name"]["value"],
            a["email"]["value"],
            {"type": "system", "id": "accepted"},
        )
        assert application["application_date"] < a["hire_date"]["value"][:10]


def test_a_company_seen_through_its_jobs_host_is_the_same_world(http, mocks):
    acme_v2 = PersonioV2(http, headers={"X-Mock-Tenant": "acme"})
    via_host = http.get("/xml", headers={"Host": "acme.jobs.personio.de"})
    assert via_host.status_code == 200
    assert ("personio", "acme") in mocks.worlds()
    persons = http.get(f"{V2}/persons", params={"limit": 1}, headers={"Authorization": f"Bearer {acme_v2.token}"})
    assert persons.status_code == 200  # the acme token routes to acme by itself
