"""Personio's exact error bodies, one function per documented error: the examples of personio/api-docs@2f3707f
(personio-personnel-data-api-oa3.yaml, personio-recruiting-api.yaml, common-components-v2.json) and of the v2 specs
copied in tests/reference/personio/v2/.

Four envelopes: v1 `{"success": false, "error": {...}}` (with per-endpoint variants: projects, custom reports),
v2 problem+json `{"personio_trace_id", "timestamp", "errors": [...]}` (OAuth errors on the token endpoint),
Recruiting `error_response` `{"errors": [...]}`, and the deprecated applicant endpoint's
`{"success": false, "error": {"message"}}`. Bodies marked INFERRED are not documented by Personio.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import uuid
import weakref
from typing import Any

from mocks.core.context import current
from mocks.core.errors import VendorProblem

from . import dates

PROBLEM_JSON = "application/problem+json"
ERRORS_URL = "https://developer.personio.de/reference/errors#"


# -- request-derived ids (never from the world's RNG: an error must not change the world) ------------
_TRACE_COUNTERS: weakref.WeakKeyDictionary[Any, itertools.count] = weakref.WeakKeyDictionary()
_TRACE_LOCK = threading.Lock()


def trace_id() -> str:
    """A uuid from the request, the virtual instant and the company's count of trace ids so far: two requests
    never share one, and a fresh company (a reset) gives the same ids for the same requests again. Workers sharing
    a store each count their own, so their name is part of the key there."""
    ctx = current()
    scope = ctx.scope
    # a company never seeded (a refused token) is not seeded for its error's trace id: those count per suite
    owner: Any = ctx.suite.worlds.existing(ctx.vendor.name, ctx.tenant) or ctx.suite
    with _TRACE_LOCK:
        counter = _TRACE_COUNTERS.get(owner)
        if counter is None:
            counter = _TRACE_COUNTERS[owner] = itertools.count()
        sequence = next(counter)
    worker = ctx.suite.shared.worker if ctx.suite.shared is not None else ""
    key = (
        f"{worker}{ctx.tenant}|{sequence}|{ctx.clock.time()}|{scope.get('method')}|{scope['path']}|"
        f"{scope.get('query_string', b'')!r}"
    )
    return str(uuid.UUID(bytes=hashlib.sha256(key.encode()).digest()[:16], version=4))


def now_z() -> str:
    return dates.utc_z(current().clock.time())


# == v1 ============================================================================================
def v1(
    status: int,
    message: Any,
    code: int | None = None,
    *,
    message_first: bool = False,
    headers: dict[str, str] | None = None,
    media_type: str = "application/json",
    **extra: Any,
) -> VendorProblem:
    code = status if code is None else code
    error = {"message": message, "code": code} if message_first else {"code": code, "message": message}
    return VendorProblem(
        status, {"success": False, "error": {**error, **extra}}, media_type=media_type, headers=headers
    )


# authentication: components.examples of personio-personnel-data-api-oa3.yaml; "The token has been blacklisted"
# (https://developer.personio.de/discuss/615ec7798451a10040d2ec76); "Wrong credentials" as 403 with code 0
# (at-gmbh/personio-py@a4710d6c tests/test_mock_api.py; https://developer.personio.de/discuss/6285495ddeba1100a8c4f5bc)
def authorization_not_provided() -> VendorProblem:
    return v1(401, "Authorization is not provided", message_first=True)


def authorization_not_valid() -> VendorProblem:
    return v1(403, "Provided authorization is not valid", message_first=True)


def token_blacklisted() -> VendorProblem:
    return v1(401, "The token has been blacklisted", message_first=True)


def wrong_credentials() -> VendorProblem:
    return v1(403, "Wrong credentials", 0)


def query_string_credentials_removed() -> VendorProblem:
    """INFERRED body: the changelog says only "query-string authentication will return 403 Forbidden"."""
    return v1(403, "Forbidden")


def forbidden() -> VendorProblem:
    """A credential without the right for this endpoint (observed in the forum, status inferred)."""
    return v1(403, "personio.core.api.exceptions.api.forbidden.http.exception", 0, message_first=True)


def route_not_found() -> VendorProblem:
    """An unknown v1 path (message observed in the forum)."""
    return v1(404, "personio.core.api.exceptions.api.not.found.http.exception", 0, message_first=True)


def method_not_allowed() -> VendorProblem:
    return v1(405, "Method Not Allowed")  # INFERRED


def too_many_requests(retry_after: int) -> VendorProblem:
    return v1(429, "Too Many Requests", headers={"Retry-After": str(retry_after)})  # INFERRED body


def server_error(status: int = 500) -> VendorProblem:
    messages = {500: "Something went wrong", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return v1(status, messages.get(status, "Something went wrong"), 0)


# employees
def employee_not_found() -> VendorProblem:
    return v1(404, "Es ist ein Problem aufgetreten ")


def picture_not_found() -> VendorProblem:
    return v1(404, "Etwas ist schiefgelaufen ...")


def employee_unprocessable(message: str) -> VendorProblem:
    return v1(422, message)


def supervisor_not_found(supervisor_id: Any) -> VendorProblem:
    return employee_unprocessable(f"Supervisor with ID {_number(supervisor_id)} not found")


# attendances and projects
def attendance_not_found() -> VendorProblem:
    return v1(404, "The attendance period was not found.")


def attendance_bad_request() -> VendorProblem:
    return v1(400, "Bad Request")


def attendance_rows_failed(rows: list[dict[str, Any]]) -> VendorProblem:
    return v1(400, "Error when trying to insert Attendances periods rows", detailed_message=rows)


def attendance_update_failed() -> VendorProblem:
    return v1(400, "Error when trying to insert Attendances periods rows.")


def project_invalid(field: str, message: str) -> VendorProblem:
    return VendorProblem(400, {"success": False, "error": {field: [message]}})


def project_not_found(project_id: Any) -> VendorProblem:
    return VendorProblem(404, {"success": False, "message": f"Project {project_id} not found"})


# time-offs and absence periods
def time_off_insert_failed() -> VendorProblem:
    return v1(400, "Error when trying to insert absence period")


def time_off_type_not_found() -> VendorProblem:
    return v1(404, "Time-off type not found.", 0)


def absence_employee_not_found() -> VendorProblem:
    return v1(404, "Employee not found.", 0)  # INFERRED wording ("Employee or Absence type not found")


def failed_to_pass_validation(error_data: dict[str, list[str]]) -> VendorProblem:
    """422 of POST time-offs / absence-periods: `error_data` is a JSON *string*, as documented."""
    return v1(
        422, "The given data failed to pass validation.", 0, error_data=json.dumps(error_data, separators=(",", ":"))
    )


def absence_period_not_found() -> VendorProblem:
    return v1(404, "The absence period was not found.")


def absence_period_id_invalid() -> VendorProblem:
    return v1(400, "The absence period id is invalid.")


def absence_types_not_found() -> VendorProblem:
    """GET /company/absence-periods with an unknown absence type: 404 served as problem+json (changelog)."""
    return v1(404, "models.absence-types.not-found", media_type=PROBLEM_JSON)


def absence_type_not_found() -> VendorProblem:
    return v1(404, "Absence type not found.", 0)


# documents
def model_not_found(model: str, key: Any) -> VendorProblem:
    return v1(404, f"No query results for model [{model}] {key}", 0, message_first=True)


def absence_periods_bad_request(message: str) -> VendorProblem:
    """GET /company/absence-periods documents its bad requests as a 400 `ErrorResponse` served as problem+json
    (personio-personnel-data-api-oa3.yaml), like its 404; the message is the validator's (INFERRED wording)."""
    return v1(400, message, media_type=PROBLEM_JSON)


