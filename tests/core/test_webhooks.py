"""mocks.core.webhooks: deliveries off the request path, retries on the virtual clock, the journal, cancellation
when the world that queued them is reset."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mocks.core.clock import VirtualClock
from mocks.core.journal import Journal
from mocks.core.store import TenantWorlds
from mocks.core.webhooks import Delivery, WebhookDispatcher, dispatcher_for


class FakeSuite:
    """What the dispatcher reads from a suite."""

    def __init__(self) -> None:
        self.clock = VirtualClock(datetime(2026, 1, 1, tzinfo=UTC), frozen=True)
        self.journal = Journal()
        self.worlds = TenantWorlds(self.clock)
        self.worlds.register("acme", lambda world: None)


@pytest.fixture
def receiver(webhook_receiver):
    webhook_receiver.status = 204  # any 2xx is a delivery
    return webhook_receiver


@pytest.fixture
def suite():
    fake = FakeSuite()
    yield fake
    dispatcher_for(fake).stop()


def test_post_delivery_is_journalled(suite, receiver):
    url = receiver.url
    dispatcher = dispatcher_for(suite)
    assert dispatcher is dispatcher_for(suite)
    delivery = dispatcher.enqueue(Delivery("acme", "t1", url, headers={"X-Sig": "abc"}, body=b'{"a":1}', label="a.b"))
    sent = receiver.next()
    assert (sent["method"], sent["path"], sent["headers"]["X-Sig"], sent["body"]) == (
        "POST",
        "/hook",
        "abc",
        b'{"a":1}',
    )
    assert dispatcher.wait_idle()
    assert delivery.status == "delivered" and delivery.attempt == 1
    entry = suite.journal.query(kind="webhook")[0]
    assert (entry.vendor, entry.tenant, entry.method, entry.path, entry.status) == ("acme", "t1", "POST", url, 204)
    assert entry.extra == {"delivery": delivery.id, "attempt": 1, "tries": 3, "label": "a.b", "url": url}
    assert entry.request_headers["x-sig"] == "abc" and entry.time == suite.clock.time()


def test_get_delivery_sends_the_query(suite, receiver):
    dispatcher_for(suite).enqueue(Delivery("acme", "t1", receiver.url, method="GET", query="a=1&b%5Bc%5D=2"))
    sent = receiver.next()
    assert (sent["method"], sent["path"], sent["body"]) == ("GET", "/hook?a=1&b%5Bc%5D=2", b"")


def test_retries_follow_the_virtual_clock(suite, receiver):
    receiver.statuses.extend([500, 502, 500])
    dispatcher = dispatcher_for(suite)
    delivery = dispatcher.enqueue(Delivery("acme", "t1", receiver.url, backoff=(10, 100)))
    receiver.next()
    assert dispatcher.wait_idle() and delivery.status == "pending"
    assert delivery.due == suite.clock.time() + 10
    suite.clock.advance(9)
    assert dispatcher.wait_idle() and receiver.empty()
    suite.clock.advance(1)
    receiver.next()
    suite.clock.advance(100)
    receiver.next()
    assert dispatcher.wait_idle()
    assert delivery.status == "failed" and delivery.attempt == 3
    assert [e.status for e in suite.journal.query(kind="webhook")] == [500, 502, 500]


def test_refused_connections_are_failures(suite):
    dispatcher = dispatcher_for(suite)
    delivery = dispatcher.enqueue(Delivery("acme", "t1", "http://127.0.0.1:9/x", tries=1, timeout=1))
    assert dispatcher.wait_idle()
    assert delivery.status == "failed"
    entry = suite.journal.query(kind="webhook")[0]
    assert entry.status == 0 and "error" in entry.extra


def test_reset_world_cancels_its_pending_deliveries(suite, receiver):
    receiver.statuses.append(500)
    world = suite.worlds.get("acme", "t1")
    dispatcher = dispatcher_for(suite)
    delivery = dispatcher.enqueue(Delivery("acme", "t1", receiver.url, world=world))
    receiver.next()
    assert dispatcher.wait_idle()
    suite.worlds.reset("acme", "t1")
    suite.clock.advance(10)
    assert dispatcher.wait_idle()
    assert delivery.status == "cancelled" and receiver.empty()
    assert dispatcher.finished("acme") == [delivery] and dispatcher.pending() == []


def test_a_dispatcher_per_suite():
    first, second = FakeSuite(), FakeSuite()
    assert isinstance(dispatcher_for(first), WebhookDispatcher)
    assert dispatcher_for(first) is not dispatcher_for(second)
