"""Cross-cutting behaviour on PERSCOM: the seeded roster, tenant isolation, faults, the journal,
virtual hosting and the FlaskApp build answering like the AsyncApp one."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from mocks.perscom.domain_relations import foreign_key
from mocks.perscom.domain_resources import MODELS, TABLES

from .conftest import ORG, Perscom, mint


def test_seeded_roster_references_existing_rows(mocks):
    world = mocks.world("perscom", ORG)
    for model in MODELS.values():
        for relation in model.relations.values():
            if relation.kind != "belongs_to":
                continue
            target = world[MODELS[relation.target].table]
            for row in world[model.table].values():
                if row.get(relation.fk) is not None:
                    assert foreign_key(row[relation.fk]) in target, (model.name, relation.fk, row)
    users = world["users"].values()
    assert len(users) == 40 and sum(1 for u in users if not u["approved"]) >= 1
    for user in users:
        ranks = sorted(world["rank_records"].values(), key=lambda r: r["created_at"])
        mine = [r for r in ranks if r["user_id"] == user["id"]]
        assert mine[-1]["rank_id"] == user["rank_id"]  # the rank was earned through rank records
        primary = [a for a in world["assignment_records"].values() if a["user_id"] == user["id"]][0]
        assert (primary["unit_id"], primary["position_id"]) == (user["unit_id"], user["position_id"])
    for table in (
        "award_records",
        "qualification_records",
        "combat_records",
        "service_records",
        "events",
        "submissions",
        "task_assignments",
        "model_has_statuses",
        "newsfeed",
    ):
        assert len(world[table]) > 0, table
    assert set(TABLES) >= {"users", "ranks"}


def test_organisations_are_isolated(api):
    one, two = api(["*"]), api(["*"], org="2")
    assert one.post("/ranks", {"name": "Only here"}).status_code == 201
    search = {"filters": [{"field": "name", "value": "Only here"}]}
    assert one.post("/ranks/search", search).json()["meta"]["total"] == 1
    assert two.post("/ranks/search", search).json()["meta"]["total"] == 0


def test_reset_of_one_organisation_keeps_the_others(http, api):
    one, two = api(["*"]), api(["*"], org="2")
    for client in (one, two):
        client.post("/ranks", {"name": "Temporary"})
    assert http.post("/_mocks/reset", params={"vendor": "perscom", "tenant": "2"}).status_code == 200
    search = {"filters": [{"field": "name", "value": "Temporary"}]}
    assert one.post("/ranks/search", search).json()["meta"]["total"] == 1
    assert api(["*"], org="2").post("/ranks/search", search).json()["meta"]["total"] == 0


@pytest.mark.parametrize(
    "status, body",
    [
        (503, {"error": {"message": "Service Unavailable", "type": "HttpException"}}),
        (429, {"error": {"message": "Too Many Attempts.", "type": "ThrottleRequestsException"}}),
        (
            402,
            {"error": {"message": "A valid subscription is required to make an API request.", "type": "HttpException"}},
        ),
    ],
)
def test_injected_faults_in_vendor_format(admin, mocks, status, body):
    mocks.fault("perscom", status=status, path="/perscom/v1/users", method="GET", times=1)
    failed = admin.get("/users")
    assert failed.status_code == status and failed.json() == body
    assert admin.get("/users").status_code == 200


def test_journal_records_requests(admin, mocks):
    admin.get("/users/1", include="rank")
    entry = mocks.journal(vendor="perscom", path="/perscom/v1/users/1")[-1]
    assert (entry.method, entry.status, entry.tenant) == ("GET", 200, ORG)
    assert entry.query == "include=rank" and '"john@example.com"' in entry.response_body
    assert entry.request_headers["x-perscom-id"] == ORG


def test_real_hostname(http, mocks):
    token = mint(mocks)
    response = http.get(
        "/v1/users/1", headers={"Host": "api.perscom.io", "Authorization": f"Bearer {token}", "X-Perscom-Id": ORG}
    )
    assert response.status_code == 200 and response.json()["data"]["id"] == 1


def test_flask_build_answers_like_the_async_build(http, mocks, flask_mocks):
    instant = datetime(2026, 3, 1, 12, tzinfo=UTC)
    mocks.clock.freeze(instant)
    flask_mocks.clock.freeze(instant)  # both worlds seeded at the same virtual instant
    with httpx.Client(base_url=flask_mocks.server.url) as flask_client:
        admin, flask_admin = Perscom(http, mint(mocks)), Perscom(flask_client, mint(flask_mocks))
        _compare(admin, flask_admin)


def _body(response: httpx.Response) -> dict:
    body = response.json()
    body.pop("links", None)  # absolute URLs name each server's own port
    if "meta" in body:
        body["meta"] = {k: v for k, v in body["meta"].items() if k not in ("links", "path")}
    return body


def _compare(admin: Perscom, flask_admin: Perscom) -> None:
    reads = [
        ("GET", "/users", None, {"limit": 3, "include": "rank,unit"}),
        ("GET", "/users/999", None, {}),
        ("GET", "/nope", None, {}),
        ("POST", "/ranks/search", {"filters": [{"field": "x"}]}, {}),
        ("POST", "/users", {}, {}),
        ("DELETE", "/users", None, {}),
        ("GET", "/users/1/rank", None, {}),
        ("GET", "/me", None, {}),
        ("POST", "/ranks", {"name": "General"}, {}),
        ("POST", "/users/10/tasks/attach", {"resources": [1, 2]}, {}),
        ("PATCH", "/users/2", {"name": "J"}, {}),
    ]
    for method, path, body, params in reads:
        a = admin.request(method, path, body, params=params)
        f = flask_admin.request(method, path, body, params=params)
        assert (a.status_code, a.headers["content-type"], _body(a)) == (
            f.status_code,
            f.headers["content-type"],
            _body(f),
        ), (method, path)
    upload = {"files": {"image": ("x.png", b"\x89PNG", "image/png")}, "data": {"name": "Insignia"}}
    a, f = admin.post("/ranks/18/image", **upload), flask_admin.post("/ranks/18/image", **upload)
    assert (
        (a.status_code, a.json()["data"]["filename"]) == (f.status_code, f.json()["data"]["filename"]) == (201, "x.png")
    )
    assert flask_admin.client.get("/perscom/v1/users").json()["error"]["type"] == "TenantCouldNotBeIdentified"
    for path in ("/users/search", "/nothing-here"):
        a, f = admin.request("OPTIONS", path), flask_admin.request("OPTIONS", path)
        assert (a.status_code, a.headers["allow"], a.content) == (f.status_code, f.headers["allow"], f.content)
    a, f = admin.delete("/users"), flask_admin.delete("/users")
    assert a.content == f.content and b"v1\\/users" in a.content
