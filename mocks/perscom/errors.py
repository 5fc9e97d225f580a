"""PERSCOM v1's error responses (APP1 `tests/Feature/Central/Exceptions/ErrorApiTest.php`): `{"error": {"message",
"type"}}` with Laravel's status.

The v1 exception handler (APP1 `Handler::render`) rebuilds every error as `response()->json(...)` with the
exception's message and class basename, and copies none of the exception's headers.
"""

from __future__ import annotations

from mocks.core.errors import VendorProblem
from mocks.core.serialization import dumps, php_escaped

from . import wire

TENANT_NOT_IDENTIFIED = (
    "We could not identify the organization attempting the request. Please make sure to include "
    "the X-Perscom-Id header with your valid PERSCOM ID."
)
SUBSCRIPTION_REQUIRED = "A valid subscription is required to make an API request."
AWAITING_APPROVAL = "Your account is awaiting approval by an administrator. Please try again later."
ENDPOINT_NOT_FOUND = "The requested API endpoint could not be found or you do not have access to it."


def error(status: int, message: str, type_: str, errors: dict[str, list[str]] | None = None) -> VendorProblem:
    """The body as Laravel's JsonResponse encodes it (json_encode's default flags: `\\/`, `\\uXXXX`), in the
    envelope of the API version the client called (wire.py: v2 adds ids and the 422 `errors` map)."""
    if wire.speaks_v2():
        return VendorProblem(status, php_escaped(dumps(wire.error_body(status, message, type_, errors))))
    return VendorProblem(status, php_escaped(dumps({"error": {"message": message, "type": type_}})))


def tenant_not_identified() -> VendorProblem:
    return error(401, TENANT_NOT_IDENTIFIED, "TenantCouldNotBeIdentified")


def unauthenticated() -> VendorProblem:
    return error(401, "Unauthenticated.", "AuthenticationException")


def subscription_required() -> VendorProblem:
    return error(402, SUBSCRIPTION_REQUIRED, "HttpException")


def awaiting_approval() -> VendorProblem:
    return error(401, AWAITING_APPROVAL, "HttpException")


def unauthorized() -> VendorProblem:
    return error(403, "This action is unauthorized.", "AuthorizationException")


def model_not_found(model_class: str) -> VendorProblem:
    return error(404, f"No query results for model [{model_class}].", "ModelNotFoundException")


def endpoint_not_found() -> VendorProblem:
    return error(404, ENDPOINT_NOT_FOUND, "NotFoundHttpException")


def method_not_allowed(method: str, path: str, allowed: list[str]) -> VendorProblem:
    """Laravel's router: the GET-only fallback route matches every path, so GET and HEAD are always listed
    (INFERRED: Symfony's message, `Router::$verbs` order; the handler drops the `Allow` header)."""
    route = path.lstrip("/")
    return error(
        405,
        f"The {method} method is not supported for route {route}. Supported methods: {', '.join(allowed)}.",
        "MethodNotAllowedHttpException",
    )


def validation(messages: list[str], fields: list[tuple[str, str]] | None = None) -> VendorProblem:
    """Laravel's ValidationException::summarize: the first message, then "(and N more error[s])"; `fields`
    ((attribute, message) pairs) make v2's `errors` map."""
    errors: dict[str, list[str]] = {}
    for attribute, message in fields or []:
        errors.setdefault(attribute, []).append(message)
    return error(422, summarize(messages), "ValidationException", errors)


def invalid_version() -> VendorProblem:
    """APPH: a `{version}` other than v1/v2 (v2 envelope)."""
    return error(400, wire.INVALID_VERSION, "HttpException")


def summarize(messages: list[str]) -> str:
    first = messages[0] if messages else "The given data was invalid."
    more = len(messages) - 1
    if more > 0:
        first += f" (and {more} more {'error' if more == 1 else 'errors'})"
    return first


def http_exception(status: int, message: str) -> VendorProblem:
    return error(status, message, "HttpException")


def too_many_attempts() -> VendorProblem:
    return error(429, "Too Many Attempts.", "ThrottleRequestsException")


def server_error(status: int = 500) -> VendorProblem:
    """INFERRED: Symfony's HttpException texts for injected faults (the v1 handler keeps the message)."""
    texts = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return error(status, texts.get(status, "Server Error"), "HttpException")
