"""What may happen to v2 webhooks and their events (specs/personio_v2.yaml;
https://developer.personio.de/reference/get_v2-webhooks and siblings, post_v2-webhooks-id-ping,
post_v2-webhooks-id-test-event, get_v2-webhooks-id-events, get_v2-webhooks-id-activity; redelivery as a public
tool catalogue lists it: "Redelivers events selected by the request parameters. Only events from the last 30 days
can be redelivered.").

Subscriptions: lookups, filters, the field rules of create and update. Events: the mock sends pings and test events
(a company's writes raise none); each is queued through core/webhooks.py for the webhook's URL with the documented
payload and authentication, and keeps a record of its deliveries. Shapes of events, activities and answers are
x-inferred (specs/personio_v2.yaml).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from mocks.core.store import Row, World
from mocks.core.webhooks import Delivery, dispatcher_for

from . import domain as m
from . import errors as e
from . import wire_v2_org as w
from .domain_v2 import bounds, or_404, text, wanted, within

WEBHOOK_STATUSES = ("ENABLED", "DISABLED")
AUTH_TYPES = ("NONE", "TOKEN", "CUSTOM")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# documented: header names must not match or start with these (case-insensitive); at most 3 headers
RESERVED_HEADERS = (
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "expect",
    "content-type",
)
EVENT_WINDOW = 30 * 86400  # "Only events in the last 30 days will be included."
# "up to a maximum of 6 attempts" over "up to 3 days, with increasing delays" (the delays are INFERRED)
DELIVERY_TRIES = 6
DELIVERY_BACKOFF = (60.0, 600.0, 3600.0, 6 * 3600.0, 24 * 3600.0)
DELIVERY_TIMEOUT = 3.0  # "acknowledged within 3s with a 2xx status code"
REDELIVERY_FILTERS = ("event_id", "event_name", "occurred_at.gte", "occurred_at.lte")


# -- webhooks ---------------------------------------------------------------------------------------
def webhooks_matching(world: World, filters: dict[str, str]) -> list[Row]:
    event, status = filters.get("enabled_events"), filters.get("status")
    if status is not None and status not in WEBHOOK_STATUSES:
        raise e.v2_bad_request()
    return [
        r
        for r in sorted(world[m.WEBHOOKS].values(), key=lambda r: (r["created_at"], r["id"]))
        if (event is None or event in r["enabled_events"]) and (status is None or r["status"] == status)
    ]


def webhook(world: World, webhook_id: str) -> Row:
    """The webhook of a path id, or the 404."""
    return or_404(world[m.WEBHOOKS].get(webhook_id))


def _webhook_fields(world: World, data: dict[str, Any], existing: Row | None) -> dict[str, Any]:
    """The validated fields of a create (existing None) or update; 400 for malformed values, 422 for rules."""
    fields: dict[str, Any] = {}
    if "url" in data or existing is None:
        url = text(data, "url")
        parts = urlsplit(url or "")
        # "This should be an HTTPS endpoint."; the mock also takes plain HTTP on loopback (a local test receiver)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if (parts.scheme != "https" and not loopback) or not parts.hostname:
            raise e.v2_invalid(400, "`url` must be an HTTPS URL.")
        if any(r["url"] == url and (existing is None or r["id"] != existing["id"]) for r in world[m.WEBHOOKS].values()):
            raise e.v2_invalid(409, "A webhook with this url already exists.")  # INFERRED rule for the 409
        fields["url"] = url
    if "description" in data or existing is None:
        description = data.get("description")
        if not isinstance(description, str):
            raise e.v2_invalid(400, "`description` must be a string.")
        fields["description"] = description
    if "status" in data:
        if data["status"] not in WEBHOOK_STATUSES:
            raise e.v2_invalid(400, "`status` must be ENABLED or DISABLED.")
        fields["status"] = data["status"]
    if "auth_type" in data:
        if data["auth_type"] not in AUTH_TYPES:
            raise e.v2_invalid(400, "`auth_type` must be NONE, TOKEN or CUSTOM.")
        fields["auth_type"] = data["auth_type"]
    if "token" in data:
        if data["token"] is not None and not isinstance(data["token"], str):
            raise e.v2_invalid(400, "`token` must be a string.")
        fields["token"] = data["token"]
    if "custom_headers" in data:
        headers = data["custom_headers"]
        if headers is not None and (
            not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values())
        ):
            raise e.v2_invalid(400, "`custom_headers` must map header names to strings.")
        fields["custom_headers"] = headers
    if "enabled_events" in data or existing is None:
        events = data.get("enabled_events")
        if not isinstance(events, list) or not events or not all(isinstance(v, str) and v for v in events):
            raise e.v2_invalid(400, "`enabled_events` must be a non-empty list of event names.")
        fields["enabled_events"] = list(dict.fromkeys(events))
    merged = {**(existing or {"auth_type": "TOKEN", "custom_headers": None}), **fields}
    headers = merged.get("custom_headers")
    if headers:
        if merged["auth_type"] != "CUSTOM":
            raise e.v2_unprocessable("`custom_headers` are only allowed if `auth_type` is CUSTOM.")
        if len(headers) > 3:
            raise e.v2_unprocessable("At most 3 custom headers are allowed.")
        if any(name.lower().startswith(RESERVED_HEADERS) for name in headers):
            raise e.v2_unprocessable("A custom header name is not allowed.")
    return fields


def create_webhook(world: World, data: dict[str, Any], now: float) -> Row:
    fields = _webhook_fields(world, data, None)
    with world.transaction():
        hooks = world[m.WEBHOOKS]
        return hooks.insert(
            {
                "id": world.rnd.uuid4(),
                "status": "DISABLED",  # documented default
                "auth_type": "TOKEN",  # documented default
                "token": None,
                "custom_headers": None,
                **fields,
                "created_at": now,
                "updated_at": now,
            }
        )


def update_webhook(world: World, row: Row, data: dict[str, Any], now: float) -> Row:
    fields = _webhook_fields(world, data, row)
    with world.transaction():
        return world[m.WEBHOOKS].update(row["id"], {**fields, "updated_at": now})


def delete_webhook(world: World, row: Row) -> None:
    with world.transaction():
        world[m.WEBHOOKS].delete(row["id"])


# -- events -----------------------------------------------------------------------------------------
def _recent_events(world: World, hook: Row, now: float) -> list[Row]:
    return sorted(
        (
            r
            for r in world[m.WEBHOOK_EVENTS].values()
            if r["webhook_id"] == hook["id"] and r["occurred_at"] >= now - EVENT_WINDOW
        ),
        key=lambda r: (r["occurred_at"], r["id"]),
    )


def events_matching(world: World, hook: Row, filters: dict[str, str], now: float) -> list[Row]:
    """The webhook's events of the last 30 days that match the filters, oldest first."""
    occurred = bounds(filters, "occurred_at")
    name, ids = filters.get("event_name"), wanted(filters, "event_id")
    return [
        r
        for r in _recent_events(world, hook, now)
        if (name is None or r["event_name"] == name)
        and (ids is None or r["id"] in ids)
        and within(r["occurred_at"], occurred)
    ]