def given_data_invalid(error_data: dict[str, list[str]]) -> VendorProblem:
    return v1(422, "The given data was invalid.", 0, message_first=True, error_data=error_data)


DOCUMENT_TYPES = (
    "pdf, docx, doc, jpg, zip, png, txt, jpeg, odt, xlsx, rtf, htm, xls, p7s, pptx, pages, rar, ppt, "
    "gif, tif, html, msg, asc, tiff, wps, bmp, 7z, csv, ics, vcf, dotx, numbers, eps, gz, ods, otf, "
    "odp, odg, rtfd, txz, webarchive, xml, xps, md, fax"
)


def document_file_type() -> VendorProblem:
    return given_data_invalid({"file": [f"The file must be a file of type: {DOCUMENT_TYPES}."]})


# custom reports: a JSON array of exceptions (schema PublicAPIException)
def report_error(status: int, title: str, details: str, kind: str, meta: list[dict[str, str]]) -> VendorProblem:
    return VendorProblem(
        status,
        [
            {
                "status": status,
                "trace_id": trace_id(),
                "timestamp": now_z(),
                "errors": [{"title": title, "details": details, "type": kind, "_meta": meta}],
            }
        ],
    )


def report_not_found() -> VendorProblem:
    return report_error(
        404, "Not Found", "Report not found", "search", [{"field": "ID", "description": "Report ID not found"}]
    )


