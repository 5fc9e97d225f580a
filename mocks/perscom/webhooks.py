"""PERSCOM's webhooks (DOC1 webhooks.md; APP1 `WebhookService`, `config/webhook-server.php`): per-organisation
subscriptions, the v1 payload, the `Signature` header.

spatie/laravel-webhook-server as PERSCOM configures it: the payload `{event, created, data, changes}`
encoded with PHP's json_encode (slashes and non-ASCII escaped), `Signature: hex(hmac_sha256(body, secret))`,
`Content-Type: application/json`, POST with the JSON body or GET with the payload as query parameters,
3 tries, 3 s timeout, exponential backoff (10 s, then 100 s).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote

from mocks.core.context import RequestContext
from mocks.core.webhooks import Delivery, dispatcher_for

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


def php_json(value: Any) -> bytes:
    """PHP's json_encode() with default flags."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode()


def signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def http_build_query(data: Any, prefix: str = "") -> list[str]:
    """PHP's http_build_query (RFC 3986 encoding, as Guzzle's `query` option): nested keys in brackets,
    booleans as 1/0, nulls left out."""
    pairs: list[str] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        name = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            pairs += http_build_query(value, name)
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        pairs.append(f"{quote(name, safe='')}={quote(str(value), safe='')}")
    return pairs


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


def payload(
    event: str, created: str, data: dict[str, Any], changes: dict[str, Any], ids: tuple[str, str] | None = None
) -> dict[str, Any]:
    """`ids` (request id, trace id): a write through v2 adds them to the payload (APPH WebhookService)."""
    # getChanges() is a PHP array: empty, json_encode writes [] (not {})
    body = {"event": event, "created": created, "data": data, "changes": changes or []}
    if ids is not None:
        body["request_id"], body["trace_id"] = ids
    return body


def dispatch(ctx: RequestContext, events: list[tuple[str, dict[str, Any]]]) -> int:
    """Queue one delivery per (event, payload) and subscribed webhook of the organisation."""
    hooks = ctx.vendor.settings_of(ctx.world).get("webhooks") or []
    if not hooks or not events:
        return 0
    dispatcher = dispatcher_for(ctx.suite)
    queued = 0
    for event, body in events:
        encoded = php_json(body)
        for hook in hooks:
            if event not in hook["events"]:
                continue
            headers = {
                "Content-Type": "application/json",
                "Signature": signature(encoded, hook["secret"]),
                "User-Agent": "GuzzleHttp/7",
            }
            get = hook["method"] == "GET"
            dispatcher.enqueue(
                Delivery(
                    vendor=ctx.vendor.name,
                    tenant=ctx.tenant,
                    url=hook["url"],
                    method=hook["method"],
                    headers=headers,
                    body=b"" if get else encoded,
                    query="&".join(http_build_query(body)) if get else "",
                    label=event,
                    tries=TRIES,
                    backoff=BACKOFF,
                    timeout=TIMEOUT,
                    world=ctx.world,
                )
            )
            queued += 1
    return queued