def _deliver(ctx: Any, hook: Row, event: Row) -> dict[str, Any]:
    """Queue the event for the webhook's own URL (the documented payload structure and authentication);
    returns the delivery record the event row keeps."""
    body = w.webhook_payload(str(m.company(ctx.world)["company_id"]), event)
    headers = {"Content-Type": "application/json", "User-Agent": "Personio-Webhooks"}  # User-Agent INFERRED
    if hook["auth_type"] == "TOKEN" and hook["token"]:
        headers["Authorization"] = hook["token"]  # "will include this exact value in the Authorization header"
    elif hook["auth_type"] == "CUSTOM":
        headers.update(hook["custom_headers"] or {})
    delivery = dispatcher_for(ctx.suite).enqueue(
        Delivery(
            vendor=ctx.vendor.name,
            tenant=ctx.tenant,
            url=hook["url"],
            headers=headers,
            body=json.dumps(body, separators=(",", ":")).encode(),
            label=event["event_name"],
            tries=DELIVERY_TRIES,
            backoff=DELIVERY_BACKOFF,
            timeout=DELIVERY_TIMEOUT,
            world=ctx.world,
        )
    )
    return {"id": ctx.world.rnd.uuid4(), "dispatch": delivery.id, "created_at": ctx.clock.time()}