def report_bad_request(field: str, description: str) -> VendorProblem:
    return report_error(
        400, "Bad Request", "Invalid request parameters", "validation", [{"field": field, "description": description}]
    )  # INFERRED wording


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# == v2 ============================================================================================
def v2(
    status: int,
    title: str,
    detail: str,
    code: str,
    *,
    meta: dict[str, str] | None = None,
    error_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> VendorProblem:
    error: dict[str, Any] = {"title": title, "detail": detail, "type": error_type or ERRORS_URL + code}
    if meta is not None:
        error["_meta"] = meta
    return VendorProblem(
        status,
        {"personio_trace_id": trace_id(), "timestamp": now_z(), "errors": [error]},
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def v2_bad_request() -> VendorProblem:
    return v2(400, "Bad request", "Provided request parameters are invalid.", "common.bad_request")


def v2_bad_filter_encoding() -> VendorProblem:
    return v2(400, "Bad request", "Provided filter encoding is invalid.", "common.bad_request")


def v2_resource_not_found() -> VendorProblem:
    return v2(404, "Resource not found", "There is no resource for the specified id.", "common.resource_not_found")


def v2_requested_resource_not_found() -> VendorProblem:
    """The 404 example of https://developer.personio.de/reference/getlegalentitybyid (the Legal Entities API's
    wording; other v2 APIs answer v2_resource_not_found)."""
    return v2(
        404,
        "Resource not found",
        "The requested resource was not found. The resource could have been deleted or never existed in our system.",
        "common.requested_resource_not_found",
    )


def v2_invalid(status: int, detail: str) -> VendorProblem:
    """400/409/422 of the v2 writes beyond absences and attendances (documented statuses; title, detail and type
    INFERRED as for the period writes)."""
    titles = {400: ("Bad request", "common.bad_request"), 409: ("Conflict", "common.conflict")}
    title, code = titles.get(status, ("Unprocessable Entity", "common.unprocessable_entity"))
    return v2(status, title, detail, code)


def v2_endpoint_not_found(path: str) -> VendorProblem:
    """Observed live (developer.personio.de/discuss/6964e6f1f3c2f64cec27fb38)."""
    return v2(
        404,
        "Not Found",
        f"The endpoint with {path} was not found.",
        "",
        error_type="https://developer.personio.de/v2.0/page/public-api-error-codes#apinot_found",
        meta={"path": path},
    )


def v2_unauthorized() -> VendorProblem:
    return v2(
        401, "Unauthorized", "The access token is missing, invalid, expired or revoked.", "common.unauthorized"
    )  # INFERRED wording


def v2_forbidden() -> VendorProblem:
    return v2(403, "Forbidden", "The access token does not have the required scope.", "common.forbidden")  # INFERRED


def v2_insufficient_scope() -> VendorProblem:
    """A v1 token on a v2 endpoint: authenticated, without any v2 scope (wording reported in Personio's
    developer forum; status and type INFERRED)."""
    return v2(403, "Forbidden", "Insufficient access scope", "common.forbidden")


def v2_unprocessable(detail: str) -> VendorProblem:
    """422 of the absence and attendance period writes (documented status; title, detail, type INFERRED)."""
    return v2(422, "Unprocessable Entity", detail, "common.unprocessable_entity")


def v2_conflict(detail: str) -> VendorProblem:
    """409 "Absence period conflict" of POST /v2/absence-periods (documented status; wording INFERRED)."""
    return v2(409, "Conflict", detail, "common.conflict")


def v2_method_not_allowed() -> VendorProblem:
    return v2(
        405, "Method Not Allowed", "The method is not allowed for this endpoint.", "common.method_not_allowed"
    )  # INFERRED


def v2_too_many_requests(headers: dict[str, str]) -> VendorProblem:
    return v2(
        429,
        "Too Many Requests",
        "The rate limit was exceeded. Please try again later.",
        "common.too_many_requests",
        headers=headers,
    )  # INFERRED


def v2_server_error(status: int = 500) -> VendorProblem:
    """The common-components-v2.json examples."""
    titles = {
        500: (
            "Internal Server Error",
            "There was a problem while processing this request. Please try again later.",
            "common.internal_server_error",
        ),
        502: (
            "Bad Gateway",
            "There was a problem while processing this request. Please try again later.",
            "common.bad_gateway",
        ),
        503: (
            "Service Unavailable",
            "The server is temporarily unavailable. Please try again later.",
            "common.service_unavailable",
        ),
        504: (
            "Gateway Timeout",
            "There was a problem while processing this request. Please try again later.",
            "common.gateway_timeout",
        ),
    }
    title, detail, code = titles.get(status, titles[500])
    return v2(status, title, detail, code)


# OAuth 2 errors of POST /v2/auth/token (credentials-service-api-v2.json examples)
OAUTH_URL = ERRORS_URL + "credentials.oauth2."


def oauth(
    error: str, description: str, uri: str | None, *, meta: dict[str, Any] | None = None, error_type: str | None = None
) -> VendorProblem:
    body: dict[str, Any] = {
        "timestamp": now_z(),
        "trace_id": trace_id(),
        "error": error,
        "error_description": description,
    }
    if uri is not None:
        body["error_uri"] = OAUTH_URL + uri
    if error_type is not None:
        body["type"] = OAUTH_URL + error_type
    if meta is not None:
        body["meta"] = meta
    return VendorProblem(400, body, media_type=PROBLEM_JSON)


def oauth_missing_parameters(names: list[str]) -> VendorProblem:
    return oauth(
        "invalid_request",
        "The request has missing or invalid required parameters.",
        "invalid_request.required_parameters_missing",
        meta={"missing_parameters": names},
    )


def oauth_wrong_content_type() -> VendorProblem:
    return oauth(
        "invalid_request",
        'The content type of the request must be "application/x-www-form-urlencoded".',
        None,
        error_type="invalid_request.invalid_request_content_type",
    )


def oauth_invalid_client() -> VendorProblem:
    return oauth(
        "invalid_client",
        "Client authentication failed (e.g., unknown client, wrong secret, no client "
        "authentication included, or unsupported authentication method).",
        "invalid_client",
    )


def oauth_invalid_grant() -> VendorProblem:
    return oauth(
        "invalid_grant",
        "Error in the authorization flow. Examples: client doesn't have access to all "
        "attributes in the requested scope, refresh token has been revoked, authorization code has "
        "already been consumed...",
        "invalid_grant",
    )


def oauth_unauthorized_client() -> VendorProblem:
    return oauth(
        "unauthorized_client", "Client is not allowed to use the specified grant type flow.", "unauthorized_client"
    )


def oauth_unsupported_grant_type(grant_type: str) -> VendorProblem:
    return oauth(
        "unsupported_grant_type",
        "The requested authorization grant type is not supported by the server.",
        "unsupported_grant_type",
        meta={"grant_type": grant_type},
    )


def oauth_invalid_scope() -> VendorProblem:
    return oauth("invalid_scope", "One of the requested scopes is invalid.", "invalid_scope")


# == Recruiting ====================================================================================
def field_errors(status: int, errors: list[tuple[str, str]] | list[tuple[str, str, dict]]) -> VendorProblem:
    """`error_response` with per-field reasons; fields are unique, each with all its reasons."""
    by_field: dict[str, list[dict[str, Any]]] = {}
    for item in errors:
        field, reason = item[0], item[1]
        context = item[2] if len(item) > 2 else {}
        by_field.setdefault(field, []).append({"reason": reason, "context": context})
    return VendorProblem(status, {"errors": [{"field": f, "errors": e} for f, e in by_field.items()]})


def recruiting_error(status: int, title: str, detail: str | None = None) -> VendorProblem:
    item: dict[str, Any] = {"id": trace_id(), "status": str(status), "title": title}
    if detail is not None:
        item["detail"] = detail
    return VendorProblem(status, {"errors": [item]})


def recruiting_unauthorized() -> VendorProblem:
    """401 without a body, as documented."""
    return VendorProblem(401, None)


def recruiting_bare(status: int) -> VendorProblem:
    """Documented without a body (429, 403 of the documents endpoint)."""
    return VendorProblem(status, None)


# == deprecated POST /recruiting/applicant ==========================================================
def applicant(status: int, message: str) -> VendorProblem:
    return VendorProblem(status, {"success": False, "error": {"message": message}})


def applicant_field_required(field: str) -> VendorProblem:
    return applicant(400, f"The {field.replace('_', ' ')} field is required.")


# -- Laravel's validation messages ------------------------------------------------------------------
def attribute_name(name: str) -> str:
    """Laravel's :attribute: `start_date` → 'start date', `employees[]` → 'employees'."""
    return name.replace("[]", "").replace("_", " ").strip("/").replace("/", ".")


def message(rule: str, name: str, expected: Any = None) -> str:
    attribute = attribute_name(name)
    return {
        "required": f"The {attribute} field is required.",
        "missing": f"The {attribute} field is required.",
        "integer": f"The {attribute} must be an integer.",
        "number": f"The {attribute} must be a number.",
        "string": f"The {attribute} must be a string.",
        "boolean": f"The {attribute} field must be true or false.",
        "array": f"The {attribute} must be an array.",
        "date": f"The {attribute} is not a valid date.",
        "date-time": f"The {attribute} is not a valid date.",
        "email": f"The {attribute} must be a valid email address.",
        "minimum": f"The {attribute} must be at least {expected}.",
        "maximum": f"The {attribute} may not be greater than {expected}.",
        "max": f"The {attribute} may not be greater than {expected} characters.",
        "enum": f"The selected {attribute} is invalid.",
        "after_or_equal": f"The {attribute} must be a date after or equal to {attribute_name(str(expected))}.",
        "format": f"The {attribute} does not match the format {expected}.",
        "unique": f"The {attribute} has already been taken.",
    }.get(rule, f"The {attribute} is invalid.")


def invalid(errors: dict[str, list[str]]):
    """422 "The given data was invalid." (documents; INFERRED for query parameters)."""
    return given_data_invalid(errors)
