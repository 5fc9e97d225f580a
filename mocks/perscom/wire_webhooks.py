"""How a PERSCOM webhook delivery looks (DOC1 webhooks.md; APP1 `WebhookService`, `config/webhook-server.php`).

spatie/laravel-webhook-server as PERSCOM configures it: the payload `{event, created, data, changes}`
encoded with PHP's json_encode (slashes and non-ASCII escaped), `Signature: hex(hmac_sha256(body, secret))`,
`Content-Type: application/json`; a GET delivery carries the payload as query parameters (http_build_query).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote


def payload(
    event: str, created: str, data: dict[str, Any], changes: dict[str, Any], ids: tuple[str, str] | None = None
) -> dict[str, Any]:
    """`ids` (request id, trace id): a write through v2 adds them to the payload (APPH WebhookService)."""
    # getChanges() is a PHP array: empty, json_encode writes [] (not {})
    body = {"event": event, "created": created, "data": data, "changes": changes or []}
    if ids is not None:
        body["request_id"], body["trace_id"] = ids
    return body


def php_json(value: Any) -> bytes:
    """PHP's json_encode() with default flags."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode()


def signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def headers(encoded: bytes, secret: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "Signature": signature(encoded, secret), "User-Agent": "GuzzleHttp/7"}


def query(body: dict[str, Any]) -> str:
    """A GET delivery's query string."""
    return "&".join(http_build_query(body))


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
