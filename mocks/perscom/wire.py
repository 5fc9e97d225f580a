"""What differs on the wire between PERSCOM's API versions, and nothing else: which version a request
speaks, the v2 error envelope, the v2 request/trace ids and response headers (APPH
`bootstrap/app.php`, `tests/Feature/Tenant/Exceptions/ErrorApiTest.php`; SPEC2 `4xxError`).

Both versions run the same domain (domain.py): a handler of either version raises the same errors and
renders the same rows; this module decides how they look for the version the client called.
"""

from __future__ import annotations

import functools
import random
import uuid
import weakref
from typing import Any

from mocks.core.context import current

MOUNT = "/perscom"
V2_MESSAGES = {
    401: "You are not authenticated. Please provide a valid API key that contains your PERSCOM ID to continue.",
    402: "A valid subscription is required to complete this request.",
    403: "The API key provided does not have the correct permissions and/or scopes to perform the requested action.",
    404: "The requested resource or endpoint could not be found.",
    429: "You have exceeded the API rate limit. Please wait a minute before trying again.",
    500: "There was a server error with your last request. Please try again.",
    503: "The API is currently down for maintenance. Please check back later.",
}
INVALID_VERSION = "The provided API version is not valid. The currently available versions are: v1, v2"
VERSIONS = ("v1", "v2")
# APPH bootstrap/app.php: every v2 API response
V2_HEADERS = {
    "Vary": "Authorization, X-Perscom-Id",
    "Cache-Control": "no-store, max-age=0, public",
    "Surrogate-Control": "max-age=2592000",
}


def local_path(path: str) -> str:
    """The path below the vendor mount (`/perscom/v2/users` → `/v2/users`)."""
    return path[len(MOUNT) :] if path.startswith(MOUNT + "/") or path == MOUNT else path


@functools.lru_cache(maxsize=4096)
def version_of(path: str) -> str:
    """`v1` for the v1-era routes (`/v1/...`); everything else is today's application, which speaks v2
    (including `/health`, `/spec.json` and versions it refuses)."""
    local = local_path(path)
    return "v1" if local == "/v1" or local.startswith("/v1/") else "v2"


@functools.lru_cache(maxsize=4096)
def path_version(path: str) -> str | None:
    """The `{version}` segment of a versioned path (`/v2/users` → `v2`)."""
    parts = local_path(path).split("/", 2)
    return parts[1] if len(parts) > 2 else None


def speaks_v2() -> bool:
    try:
        return version_of(current().path) == "v2"
    except LookupError:
        return False


# -- request and trace ids ----------------------------------------------------------------------------------
_SOURCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def request_ids() -> tuple[str, str]:
    """(request id, trace id) of the current request, made once per request. INFERRED format: a version-4
    UUID and a 32-hex-digit trace id (OpenTelemetry's); drawn from a generator seeded with the suite's seed,
    so a fresh suite with the same seed answers the same ids (worlds' own RNGs are not touched)."""
    ctx = current()
    ids = ctx.scope.get("perscom.ids")
    if ids is None:
        source = _SOURCES.get(ctx.suite)
        if source is None:
            source = _SOURCES[ctx.suite] = random.Random(f"perscom-request-ids:{ctx.suite.seed}")
        ids = ctx.scope["perscom.ids"] = (
            str(uuid.UUID(int=source.getrandbits(128), version=4)),
            f"{source.getrandbits(128):032x}",
        )
    return ids


def error_body(status: int, message: str, type_: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The v2 envelope: a fixed text per status (other statuses keep the exception's message), the ids, and
    Laravel's `errors` map on 422s only."""
    request_id, trace_id = request_ids()
    body: dict[str, Any] = {
        "message": V2_MESSAGES.get(status, message),
        "type": type_,
        "request_id": request_id,
        "trace_id": trace_id,
    }
    if status == 422:
        body["errors"] = errors or {}
    return {"error": body}


def response_headers() -> dict[str, str]:
    request_id, trace_id = request_ids()
    return {"X-Perscom-Request-Id": request_id, "X-Perscom-Trace-Id": trace_id, **V2_HEADERS}
