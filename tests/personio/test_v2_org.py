"""v2 legal entities, org units, cost centers, compensations, projects and webhooks over the company's v1 records.

Sources: the developer hub reference pages https://developer.personio.de/reference/listlegalentities,
getlegalentitybyid, getorgunit, listcostcenters, post_v2-compensations, get_v2-compensations-types,
post_v2-compensations-types, get_v2-projects, get_v2-projects-id, get_v2-webhooks, post_v2-webhooks,
get_v2-webhooks-id, patch_v2-webhooks-id (verbatim openings in tests/reference/personio/v2/hub/); the org unit
shape of ninjaneers-team/pysonio (src/pysonio/models/org_units.py@b47db7f); the other response shapes are
inferred (docs/vendors/personio.md).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mocks.core.webhooks import dispatcher_for

from .conftest import READONLY_ID, READONLY_SECRET, V2, PersonioV1, PersonioV2, v2_errors, walk

RATE_HEADERS = ("x-ratelimit-burst-capacity", "x-ratelimit-replenish-rate", "x-ratelimit-remaining")


# -- legal entities --------------------------------------------------------------------------------
def test_legal_entities_are_the_subcompanies_legal_entities_newest_first(v2):
    response = v2.get("/legal-entities")
    assert response.status_code == 200
    assert all(h in response.headers for h in RATE_HEADERS)
    body = response.json()
    assert [e["id"] for e in body["_data"]] == ["172", "171", "170"]  # same creation instant: higher id first
    assert body["_data"][2] == {
        "id": "170",
        "name": "Demo Holding GmbH",
        "country": "DE",
        "created_at": "2014-11-01T00:00:00Z",
    }
    assert "next" not in body["_meta"]["links"]


def test_legal_entity_filters_and_pages(v2):
    assert [e["id"] for e in v2.get("/legal-entities", id="170,172").json()["_data"]] == ["172", "170"]
    assert v2.get("/legal-entities", country="IE").json()["_data"] == []
    assert len(v2.get("/legal-entities", country="de,IE").json()["_data"]) == 3
    first = v2.get("/legal-entities", limit=2).json()
    assert len(first["_data"]) == 2 and "next" in first["_meta"]["links"]
    assert [e["id"] for e in walk(v2, "/legal-entities", limit=1)] == ["172", "171", "170"]
    assert v2_errors(v2.get("/legal-entities", id="abc"))[0]["title"] == "Bad request"


def test_legal_entity_matches_the_employment_and_its_404_is_the_documented_one(v2):
    employment = v2.get("/persons/5005/employments").json()["_data"][0]
    entity = v2.get(f"/legal-entities/{employment['legal_entity']['id']}")
    assert entity.status_code == 200 and entity.json()["id"] == "170"
    missing = v2.get("/legal-entities/404")
    assert missing.status_code == 404
    assert v2_errors(missing) == [
        {
            "title": "Resource not found",
            "detail": "The requested resource was not found. The resource could have been deleted or never existed "
            "in our system.",
            "type": "https://developer.personio.de/reference/errors#common.requested_resource_not_found",
        }
    ]


# -- org units -------------------------------------------------------------------------------------
def test_org_units_of_an_employment(v2):
    """pysonio's test: every org unit of an employment can be fetched with its type."""
    employment = v2.get("/persons/5005/employments").json()["_data"][0]
    units = {u["type"]: v2.get(f"/org-units/{u['id']}", type=u["type"]) for u in employment["org_units"]}
    assert set(units) == {"team", "department"}
    team = units["team"].json()
    assert team["id"] == "4502" and team["name"] == "Platform" and team["parent_id"] == "401"
    assert team["create_time"] == "2014-11-01T00:00:00Z" and "parent_chain" not in team
    assert team["_meta"]["links"]["self"]["href"].endswith("/personio/v2/org-units/4502?type=team")
    department = units["department"].json()
    assert (department["name"], department["parent_id"]) == ("Engineering", None)


def test_org_unit_parent_chain_and_errors(v2):
    team = v2.get("/org-units/4502", type="team", include_parent_chain="true").json()
    assert [(p["id"], p["type"], p["name"]) for p in team["parent_chain"]] == [("401", "department", "Engineering")]
    assert v2.get("/org-units/401", type="team").status_code == 404  # a department is no team
    assert v2.get("/org-units/401").status_code == 400  # the type is needed (pysonio sends it always)
    assert v2.get("/org-units/401", type="office").status_code == 400