def send_event(ctx: Any, hook: Row, name: str, payload: dict[str, Any]) -> Row:
    """Records an event of the webhook and queues its delivery; the event row with its delivery record."""
    world = ctx.world
    with world.transaction():
        event = world[m.WEBHOOK_EVENTS].insert(
            {
                "id": world.rnd.uuid4(),
                "webhook_id": hook["id"],
                "event_name": name,
                "occurred_at": ctx.clock.time(),
                "payload": payload,
                "deliveries": [],
            }
        )
    # queued after the commit: a rolled-back write sends nothing
    record = _deliver(ctx, hook, event)
    with world.transaction():
        return world[m.WEBHOOK_EVENTS].update(event["id"], {"deliveries": [record]})


def ping(ctx: Any, hook: Row) -> Row:
    return send_event(ctx, hook, "ping", {"webhook_id": hook["id"]})


def send_test_event(ctx: Any, hook: Row, data: dict[str, Any]) -> Row:
    """A test event: an event the webhook has enabled, with a payload (400 otherwise)."""
    name, payload = data.get("event_name"), data.get("payload")
    if not isinstance(name, str) or not name:
        raise e.v2_invalid(400, "`event_name` is required.")
    if name not in hook["enabled_events"]:
        raise e.v2_invalid(400, f"The event '{name}' is not enabled for this webhook.")  # "must be enabled"
    if not isinstance(payload, dict) or not payload:
        raise e.v2_invalid(400, "`payload` is required.")  # "400 missing required payload data"
    return send_event(ctx, hook, name, payload)


def dispatched(ctx: Any) -> dict[int, Delivery]:
    """The deliveries the dispatcher knows of (finished and pending), by id."""
    dispatcher = dispatcher_for(ctx.suite)
    return {d.id: d for d in [*dispatcher.finished(ctx.vendor.name), *dispatcher.pending(ctx.vendor.name)]}


def activity_matching(
    world: World, hook: Row, filters: dict[str, str], now: float, sent: dict[int, Delivery]
) -> list[dict[str, Any]]:
    """The deliveries of the webhook's recent events that match the filters (`sent`: see dispatched)."""
    completed = bounds(filters, "completed_at")
    delivered = filters.get("is_delivered")
    if delivered is not None and delivered not in ("true", "false"):
        raise e.v2_bad_request()
    name = filters.get("event_name")
    items = [
        w.webhook_activity(event, record, sent.get(record["dispatch"]))
        for event in _recent_events(world, hook, now)
        for record in event["deliveries"]
        if name is None or event["event_name"] == name
    ]
    return [
        item
        for item in items
        if (delivered is None or item["is_delivered"] == (delivered == "true"))
        and within(item["_completed"], completed)
    ]


def redeliver(ctx: Any, hook: Row, query: dict[str, str]) -> list[Row]:
    """Every event of the last 30 days the query selects is sent again (a new delivery with its own activity)."""
    world = ctx.world
    filters = {k: v for k, v in query.items() if k in REDELIVERY_FILTERS}
    events = events_matching(world, hook, filters, ctx.clock.time())
    sent = [(event, _deliver(ctx, hook, event)) for event in events]
    with world.transaction():
        table = world[m.WEBHOOK_EVENTS]
        return [table.update(event["id"], {"deliveries": [*event["deliveries"], record]}) for event, record in sent]
