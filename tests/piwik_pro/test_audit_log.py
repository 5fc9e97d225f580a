"""Audit log API v1 over HTTP: the account's writes recorded with author, IP, subject and the virtual
clock's time; the spec's filters, sort and pagination; CSV; the service's 400/401/403 bodies."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from .conftest import JSONAPI, OWNER_ID, USER, USER_ID, Piwik, errors

EXAMPLE_APP = "6edb1e3c-4c43-4760-ab76-682ad83146be"
FROZEN = datetime(2026, 5, 4, 10, 0, 0, tzinfo=UTC)


def entries(owner: Piwik, **params) -> dict:
    response = owner.get("/api/audit-log/v1/entries", **params)
    assert response.status_code == 200 and response.headers["content-type"] == JSONAPI
    return response.json()


def test_writes_are_recorded_with_who_what_when(owner, mocks):
    mocks.clock.freeze(FROZEN)
    owner.send(
        "PATCH",
        f"/api/apps/v2/{EXAMPLE_APP}",
        {
            "data": {
                "type": "ppms/app",
                "id": EXAMPLE_APP,
                "attributes": {"urls": ["http://piwik.pro"], "excludeUnknownUrls": True, "name": "Example site"},
            }
        },
    )
    latest = entries(owner, limit=2)["data"]
    assert [e["attributes"]["type"] for e in latest] in (
        ["app.changed.urls", "app.changed.exclude_unknown_urls"],
        ["app.changed.exclude_unknown_urls", "app.changed.urls"],
    )
    urls = next(e for e in latest if e["attributes"]["type"] == "app.changed.urls")
    assert urls["type"] == "ppms/audit-log-entry"
    assert urls["attributes"] == {
        "created_at": "2026-05-04T10:00:00Z",
        "type": "app.changed.urls",
        "payload": {"id": EXAMPLE_APP, "urls": ["http://piwik.pro"]},
        "author_id": OWNER_ID,
        "author_email": "owner@example.com",
        "subject_id": EXAMPLE_APP,
        "ip": "127.0.0.1",
        "version": 1,
    }


def test_every_kind_of_write_leaves_an_entry(owner, mocks):
    mocks.clock.freeze(FROZEN)
    created = owner.send(
        "POST",
        "/api/apps/v2",
        {"data": {"type": "ppms/app", "attributes": {"name": "Audited", "urls": ["https://audited.example"]}}},
    ).json()["data"]["id"]
    owner.send(
        "POST",
        f"/api/access-control/v2/app/{created}/permission/user/{USER_ID}",
        {"data": {"type": "app/permission/user", "attributes": {"permission": "view"}}},
    )
    owner.send("DELETE", f"/api/apps/v2/{created}")
    owner.send(
        "POST", "/api/users/v2/invite", {"data": {"type": "ppms/user", "attributes": {"email": "new@example.org"}}}
    )
    kinds = [
        e["attributes"]["type"]
        for e in entries(owner, sort="created_at", limit=100, **{"filter[date_from]": "2026-05-04T00:00:00Z"})["data"]
    ]
    assert kinds == ["app.added", "permission.user.changed.app", "app.deleted", "user.invited"]


def test_a_failed_write_leaves_no_entry(owner):
    total = entries(owner)["meta"]["total"]
    bad = owner.send(
        "POST", "/api/apps/v2", {"data": {"type": "ppms/app", "attributes": {"name": "x", "urls": ["nope"]}}}
    )
    assert bad.status_code == 400
    assert entries(owner)["meta"]["total"] == total


def test_filters_sort_and_pagination(http, owner, mocks):
    mocks.clock.freeze(FROZEN)
    user = Piwik(http, USER)
    user.send(
        "PATCH",
        f"/api/apps/v2/{EXAMPLE_APP}",
        {"data": {"type": "ppms/app", "id": EXAMPLE_APP, "attributes": {"delay": 250}}},
    )
    by_user = entries(owner, **{"filter[author_id]": USER_ID})
    assert by_user["meta"]["total"] == 1
    assert by_user["data"][0]["attributes"]["author_email"] == "user@example.com"
    added = entries(owner, limit=2, offset=1, sort="created_at", **{"filter[type]": "app.added,app.edited"})
    assert added["meta"]["total"] == 5 and len(added["data"]) == 2
    assert all(e["attributes"]["type"] == "app.added" for e in added["data"])
    assert (
        entries(owner, **{"filter[subject_id]": EXAMPLE_APP, "filter[date_to]": "2020-01-01T00:00:00Z"})["meta"][
            "total"
        ]
        == 1
    )  # the seeded app.added of the example site (2019)
    assert entries(owner, **{"filter[ip]": "127.0.0.1"})["meta"]["total"] == 1


def test_csv_answer(owner):
    response = owner.client.get(
        "/piwik_pro/api/audit-log/v1/entries", params={"limit": 2}, headers=owner.headers({"Accept": "text/csv"})
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        "author_email",
        "author_id",
        "created_at",
        "id",
        "ip",
        "payload",
        "subject_id",
        "type",
        "version",
    ]
    assert len(rows) == 2 and json.loads(rows[0]["payload"])["id"] == rows[0]["subject_id"]


def test_documented_errors(http, owner):
    bad_ip = owner.get("/api/audit-log/v1/entries", **{"filter[ip]": "512.xxx.123"})
    assert (bad_ip.status_code, errors(bad_ip)) == (
        400,
        [
            {
                "status": "400",
                "code": "invalid",
                "title": "Invalid query parameter",
                "detail": "'512.xxx.123' does not appear to be an IPv4 or IPv6 address",
                "source": {"parameter": "filter[ip]"},
            }
        ],
    )
    too_many = owner.get("/api/audit-log/v1/entries", limit=101)
    assert errors(too_many)[0]["source"] == {"parameter": "limit"} and too_many.status_code == 400
    missing = http.get("/piwik_pro/api/audit-log/v1/entries")
    assert (missing.status_code, missing.json()) == (401, {"error": "authorization field missing"})
    denied = Piwik(http, USER).get("/api/audit-log/v1/entries")
    assert (denied.status_code, errors(denied)[0]["code"]) == (403, "permission_denied")


def test_an_account_keeps_the_newest_entries_only(owner, mocks, monkeypatch):
    """A bound (inferred: Piwik PRO documents no retention) keeps a long-running mock's memory flat: past
    MAX_ENTRIES plus a tenth, the oldest entries go, the newest stay listed."""
    from mocks.piwik_pro import domain_audit as audit

    monkeypatch.setattr(audit, "MAX_ENTRIES", 10)
    for n in range(12):
        created = owner.send(
            "POST", "/api/user-groups/v1", {"data": {"type": "ppms/user-group", "attributes": {"name": f"g{n}"}}}
        )
        assert created.status_code == 201, created.text
    listed = entries(owner, limit=100)
    assert 10 <= listed["meta"]["total"] <= 11  # MAX_ENTRIES, and a tenth of it before the next trim
    names = [e["attributes"]["payload"].get("name") for e in listed["data"]]
    assert "g11" in names and "g0" not in names