# -- cost centers ----------------------------------------------------------------------------------
def test_cost_centers_are_the_v1_cost_centers(v2):
    body = v2.get("/cost-centers").json()
    assert body["_data"] == [
        {"id": "1000", "name": "Research and Development"},
        {"id": "1001", "name": "Sales and Marketing"},
        {"id": "1002", "name": "General and Administrative"},
        {"id": "82957", "name": "Cost center 1"},
    ]
    assert [c["id"] for c in v2.get("/cost-centers", sort="name").json()["_data"]] == ["82957", "1002", "1000", "1001"]
    assert [c["id"] for c in v2.get("/cost-centers", id="1001,82957").json()["_data"]] == ["1001", "82957"]
    assert v2.get("/cost-centers", name="sales and marketing").json()["_data"] == [
        {"id": "1001", "name": "Sales and Marketing"}
    ]
    assert v2.get("/cost-centers", sort="budget").status_code == 400


# -- compensations ---------------------------------------------------------------------------------
def test_compensation_types(v2):
    response = v2.get("/compensations/types")
    assert response.status_code == 200
    types = response.json()["_data"]
    assert types[0] == {"id": "0b2f06b4-5c61-4bf5-9e8f-e23fb2c52ff7", "name": "salary", "category": "FIXED_SALARY"}
    assert v2.get("/compensations/types", limit=101).status_code == 400  # the documented "Limit value not allowed"
    created = v2.request("POST", "/compensations/types", json={"name": "Meal allowance", "category": "RECURRING"})
    assert created.status_code == 200  # the documented status
    body = created.json()
    assert (body["name"], body["category"]) == ("Meal allowance", "RECURRING")
    assert body in v2.get("/compensations/types").json()["_data"]
    assert v2.request("POST", "/compensations/types", json={"name": None, "category": "RECURRING"}).status_code == 400
    assert v2.request("POST", "/compensations/types", json={"name": "x", "category": "HOURLY"}).status_code == 400


