"""Webhooks (DOC1 webhooks.md; APP1 `WebhookService`, `config/webhook-server.php`):
 configured per organisation through the admin API, the v1 payload, the Signature
HMAC, GET/POST, 3 tries with backoff on the virtual clock, deliveries in the journal."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
from urllib.parse import parse_qs, urlsplit

import pytest

from mocks.core.webhooks import dispatcher_for
from mocks.perscom.domain_webhooks import EVENTS
from tests.load.wire import wait_for

from .conftest import ORG, OTHER_ORG

SECRET = "whsec-test"


def _configure(http, webhook_receiver, events, *, method: str = "POST", org: str = ORG, secret: str = SECRET):
    response = http.patch(
        "/_mocks/settings",
        json={
            "vendor": "perscom",
            "tenant": org,
            "settings": {
                "webhooks": [{"url": webhook_receiver.url, "method": method, "secret": secret, "events": events}]
            },
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["settings"]["webhooks"]


def _signature(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_created_updated_deleted(http, admin, mocks, webhook_receiver):
    mocks.clock.freeze()
    _configure(http, webhook_receiver, ["user.created", "user.updated", "user.deleted"])
    user = admin.post("/users", {"name": "Webb Hook", "email": "hook@example.com"}).json()["data"]
    request, payload = webhook_receiver.json()
    assert request["method"] == "POST" and request["path"] == "/hook"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Signature"] == _signature(request["body"])
    assert list(payload) == ["event", "created", "data", "changes"]
    assert payload["event"] == "user.created" and payload["created"] == user["created_at"]
    assert payload["data"] == user and payload["changes"] == []
    assert b"\\/resources\\/users\\/" in request["body"]  # PHP's json_encode escapes slashes

    mocks.clock.advance(60)
    updated = admin.patch(f"/users/{user['id']}", {"rank_id": 4}).json()["data"]
    _, payload = webhook_receiver.json()
    assert payload["event"] == "user.updated" and payload["data"] == updated
    assert payload["changes"] == {"rank_id": 4, "updated_at": updated["updated_at"][:19].replace("T", " ")}

    admin.patch(f"/users/{user['id']}", {"rank_id": 4})  # nothing changed: no save, no event
    admin.delete(f"/users/{user['id']}")
    _, payload = webhook_receiver.json()
    assert payload["event"] == "user.deleted" and payload["data"]["deleted_at"] is not None
    assert payload["changes"] == []
    assert webhook_receiver.empty()


@pytest.mark.parametrize(
    "path, body, event",
    [
        ("/rank-records", {"user_id": 2, "rank_id": 3, "type": 0}, "rankrecord.created"),
        ("/users/2/award-records", {"award_id": 1}, "awardrecord.created"),
        ("/assignment-records", {"user_id": 2}, "assignmentrecord.created"),
        ("/qualification-records", {"user_id": 2, "qualification_id": 1}, "qualificationrecord.created"),
        ("/service-records", {"user_id": 2, "text": "x"}, "servicerecord.created"),
        ("/combat-records", {"user_id": 2, "text": "x"}, "combatrecord.created"),
        ("/calendars", {"name": "Social"}, "calendar.created"),
        (
            "/events",
            {"calendar_id": 1, "name": "Op", "start": "2030-01-01", "end": "2030-01-02", "all_day": True},
            "event.created",
        ),
        ("/forms/1/submissions", {}, "submission.created"),
    ],
)
def test_every_documented_resource_sends_its_events(http, admin, webhook_receiver, path, body, event):
    _configure(http, webhook_receiver, list(EVENTS))
    assert admin.post(path, body).status_code == 201
    _, payload = webhook_receiver.json()
    assert payload["event"] == event


def test_only_subscribed_events_and_resources_with_events(http, admin, webhook_receiver):
    _configure(http, webhook_receiver, ["rankrecord.deleted"])
    admin.post("/ranks", {"name": "General"})  # ranks send no events
    admin.post("/rank-records", {"user_id": 2, "rank_id": 3, "type": 0})  # not subscribed
    admin.delete("/rank-records/1")
    _, payload = webhook_receiver.json()
    assert payload["event"] == "rankrecord.deleted" and payload["data"]["id"] == 1
    assert webhook_receiver.empty()


def test_batch_and_relation_writes_send_one_event_per_row(http, admin, webhook_receiver):
    _configure(http, webhook_receiver, ["servicerecord.created", "servicerecord.updated"])
    admin.post("/users/2/service-records/batch", {"resources": [{"text": "a"}, {"text": "b"}]})
    texts = [webhook_receiver.json()[1]["data"]["text"] for _ in range(2)]
    assert texts == ["a", "b"]
    record = admin.get("/users/2/service-records").json()["data"][0]["id"]
    admin.delete(f"/users/2/service-records/{record}/dissociate")
    _, payload = webhook_receiver.json()
    assert payload["event"] == "servicerecord.updated" and payload["changes"]["user_id"] is None


def test_get_webhooks_send_the_payload_as_query_parameters(http, admin, webhook_receiver):
    _configure(http, webhook_receiver, ["calendar.created"], method="GET")
    admin.post("/calendars", {"name": "Social/Events"})
    request = webhook_receiver.next()
    assert request["method"] == "GET" and request["body"] == b""
    query = parse_qs(urlsplit(request["path"]).query)
    assert query["event"] == ["calendar.created"] and query["data[name]"] == ["Social/Events"]
    assert "data[description]" not in query  # http_build_query leaves nulls out
    assert "changes" not in query  # nor empty arrays


@pytest.mark.embedded_only("webhook deliveries and their retries are per worker (docs/design/redis-scale-out.md)")
def test_failed_deliveries_are_retried_with_backoff_on_the_virtual_clock(http, admin, mocks, webhook_receiver):
    mocks.clock.freeze()
    webhook_receiver.statuses = [500, 503]
    _configure(http, webhook_receiver, ["calendar.created"])
    admin.post("/calendars", {"name": "Social"})
    first = webhook_receiver.next()
    dispatcher = dispatcher_for(mocks.suite)
    assert dispatcher.wait_idle()
    with pytest.raises(queue.Empty):
        webhook_receiver.next(timeout=0.2)  # the next try waits 10 s of virtual time
    mocks.clock.advance(10)
    second = webhook_receiver.next()
    assert second["body"] == first["body"] and second["headers"]["Signature"] == first["headers"]["Signature"]
    mocks.clock.advance(99)
    assert dispatcher.wait_idle()
    with pytest.raises(queue.Empty):
        webhook_receiver.next(timeout=0.2)
    mocks.clock.advance(1)
    assert json.loads(webhook_receiver.next()["body"])["event"] == "calendar.created"
    assert dispatcher.wait_idle()
    attempts = [e for e in mocks.journal(kind="webhook") if e.extra["url"] == webhook_receiver.url]
    assert [(e.status, e.extra["attempt"]) for e in attempts] == [(500, 1), (503, 2), (200, 3)]
    assert attempts[0].method == "POST" and attempts[0].path == webhook_receiver.url
    assert attempts[0].request_headers["signature"] == _signature(attempts[0].raw_request_body)


@pytest.mark.embedded_only("webhook deliveries and their retries are per worker (docs/design/redis-scale-out.md)")
def test_three_tries_at_most(http, admin, mocks, webhook_receiver):
    mocks.clock.freeze()
    webhook_receiver.statuses = [500, 500, 500, 500]
    _configure(http, webhook_receiver, ["calendar.created"])
    admin.post("/calendars", {"name": "Social"})
    for wait in (0, 10, 100):
        mocks.clock.advance(wait)
        webhook_receiver.next()
    mocks.clock.advance(1000)
    assert dispatcher_for(mocks.suite).wait_idle()
    with pytest.raises(queue.Empty):
        webhook_receiver.next(timeout=0.2)


def test_unreachable_receiver_is_journalled(http, admin, mocks):
    http.patch(
        "/_mocks/settings",
        json={
            "vendor": "perscom",
            "tenant": ORG,
            "settings": {
                "webhooks": [
                    {
                        "url": "http://127.0.0.1:9/nowhere",
                        "method": "POST",
                        "secret": "s",
                        "events": ["calendar.created"],
                    }
                ]
            },
        },
    )
    admin.post("/calendars", {"name": "Social"})
    # sent by the worker that took the write (with two workers, not necessarily the one mocks.suite is)
    entry = wait_for(lambda: mocks.journal(kind="webhook"), "the failed delivery in the journal")[-1]
    assert entry.status == 0 and entry.extra["error"] and entry.extra["attempt"] == 1


def test_webhooks_are_per_organisation(http, api, webhook_receiver):
    _configure(http, webhook_receiver, ["calendar.created"], org=OTHER_ORG)
    api(["*"]).post("/calendars", {"name": "Social"})
    assert webhook_receiver.empty()
    api(["*"], org=OTHER_ORG).post("/calendars", {"name": "Social"})
    assert webhook_receiver.json()[1]["event"] == "calendar.created"


def test_a_failed_write_sends_nothing(http, admin, mocks, webhook_receiver):
    _configure(http, webhook_receiver, ["user.created"])
    admin.post("/users/batch", {"resources": [{"name": "A", "email": "a@example.com"}, {"name": "B"}]})
    assert dispatcher_for(mocks.suite).wait_idle()
    assert webhook_receiver.empty()


@pytest.mark.parametrize(
    "hook, message",
    [
        ({"url": "ftp://x", "events": []}, "url"),
        ({"url": "http://127.0.0.1/x", "method": "PUT", "events": []}, "method"),
        ({"url": "http://127.0.0.1/x", "events": ["user.exploded"]}, "events"),
        ({"url": "http://127.0.0.1/x", "events": [], "colour": "red"}, "unknown"),
    ],
)
def test_configuration_is_validated(http, hook, message):
    response = http.patch(
        "/_mocks/settings", json={"vendor": "perscom", "tenant": ORG, "settings": {"webhooks": [hook]}}
    )
    assert response.status_code == 400 and message in response.json()["error"]
