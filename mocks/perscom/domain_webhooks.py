"""PERSCOM's webhooks (DOC1 webhooks.md; APP1 `WebhookService`, `config/webhook-server.php`): the events,
per-organisation subscriptions (the admin API's `webhooks` setting) and the queueing of deliveries.

spatie/laravel-webhook-server as PERSCOM configures it: one delivery per event and subscribed webhook, POST
with the JSON body or GET with the payload as query parameters, 3 tries, 3 s timeout, exponential backoff
(10 s, then 100 s). How a delivery looks (payload, encoding, `Signature`) is wire_webhooks.py.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import RequestContext
from mocks.core.webhooks import Delivery, dispatcher_for

from . import wire_webhooks as ww

V1_EVENTS = tuple(
    f"{resource}.{action}"
    for resource in (
        "assignmentrecord",
        "awardrecord",
        "calendar",
        "combatrecord",
        "event",
        "qualificationrecord",
        "rankrecord",
        "servicerecord",
        "submission",
        "user",
    )
    for action in ("created", "updated", "deleted")
)
# v2 adds message.* and webhook.test (APPH WebhookEvent)
EVENTS = V1_EVENTS + ("message.created", "message.updated", "message.deleted", "webhook.test")
TRIES = 3
BACKOFF = (10.0, 100.0)  # ExponentialBackoffStrategy: 10 ** attempt seconds
TIMEOUT = 3.0


def validate_config(webhooks: Any) -> list[dict[str, Any]]:
    """The admin API's `webhooks` setting: [{url, method, secret, events}]; raises ValueError."""
    if not isinstance(webhooks, list):
        raise ValueError("webhooks must be a list of {url, method, secret, events}")
    checked = []
    for index, hook in enumerate(webhooks):
        if not isinstance(hook, dict):
            raise ValueError(f"webhooks[{index}] must be an object")
        unknown = set(hook) - {"id", "url", "method", "secret", "events", "description"}
        if unknown:
            raise ValueError(f"webhooks[{index}]: unknown fields {sorted(unknown)}")
        url, method = hook.get("url"), str(hook.get("method", "POST")).upper()
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"webhooks[{index}].url must be an http(s) URL")
        if method not in ("GET", "POST"):
            raise ValueError(f"webhooks[{index}].method must be GET or POST")
        secret = hook.get("secret", "")
        if not isinstance(secret, str):
            raise ValueError(f"webhooks[{index}].secret must be a string")
        events = hook.get("events", [])
        if not isinstance(events, list) or any(ev not in EVENTS for ev in events):
            raise ValueError(f"webhooks[{index}].events must be a list of: {', '.join(EVENTS)}")
        checked.append(
            {
                "id": hook.get("id", index + 1),
                "url": url,
                "method": method,
                "secret": secret,
                "events": list(events),
                "description": hook.get("description"),
            }
        )
    return checked


def dispatch(ctx: RequestContext, events: list[tuple[str, dict[str, Any]]]) -> int:
    """Queue one delivery per (event, payload) and subscribed webhook of the organisation."""
    hooks = ctx.vendor.settings_of(ctx.world).get("webhooks") or []
    if not hooks or not events:
        return 0
    dispatcher = dispatcher_for(ctx.suite)
    queued = 0
    for event, body in events:
        encoded = ww.php_json(body)
        for hook in hooks:
            if event not in hook["events"]:
                continue
            headers = ww.headers(encoded, hook["secret"])
            get = hook["method"] == "GET"
            dispatcher.enqueue(
                Delivery(
                    vendor=ctx.vendor.name,
                    tenant=ctx.tenant,
                    url=hook["url"],
                    method=hook["method"],
                    headers=headers,
                    body=b"" if get else encoded,
                    query=ww.query(body) if get else "",
                    label=event,
                    tries=TRIES,
                    backoff=BACKOFF,
                    timeout=TIMEOUT,
                    world=ctx.world,
                )
            )
            queued += 1
    return queued
