"""Errors the stack raises (validation, unknown paths, wrong methods, media types, crashes), rendered the way each
of Personio's APIs answers them. The API is told by the path: /personio/v2 (problem+json, OAuth on /auth),
/personio/v1/recruiting (error_response), /personio/recruiting/applicant (legacy), else v1."""

from __future__ import annotations

import re

from mocks.core.errors import ErrorCase, Invalid, VendorProblem

from . import errors as e
from .errors import invalid, message

_V1 = "/personio/v1"
_WRONG_TYPE = re.compile(r"expected '(\w+)' for \w+ parameter '([^']+)'")
# JSON-schema keyword -> Laravel rule of the message
_RULES = {
    "required": "required",
    "missing": "missing",
    "minimum": "minimum",
    "maximum": "maximum",
    "maxLength": "max",
    "enum": "enum",
}


def _local(path: str, prefix: str) -> str:
    return path[len(prefix) :] or "/"


def render(case: ErrorCase) -> VendorProblem:
    path = case.path
    if path.startswith("/personio/v2/") or path == "/personio/v2":
        return _v2(case, _local(path, "/personio"))
    if path.startswith(_V1 + "/recruiting/"):
        return _recruiting(case)
    if path.startswith("/personio/recruiting/applicant"):
        return _applicant(case)
    return _v1(case, _local(path, _V1))


def failures(case: ErrorCase) -> list[Invalid]:
    """The structured failures; Connexion's own type errors of form fields carry only a message."""
    if case.kind == "unsupported_media_type":
        return [Invalid("body", "", "missing")]
    found = []
    if not case.failures:  # e.g. Starlette's own 400 for an unreadable form
        return [Invalid("body", "", "missing")]
    for failure in case.failures:
        wrong = _WRONG_TYPE.search(failure.message or "")
        if failure.rule == "invalid" and wrong:
            found.append(Invalid("body", "/" + wrong.group(2), "type", expected=wrong.group(1)))
        else:
            found.append(failure)
    return found


def _field(failure: Invalid) -> str:
    return failure.name.strip("/").split("/")[-1] if failure.location == "body" else failure.name


def laravel(failure: Invalid, name: str | None = None) -> str:
    name = name or _field(failure)
    if failure.rule == "type":
        kind = failure.expected if isinstance(failure.expected, str) else "string"
        return message(
            {"integer": "integer", "number": "number", "boolean": "boolean", "array": "array", "object": "array"}.get(
                kind, "string"
            ),
            name,
        )
    if failure.rule == "format":
        return message("date" if failure.expected in ("date", "date-time") else "email", name)
    return message(_RULES.get(failure.rule, "invalid"), name, failure.expected)


