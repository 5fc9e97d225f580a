"""eloomi's wire bodies for every answer that is not a plain success, one function each.

Three families share the host: eloomi's own envelope `{status, status_code, message, extended_message}`
(README, users/*.md, units/*.md), Laravel's (`{"error": "Unauthenticated."}`, the throttle's plain-text 429,
`{"message": ...}` for unknown routes) and league/oauth2-server's on /oauth/token.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from mocks.core.errors import VendorProblem
from mocks.core.serialization import dumps, php_escaped


def php_json(body: Any) -> bytes:
    """JSON as Laravel's JsonResponse (and league's json_encode) write it: PHP's json_encode with default
    flags, `/` as `\\/` and non-ASCII as `\\uXXXX`."""
    return php_escaped(dumps(body))


def problem(status: int, body: Any, headers: dict[str, str] | None = None) -> VendorProblem:
    return VendorProblem(status, php_json(body), headers=headers)


# -- eloomi's envelope ----------------------------------------------------------------------------------


def envelope(status: int, message: str | None, extended_message: str | None = "", **extra: Any) -> dict[str, Any]:
    """{"status": "<HTTP status text>", "status_code": N, "message", "extended_message"[, "data"]}."""
    return {
        "status": phrase(status),
        "status_code": status,
        "message": message,
        "extended_message": extended_message,
        **extra,
    }


def phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def bad_request(message: str, extended_message: str = "") -> VendorProblem:
    return problem(400, envelope(400, message, extended_message))


# The 400 message each write operation documents (what the extended_message explains).
USER_CREATION_FAILED = "Something went wrong during the user creation. Please try again."
USER_UPDATE_FAILED = "Something went wrong during the user update. Please try again."  # inferred
UNIT_CREATION_FAILED = "Could not create the unit, try again."
UNIT_UPDATE_FAILED = "Could not update the unit, try again."
TEAM_INVALID = "Request contained invalid data"  # later reference
INVALID_INPUT = "Invalid input"  # later reference


def email_missing() -> VendorProblem:
    """POST /v3/users without an email (users/post.md)."""
    return bad_request(USER_CREATION_FAILED, "Undefined index: email")


def email_taken(email: str, *, creating: bool = True) -> VendorProblem:
    """An email another user already has (users/post.md; on update the wording is inferred)."""
    return bad_request(
        USER_CREATION_FAILED if creating else USER_UPDATE_FAILED, f"User with the email [{email}] already exists."
    )


def unit_name_missing() -> VendorProblem:
    return bad_request(UNIT_CREATION_FAILED, "Unit name parameter is missing.")


def unit_exists(column: str, value: Any) -> VendorProblem:
    return bad_request(
        f"The unit already exists with the specified unique identifier [{column}:{value}]", "Unit already exists"
    )


def no_user_or_team() -> VendorProblem:
    """PUT /v3/users-employee_id/{id}/teams/{teamId} (later reference: 404 "No user or team found")."""
    return problem(404, envelope(404, "No user or team found"))


def invalid_input(extended_message: str) -> VendorProblem:
    return bad_request(INVALID_INPUT, extended_message)


# -- Laravel ------------------------------------------------------------------------------------------


def unauthenticated() -> VendorProblem:
    """README "Invalid Bearer Token": 401 {"error": "Unauthenticated."}."""
    return problem(401, {"error": "Unauthenticated."})


def too_many_attempts(headers: dict[str, str]) -> VendorProblem:
    """Laravel 5.5 ThrottleRequests: a plain 'Too Many Attempts.' response (inferred; eloomi documents only
    that a reset header appears)."""
    return VendorProblem(429, "Too Many Attempts.", media_type="text/html; charset=UTF-8", headers=headers)


def _laravel_json(message: str) -> str:
    # Laravel's exception handler answers JSON requests with JSON_PRETTY_PRINT
    return '{\n    "message": "' + message + '"\n}'


def route_not_found() -> VendorProblem:
    """No route: Laravel 5.5's {"message": ""} (inferred)."""
    return VendorProblem(404, _laravel_json(""))


def method_not_allowed(allow: str) -> VendorProblem:
    """MethodNotAllowedHttpException: `Allow` lists the path's routes' methods ("GET, HEAD, PATCH, DELETE";
    no OPTIONS, which Laravel answers without a route)."""
    return VendorProblem(405, _laravel_json(""), headers={"Allow": allow} if allow else None)


def server_error() -> VendorProblem:
    return VendorProblem(500, _laravel_json("Server Error"))


# -- league/oauth2-server 7 (Passport's /oauth/token) -------------------------------------------------


def _oauth(error: str, message: str, hint: str | None = None) -> VendorProblem:
    body = {"error": error, "message": message}
    if hint:
        body["hint"] = hint
    return problem(400, body)


def invalid_client() -> VendorProblem:
    """README: 400 (league itself answers 401 with WWW-Authenticate; eloomi documents 400)."""
    return _oauth("invalid_client", "Client authentication failed")


def invalid_scope(scope: str) -> VendorProblem:
    return _oauth(
        "invalid_scope", "The requested scope is invalid, unknown, or malformed", f"Check the `{scope}` scope"
    )


def invalid_request(parameter: str, hint: str | None = None) -> VendorProblem:
    return _oauth(
        "invalid_request",
        "The request is missing a required parameter, includes an invalid parameter value, includes a "
        "parameter more than once, or is otherwise malformed.",
        hint or f"Check the `{parameter}` parameter",
    )


def unsupported_grant_type() -> VendorProblem:
    return _oauth(
        "unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server.",
        "Check the `grant_type` parameter",
    )