def test_salaries_are_compensations_and_created_ones_join_them(v2):
    salaries = walk(v2, "/compensations", **{"person.id": "3003"})
    assert salaries == [
        {
            "id": salaries[0]["id"],
            "person": {"id": "3003"},
            "legal_entity": salaries[0]["legal_entity"],
            "type": {"id": "0b2f06b4-5c61-4bf5-9e8f-e23fb2c52ff7", "name": "salary", "category": "FIXED_SALARY"},
            "value": 6200.0,
            "currency": "EUR",
            "interval": "MONTHLY",
            "effective_from": "2017-08-01",
            "comment": None,
        }
    ]
    bonus = "c3f1a8d2-6e4b-4d9a-b7f0-1a2b3c4d5e33"
    created = v2.request(
        "POST",
        "/compensations",
        json={"person": {"id": "3003"}, "type": {"id": bonus}, "value": 500.5, "effective_from": "2020-01-15"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["interval"] is None  # ignored for ONE_TIME (documented)
    january = walk(v2, "/compensations", start_date="2020-01-01", end_date="2020-01-31", **{"person.id": "3003"})
    assert [c["value"] for c in january] == [6200.0, 500.5]
    february = walk(v2, "/compensations", start_date="2020-02-01", **{"person.id": "3003"})
    assert [c["value"] for c in february] == [6200.0]


def test_compensation_errors(v2):
    assert v2.get("/compensations", start_date="2020-01-01", end_date="2020-03-01").status_code == 400
    assert v2.get("/compensations", start_date="2020-02-01", end_date="2020-01-01").status_code == 400
    assert v2.get("/compensations", start_date="01.01.2020").status_code == 400
    salary = "0b2f06b4-5c61-4bf5-9e8f-e23fb2c52ff7"
    unknown = v2.request(
        "POST",
        "/compensations",
        json={"person": {"id": "999999"}, "type": {"id": salary}, "value": 1, "effective_from": "2020-01-01"},
    )
    assert unknown.status_code == 422 and v2_errors(unknown)[0]["detail"] == "The person does not exist."
    cents = v2.request(
        "POST",
        "/compensations",
        json={"person": {"id": "3003"}, "type": {"id": salary}, "value": 1.234, "effective_from": "2020-01-01"},
    )
    assert cents.status_code == 400


def test_creating_a_compensation_needs_both_scopes(http):
    writer = PersonioV2(http, scope="personio:compensations:write")
    refused = writer.request("POST", "/compensations", json={})
    assert refused.status_code == 403


# -- projects --------------------------------------------------------------------------------------
def test_projects_are_the_v1_attendance_projects(v2, http):
    projects = v2.get("/projects").json()["_data"]
    assert projects[0] == {
        "id": "567",
        "name": "A project name",
        "status": "ACTIVE",
        "project_code": None,
        "parent_project": None,
        "assigned_to_all": True,
        "created_at": "2022-02-01T11:00:00Z",
        "updated_at": "2022-02-01T11:00:00Z",
    }
    assert [p["id"] for p in v2.get("/projects", status="INACTIVE").json()["_data"]] == ["570"]
    assert [p["id"] for p in v2.get("/projects", name="A project name,Website relaunch").json()["_data"]] == [
        "567",
        "570",
    ]
    v1 = PersonioV1(http)
    assert {p["id"] for p in v1.get("/company/attendances/projects").json()["data"]} == {567, 568, 569, 570}


def test_project_includes(v2):
    project = v2.get("/projects/567", include="tracked_minutes,tracked_periods_count").json()
    assert set(project) >= {"tracked_minutes", "tracked_periods_count"}
    assert "sub_projects_count" not in project
    assert project["tracked_periods_count"] == len(
        [p for p in walk(v2, "/attendance-periods", **{"project.id": "567"})]
    )
    invalid = v2.get("/projects", include="invalid_field")
    assert invalid.status_code == 422  # the documented "422 Invalid include parameter"
    assert v2_errors(invalid)[0]["detail"] == "Invalid include parameter: invalid_field."


def test_project_lifecycle_is_seen_by_v1(v2, http):
    created = v2.request("POST", "/projects", json={"name": "Migration", "project_code": "PRJ-1234"})
    assert created.status_code == 201
    project_id = created.json()["id"]
    sub = v2.request("POST", "/projects", json={"name": "Migration phase 1", "parent_project": {"id": project_id}})
    assert sub.status_code == 201
    assert [p["name"] for p in v2.get("/projects", **{"parent_project.id": project_id}).json()["_data"]] == [
        "Migration phase 1"
    ]
    assert project_id not in [p["id"] for p in v2.get("/projects", top_level_only="false").json()["_data"][:4]]
    assert sub.json()["id"] not in [p["id"] for p in v2.get("/projects", top_level_only="true").json()["_data"]]
    assert v2.get(f"/projects/{project_id}", include="sub_projects_count").json()["sub_projects_count"] == 1
    updated = v2.request("PATCH", f"/projects/{project_id}", json={"status": "INACTIVE"})
    assert updated.status_code == 204 and updated.content == b""
    v1 = PersonioV1(http)
    mine = next(p for p in v1.get("/company/attendances/projects").json()["data"] if p["id"] == int(project_id))
    assert mine["attributes"]["active"] is False
    assert v2.request("POST", "/projects", json={"name": "Migration"}).status_code == 422  # names are unique (v1)
    deleted = v2.request("DELETE", f"/projects/{project_id}")
    assert deleted.status_code == 204
    assert v2.get(f"/projects/{sub.json()['id']}").status_code == 404  # sub projects go with it (documented)
    assert v2_errors(v2.get(f"/projects/{project_id}"))[0]["title"] == "Resource not found"


# -- project members (https://developer.personio.de/reference/get_v2-projects-id-members, post_..., delete_...) ----
def test_project_members_lifecycle(v2, http):
    assert v2.get("/projects/567/members").json()["_data"] == []  # assigned to all employees
    added = v2.request("POST", "/projects/567/members", json=[{"person": {"id": "5"}}, {"person": {"id": "1"}}])
    assert (added.status_code, added.content) == (201, b"")
    assert all(h in added.headers for h in RATE_HEADERS)
    again = v2.request("POST", "/projects/567/members", json=[{"person": {"id": "1"}}])  # a member: no-op
    assert again.status_code == 201
    members = v2.get("/projects/567/members")
    assert members.status_code == 200 and members.json()["_data"] == [{"person": {"id": "1"}}, {"person": {"id": "5"}}]
    assert v2.get("/projects/567").json()["assigned_to_all"] is False  # "converted to a project with members"
    first = v2.get("/projects/567/members", limit=1).json()
    assert first["_data"] == [{"person": {"id": "1"}}] and first["_meta"]["links"]["next"]["href"].startswith("http")
    assert walk(v2, "/projects/567/members", limit=1) == [{"person": {"id": "1"}}, {"person": {"id": "5"}}]
    gone = v2.request("DELETE", "/projects/567/members", params={"person_id": "5,999"})  # 999: no member, no-op
    assert (gone.status_code, gone.content) == (204, b"")
    assert v2.get("/projects/567/members").json()["_data"] == [{"person": {"id": "1"}}]
    assert v2.request("DELETE", "/projects/567/members").status_code == 204  # no person_id: every member
    assert v2.get("/projects/567/members").json()["_data"] == []
    assert v2.get("/projects/567").json()["assigned_to_all"] is True
    v1 = PersonioV1(http)
    assert {p["id"] for p in v1.get("/company/attendances/projects").json()["data"]} >= {567}


def test_project_member_errors(v2, mocks):
    unknown = v2.request("POST", "/projects/567/members", json=[{"person": {"id": "1"}}, {"person": {"id": "999999"}}])
    assert unknown.status_code == 422 and v2_errors(unknown)[0]["detail"] == "Person not found."
    assert v2.get("/projects/567/members").json()["_data"] == []  # "the entire request will fail"
    for body in ({"person": {"id": "1"}}, [], [{"id": "1"}], "x"):
        assert v2.request("POST", "/projects/567/members", json=body).status_code == 400, body
    assert v2.get("/projects/567/members", limit=300).status_code == 422  # "422 Invalid limit"
    assert v2.get("/projects/567/members", limit=0).status_code == 422
    for method, kwargs in (("GET", {}), ("POST", {"json": [{"person": {"id": "1"}}]}), ("DELETE", {})):
        missing = v2.request(method, "/projects/9999/members", **kwargs)
        assert missing.status_code == 404 and v2_errors(missing)[0]["title"] == "Resource not found"
    sub = v2.request("POST", "/projects", json={"name": "Sub of 567", "parent_project": {"id": "567"}}).json()["id"]
    for method, kwargs in (("POST", {"json": [{"person": {"id": "1"}}]}), ("DELETE", {})):
        refused = v2.request(method, f"/projects/{sub}/members", **kwargs)
        assert refused.status_code == 422, method  # "Subprojects can't have members"
    assert len(mocks.world("personio")["project_members"]) == 0


def test_deleting_a_project_drops_its_members(v2, http, mocks):
    project = v2.request("POST", "/projects", json={"name": "Short-lived"}).json()["id"]
    assert v2.request("POST", f"/projects/{project}/members", json=[{"person": {"id": "2"}}]).status_code == 201
    v1 = PersonioV1(http)
    assert v1.request("DELETE", f"/company/attendances/projects/{project}").status_code == 204
    assert len(mocks.world("personio")["project_members"]) == 0
    reading = PersonioV2(http, scope="personio:projects:read")
    assert reading.request("POST", "/projects/567/members", json=[{"person": {"id": "2"}}]).status_code == 403


# -- webhooks --------------------------------------------------------------------------------------
HOOK = {"url": "https://example.com/hooks/personio", "description": "HR sync", "enabled_events": ["person.updated"]}


def test_webhook_crud(v2):
    assert v2.get("/webhooks").json()["_data"] == []
    created = v2.request("POST", "/webhooks", json={**HOOK, "token": "Bearer s3cret"})
    assert created.status_code == 201
    assert all(h in created.headers for h in RATE_HEADERS)
    hook = created.json()
    assert hook == {
        "id": hook["id"],
        "url": "https://example.com/hooks/personio",
        "description": "HR sync",
        "status": "DISABLED",
        "auth_type": "TOKEN",
        "enabled_events": ["person.updated"],
        "token": "Bearer s3cret",
    }
    assert v2.get(f"/webhooks/{hook['id']}").json() == hook
    assert v2.get("/webhooks", enabled_events="person.updated").json()["_data"] == [hook]
    assert v2.get("/webhooks", enabled_events="person.created").json()["_data"] == []
    assert v2.get("/webhooks", status="ENABLED").json()["_data"] == []
    updated = v2.request("PATCH", f"/webhooks/{hook['id']}", json={"status": "ENABLED"})
    assert updated.status_code == 200 and updated.json() == {**hook, "status": "ENABLED"}
    assert v2.request("DELETE", f"/webhooks/{hook['id']}").status_code == 204
    assert v2.get(f"/webhooks/{hook['id']}").status_code == 404


@pytest.mark.parametrize(
    "changes, status",
    [
        ({"url": "http://example.com/hook"}, 400),  # "This should be an HTTPS endpoint."
        ({"enabled_events": []}, 400),
        ({"status": "PAUSED"}, 400),
        ({"custom_headers": {"X-Auth": "a"}}, 422),  # only with auth_type CUSTOM (documented)
        ({"auth_type": "CUSTOM", "custom_headers": {"a": "1", "b": "2", "c": "3", "d": "4"}}, 422),  # at most 3
        ({"auth_type": "CUSTOM", "custom_headers": {"Content-Type-X": "1"}}, 422),  # reserved prefix
    ],
)
def test_webhook_validation(v2, changes, status):
    response = v2.request("POST", "/webhooks", json={**HOOK, **changes})
    assert response.status_code == status, response.text
    assert v2_errors(response)[0]["detail"]


def test_webhook_duplicate_url_and_scopes(v2, http):
    assert v2.request("POST", "/webhooks", json=HOOK).status_code == 201
    assert v2.request("POST", "/webhooks", json=HOOK).status_code == 409
    custom = v2.request(
        "POST",
        "/webhooks",
        json={**HOOK, "url": "https://example.com/2", "auth_type": "CUSTOM", "custom_headers": {"X-My-Auth": "abc123"}},
    )
    assert custom.status_code == 201 and custom.json()["custom_headers"] == {"X-My-Auth": "abc123"}
    reader = PersonioV2(http, client_id=READONLY_ID, secret=READONLY_SECRET)
    assert reader.get("/webhooks").status_code == 403
    assert reader.get("/legal-entities").status_code == 403


def test_new_scopes_are_granted_to_the_full_access_credentials(http):
    token = http.post(
        f"{V2}/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d",
            "client_secret": "verY-Secret-p4ssw0rd",
        },
    ).json()
    granted = set(token["scope"].split())
    assert {
        "personio:legal-entities:read",
        "personio:compensations:read",
        "personio:compensations:write",
        "personio:webhooks:read",
        "personio:webhooks:write",
        "personio:projects:write",
    } <= granted


# -- webhook events: ping, test events, activity, redelivery (post_v2-webhooks-id-ping, get_v2-webhooks-id-activity...)
def _hook(v2: PersonioV2, url: str, **fields: Any) -> dict:
    created = v2.request("POST", "/webhooks", json={**HOOK, "url": url, **fields})
    assert created.status_code == 201, created.text
    return created.json()


@pytest.mark.embedded_only("webhook deliveries and their retries are per worker (docs/design/redis-scale-out.md)")
def test_ping_is_delivered_to_the_registered_url_with_the_token(v2, mocks, webhook_receiver):
    mocks.clock.freeze()
    hook = _hook(v2, webhook_receiver.url, token="Bearer s3cret")
    ping = v2.request("POST", f"/webhooks/{hook['id']}/ping")
    assert ping.status_code == 200 and all(h in ping.headers for h in RATE_HEADERS)
    event = ping.json()
    assert set(event) == {"id", "event_name", "occurred_at", "payload"} and event["event_name"] == "ping"
    sent = webhook_receiver.next()
    assert sent["path"] == "/hook" and sent["headers"]["Authorization"] == "Bearer s3cret"  # "this exact value"
    assert sent["headers"]["Content-Type"] == "application/json"
    body = json.loads(sent["body"])
    assert set(body) == {"company_id", "event_name", "occurred_at", "payload", "meta"}  # the documented structure
    assert (body["company_id"], body["event_name"], body["occurred_at"]) == ("33434", "ping", event["occurred_at"])
    assert dispatcher_for(mocks.suite).wait_idle()
    activity = v2.get(f"/webhooks/{hook['id']}/activity").json()["_data"]
    assert len(activity) == 1 and activity[0]["event_id"] == event["id"]
    assert (activity[0]["status"], activity[0]["is_delivered"], activity[0]["attempts"]) == ("DELIVERED", True, 1)
    assert v2.get(f"/webhooks/{hook['id']}/events").json()["_data"] == [event]
    assert v2.get(f"/webhooks/{hook['id']}/activity", is_delivered="false").json()["_data"] == []


def test_test_events_must_be_enabled_and_carry_a_payload(v2, webhook_receiver):
    hook = _hook(v2, webhook_receiver.url, auth_type="CUSTOM", custom_headers={"X-Api-Key": "k1"})
    for body in ({"event_name": "person.deleted", "payload": {"id": "1"}}, {"event_name": "person.updated"}, {}):
        refused = v2.request("POST", f"/webhooks/{hook['id']}/test-event", json=body)
        assert refused.status_code == 400 and v2_errors(refused), body
    sent = v2.request(
        "POST", f"/webhooks/{hook['id']}/test-event", json={"event_name": "person.updated", "payload": {"id": "1"}}
    )
    assert sent.status_code == 200 and sent.json()["payload"] == {"id": "1"}
    request = webhook_receiver.next()
    assert request["headers"]["X-Api-Key"] == "k1" and "Authorization" not in request["headers"]
    assert json.loads(request["body"])["payload"] == {"id": "1"}
    assert [
        e["event_name"] for e in v2.get(f"/webhooks/{hook['id']}/events", event_name="person.updated").json()["_data"]
    ] == ["person.updated"]
    for path in ("ping", "test-event"):
        missing = v2.request("POST", f"/webhooks/533e7206-f4a3-11ed-9c8b-436fad0b82d1/{path}", json={"event_name": "x"})
        assert missing.status_code == 404 and v2_errors(missing)[0]["title"] == "Resource not found"


@pytest.mark.embedded_only("webhook deliveries and their retries are per worker (docs/design/redis-scale-out.md)")
def test_failed_deliveries_retry_on_the_virtual_clock_and_can_be_redelivered(v2, mocks, webhook_receiver):
    mocks.clock.freeze()
    webhook_receiver.statuses = [500, 503]
    hook = _hook(v2, webhook_receiver.url)
    event = v2.request("POST", f"/webhooks/{hook['id']}/ping").json()
    dispatcher = dispatcher_for(mocks.suite)
    webhook_receiver.next()
    assert dispatcher.wait_idle()
    pending = v2.get(f"/webhooks/{hook['id']}/activity").json()["_data"][0]
    assert (pending["status"], pending["attempts"], pending["completed_at"]) == ("PENDING", 1, None)
    mocks.clock.advance(60)  # the first delay (inferred)
    webhook_receiver.next()
    assert dispatcher.wait_idle()
    redelivered = v2.request("POST", f"/webhooks/{hook['id']}/redelivery", params={"event_id": event["id"]})
    assert redelivered.status_code == 200 and redelivered.json()["_data"] == [event]
    assert json.loads(webhook_receiver.next()["body"])["meta"] == {"event_id": event["id"]}
    assert dispatcher.wait_idle()
    activity = v2.get(f"/webhooks/{hook['id']}/activity").json()["_data"]
    assert [(a["event_id"], a["status"]) for a in activity] == [(event["id"], "PENDING"), (event["id"], "DELIVERED")]
    mocks.clock.advance(31 * 86400)  # "Only events in the last 30 days will be included."
    v2 = PersonioV2(v2.client)  # the token lived 24 h
    assert v2.get(f"/webhooks/{hook['id']}/events").json()["_data"] == []
    assert v2.request("POST", f"/webhooks/{hook['id']}/redelivery").json()["_data"] == []
    assert v2.get(f"/webhooks/{hook['id']}/events", **{"occurred_at.gte": "yesterday"}).status_code == 400


def test_webhook_event_scopes(http, webhook_receiver):
    reader = PersonioV2(http, scope="personio:webhooks:read")
    hook = _hook(PersonioV2(http), webhook_receiver.url)
    assert reader.get(f"/webhooks/{hook['id']}/events").status_code == 200
    assert reader.request("POST", f"/webhooks/{hook['id']}/ping").status_code == 403
    assert webhook_receiver.received.empty()