def error_data(found: list[Invalid]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for failure in found:
        name = _field(failure) or "body"
        data.setdefault(name, []).append(laravel(failure, name))
    return data


# -- v1 --------------------------------------------------------------------------------------------
def _v1(case: ErrorCase, local: str) -> VendorProblem:
    if case.kind in ("validation", "unsupported_media_type"):
        return _v1_validation(case, local)
    if case.kind == "unauthenticated":
        return e.authorization_not_provided()
    if case.kind == "forbidden":
        return e.forbidden()
    if case.kind == "not_found":
        return _resource_not_found(local) or e.route_not_found()
    if case.kind == "method_not_allowed":
        return e.method_not_allowed()
    return e.server_error()


# A path of a known resource whose id is no number misses our typed routes; the real service looks the id up
# and answers the resource's own 404 (INFERRED).
_RESOURCE_404 = [
    (re.compile(r"^/company/attendances/projects/([^/]+)$"), lambda m: e.project_not_found(m.group(1))),
    (re.compile(r"^/company/attendances/[^/]+$"), lambda m: e.attendance_not_found()),
    (re.compile(r"^/company/employees/[^/]+/profile-picture(/[^/]+)?$"), lambda m: e.picture_not_found()),
    (re.compile(r"^/company/employees/[^/]+(/absences/balance)?$"), lambda m: e.employee_not_found()),
]


def _resource_not_found(local: str) -> VendorProblem | None:
    for pattern, problem in _RESOURCE_404:
        found = pattern.match(local)
        if found:
            return problem(found)
    return None


def _v1_validation(case: ErrorCase, local: str) -> VendorProblem:
    found = failures(case)
    method = case.method
    if local == "/auth":
        return e.wrong_credentials()
    if local.startswith("/company/employees") and method in ("POST", "PATCH"):
        failure = found[0]
        name = failure.name.strip("/").replace("/", ".")
        name = name if name.startswith("employee") else f"employee.{name}" if name else "employee"
        return e.employee_unprocessable(laravel(failure, name.replace("[", ".").replace("]", "")))
    if local == "/company/attendances" and method == "POST":
        return e.attendance_rows_failed([])
    if local.startswith("/company/attendances/projects"):
        field = _field(found[0])
        return (
            e.project_invalid("active", "Active field needs to be of type boolean")
            if field == "active"
            else e.project_invalid("name", "Project name cannot be empty")
        )
    if local.startswith("/company/attendances/") and method in ("PATCH",):
        return e.attendance_update_failed()
    if local.startswith("/company/attendances/") and method == "DELETE":
        return e.attendance_bad_request()
    if local in ("/company/time-offs", "/company/absence-periods") and method == "POST":
        return e.failed_to_pass_validation(error_data(found))
    if local == "/company/absence-periods" and method == "GET":  # the spec lists a 400, no 422
        return e.absence_periods_bad_request(laravel(found[0]))
    if local.startswith("/company/custom-reports"):
        failure, field = found[0], _field(found[0])
        if failure.rule in ("minimum", "maximum"):  # the wording of the handler's own page/limit checks
            bound = "greater" if failure.rule == "minimum" else "less"
            return e.report_bad_request(
                field, f"{field.capitalize()} must be {bound} than or equal to {failure.expected}"
            )
        return e.report_bad_request(field, laravel(failure))
    return invalid(error_data(found))


# -- v2 --------------------------------------------------------------------------------------------
def _v2(case: ErrorCase, local: str) -> VendorProblem:
    if local in ("/v2/auth/token", "/v2/auth/revoke") and case.kind in ("validation", "unsupported_media_type"):
        if case.kind == "unsupported_media_type":
            return e.oauth_wrong_content_type()
        return e.oauth_missing_parameters([_field(f) or "body" for f in failures(case)])
    if case.kind == "validation":
        return e.v2_bad_request()
    if case.kind == "unsupported_media_type":
        return e.v2_bad_request()
    if case.kind == "unauthenticated":
        return e.v2_unauthorized()
    if case.kind == "forbidden":
        return e.v2_forbidden()
    if case.kind == "not_found":
        return e.v2_endpoint_not_found(local)
    if case.kind == "method_not_allowed":
        return e.v2_method_not_allowed()
    return e.v2_server_error()


# -- recruiting ------------------------------------------------------------------------------------
def _reason(failure: Invalid) -> str:
    if failure.rule in ("required", "missing", "minLength"):
        return e_reason("required-attribute")
    if failure.rule == "format" and failure.expected == "email":
        return e_reason("invalid-email-format")
    if failure.rule == "format" and failure.expected == "date":
        return e_reason("invalid-date-format")
    if failure.rule == "format" and failure.expected == "uuid":
        return "errors.file-validation.file-not-exists"
    if failure.rule == "enum" and "category" in failure.name:
        return "errors.file-validation.unknown-file-category"
    if failure.rule == "enum" and "phase" in failure.name:
        return "errors.phase-validation.invalid-system-phase"
    return e_reason("invalid-type")


def e_reason(code: str) -> str:
    return f"errors.attribute-validation.{code}"


def recruiting_field(failure: Invalid) -> str:
    """A JSON pointer as a field name: /files/0/uuid → files[0].uuid (INFERRED format)."""
    parts = [p for p in failure.name.split("/") if p]
    field = ""
    for part in parts:
        field += f"[{part}]" if part.isascii() and part.isdigit() else (f".{part}" if field else part)
    return field or "body"


def _recruiting(case: ErrorCase) -> VendorProblem:
    if case.kind == "validation":
        found = failures(case)
        status = 422 if case.path.endswith("/documents") else 400
        return e.field_errors(status, [(recruiting_field(f), _reason(f)) for f in found])
    if case.kind == "unsupported_media_type":
        status = 422 if case.path.endswith("/documents") else 400
        return e.field_errors(status, [("body", e_reason("invalid-type"))])
    if case.kind in ("unauthenticated", "forbidden"):
        return e.recruiting_unauthorized()
    if case.kind == "not_found":
        return e.route_not_found()
    if case.kind == "method_not_allowed":
        return e.method_not_allowed()
    return e.recruiting_error(500, "Internal Server Error", "An unexpected error occurred.")


def _applicant(case: ErrorCase) -> VendorProblem:
    if case.kind in ("validation", "unsupported_media_type"):
        found = failures(case)
        failure = found[0]
        name = _field(failure) or "company_id"  # no readable form: the first required field is missing
        if failure.rule in ("required", "missing"):
            return e.applicant_field_required(name)
        return e.applicant(400, laravel(failure, name))
    if case.kind == "method_not_allowed":
        return e.method_not_allowed()
    if case.kind == "not_found":
        return e.route_not_found()
    return e.applicant(500, "Something went wrong, please try again later!")


def fault(status: int, path: str) -> VendorProblem:
    """An injected fault in the envelope of the API the path belongs to."""
    if path.startswith("/personio/v2"):
        if status == 401:
            return e.v2_unauthorized()
        if status == 403:
            return e.v2_forbidden()
        if status == 404:
            return e.v2_resource_not_found()
        if status == 429:
            return e.v2_too_many_requests({"Retry-After": "1"})
        if status == 400:
            return e.v2_bad_request()
        return e.v2_server_error(status)
    if path.startswith(_V1 + "/recruiting/"):
        if status in (401, 429):
            return e.recruiting_bare(status)
        titles = {
            400: "Bad Request",
            403: "Forbidden",
            404: "Not Found",
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
            504: "Gateway Timeout",
        }
        return e.recruiting_error(status, titles.get(status, "Error"))
    if path.startswith("/personio/recruiting/applicant"):
        messages = {
            500: "Something went wrong, please try again later!",
            503: "Service Unavailable",
            403: "This action is unauthorized.",
            429: "Too Many Requests",
        }
        return e.applicant(status, messages.get(status, "Something went wrong, please try again later!"))
    if status == 401:
        return e.authorization_not_provided()
    if status == 403:
        return e.authorization_not_valid()
    if status == 404:
        return e.route_not_found()
    if status == 429:
        return e.too_many_requests(60)
    if status >= 500:
        return e.server_error(status)
    return e.v1(status, "Bad Request" if status == 400 else "Error")
