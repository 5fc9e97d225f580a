"""Which Piwik PRO service a request is for, and the error dialect of each. The platform's APIs are separate
services that each document their own: the 401 body, the 403 wording, the invalid-UUID message, the media-type
error. Here too the rendering of engine-raised cases (`render_error`, `fault`): schema failures worded the way
each service words them (`render_validation`), the token endpoint's OAuth errors."""

from __future__ import annotations

import functools
from typing import Any

from mocks.core.errors import ErrorCase, Invalid, VendorProblem

from . import errors as e

USERS, APPS, ACCESS_CONTROL, META_SITES, MODULES, AUDIT_LOG = (
    "users",
    "apps",
    "access_control",
    "meta_sites",
    "modules",
    "audit_log",
)
_PREFIXES = (
    ("/api/apps/", APPS),
    ("/api/access-control/", ACCESS_CONTROL),
    ("/api/meta-sites/", META_SITES),
    ("/api/modules/", MODULES),
    ("/api/audit-log/", AUDIT_LOG),
)


@functools.lru_cache(maxsize=4096)  # a pure function of the path, asked by every authenticated request
def service_of(path: str) -> str:
    """The service of a request path (users and user groups, the token endpoint and unknown paths: USERS)."""
    for prefix, service in _PREFIXES:
        if prefix in path:
            return service
    return USERS


def unauthorized(service: str, reason: str) -> VendorProblem:
    """`reason`: missing, expired or invalid. Users, user groups and apps answer as Lexik does; access
    control, meta sites and modules document `{"message": "Unauthorized"}`; the audit log its own."""
    if service in (ACCESS_CONTROL, META_SITES, MODULES):
        return e.gateway_unauthorized()
    if service == AUDIT_LOG:
        return e.audit_unauthorized(reason == "missing")
    return e.jwt_unauthorized({"missing": e.JWT_NOT_FOUND, "expired": e.JWT_EXPIRED}.get(reason, e.JWT_INVALID))


def forbidden(service: str) -> VendorProblem:
    if service == META_SITES:
        return e.problem(e.access_denied())
    if service in (MODULES, AUDIT_LOG):
        return e.problem(e.permission_denied())
    return e.problem(e.forbidden())


def invalid_uuid(service: str, sent: str) -> dict:
    return e.not_valid_uuid(sent) if service == META_SITES else e.invalid_uuid(sent)


def unsupported_media_type(service: str, sent: str) -> VendorProblem:
    """The modules service documents a 415; the Symfony services the users API's 400."""
    if service == MODULES:
        return e.problem(e.unsupported_media_type(sent))
    return e.problem(e.invalid_content_type(sent))


# -- engine-raised cases --------------------------------------------------------------------------------
def render_error(case: ErrorCase) -> VendorProblem:
    """Vendor.render_error: the engine's cases in the dialect of the service the path belongs to."""
    if case.path.endswith("/auth/token") and case.kind in ("validation", "unsupported_media_type"):
        return token_request_error(case)
    service = service_of(case.path)
    if case.kind == "validation":
        return render_validation(case)
    if case.kind == "unsupported_media_type":
        sent = (case.header("content-type") or "").split(";")[0].strip()
        return unsupported_media_type(service, sent)
    if case.kind == "unauthenticated":
        return unauthorized(service, "missing")
    if case.kind == "forbidden":
        return forbidden(service)
    if case.kind == "not_found":
        return e.problem(e.not_found())
    if case.kind == "method_not_allowed":
        return e.problem(e.method_not_allowed())
    return e.problem(e.server_error())


def fault(status: int) -> VendorProblem:
    """Vendor.fault: an injected status as the users API words it."""
    if status == 401:
        return e.jwt_unauthorized(e.JWT_INVALID)
    if status == 429:
        return e.problem(e.too_many_requests(), headers={"Retry-After": "60"})
    titles = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict"}
    if status in titles:
        return e.problem(e.error(status, titles[status]))
    return e.problem(e.server_error(status))


def token_request_error(case: ErrorCase) -> VendorProblem:
    """The token endpoint's schema failures as OAuth 2 errors (RFC 6749 §5.2; inferred)."""
    failed = {f.name.strip("/"): f for f in case.failures}
    for name in ("grant_type", "client_id", "client_secret"):
        failure = failed.get(name)
        if failure is None:
            continue
        if name == "grant_type" and failure.rule == "enum":
            return e.unsupported_grant_type()
        return e.invalid_request(f'The request is missing the required parameter "{name}".')
    return e.invalid_request("The request body must be JSON or form-encoded client credentials.")


# -- schema failures ------------------------------------------------------------------------------------
def render_validation(case: ErrorCase) -> VendorProblem:
    """Parameter and JSON:API envelope errors stop the request at the first one (they are thrown before
    the form is built); attribute errors are form errors, all reported, one per field. The modules and
    audit-log services report their first failure in their own dialect."""
    service = service_of(case.path)
    if service == MODULES and case.failures:
        return e.problem(_modules_failure(case.failures[0]))
    if service == AUDIT_LOG and case.failures:
        return e.problem(_audit_failure(case.failures[0]))
    mapped = [_map_failure(f, service) for f in case.failures]
    envelope = [item for item in mapped if item.get("title") != "Invalid form"]
    if envelope or not mapped:
        return e.problem(envelope[0] if envelope else e.invalid_json_api_content())
    found, seen = [], set()
    for item in mapped:
        if item["source"]["pointer"] not in seen:
            seen.add(item["source"]["pointer"])
            found.append(item)
    return e.problem(*found)


def _map_failure(f: Invalid, service: str) -> dict[str, Any]:
    if f.location == "query":
        return _query_failure(f)
    if f.location == "path":
        return invalid_uuid(service, str(f.value))
    return _body_failure(f, service)


def _query_failure(f: Invalid) -> dict[str, Any]:
    if f.name == "sort":
        options = [o for o in (f.schema.get("enum") or []) if not o.startswith("-")]
        return e.invalid_sort(f.value, options)
    if f.name == "limit" and f.rule == "maximum":
        return e.limit_exceeded(f.value, int(f.expected))
    if f.name in ("offset", "limit"):
        return e.invalid_positive_integer(f.name, f.value)
    return e.error(400, f"Invalid query parameter '{f.name}' - got '{f.value}'")


def _body_failure(f: Invalid, service: str) -> dict[str, Any]:
    parts = [p for p in f.name.split("/") if p]
    if f.rule in ("json", "missing", "invalid") or not parts or parts[0] != "data":
        return e.invalid_json_api_content()
    if len(parts) == 1:  # /data itself
        if f.rule == "maxItems":  # a relationship list over its documented size
            return e.too_many_elements("/data", int(f.expected))
        return e.invalid_json_api_content()
    if parts[1].isdigit():  # /data/0/... (relationship lists)
        if parts[-1] == "type":
            return e.invalid_json_api_type(f.value, f.schema.get("enum", [e.JSONAPI])[0])
        if parts[-1] == "id":
            return e.invalid_uuid(_text(f.value))
        return e.invalid_json_api_content()
    if parts[1] == "type":
        expected = (f.schema.get("enum") or ["ppms/user"])[0]
        return e.invalid_json_api_type(f.value, expected)
    if parts[1] == "id":
        return e.json_api_id_not_provided() if f.rule == "required" else e.invalid_uuid(_text(f.value))
    if parts[1] == "attributes":
        if len(parts) == 2:
            return e.invalid_attributes(f.value)
        return _attribute_failure(parts[2], f, service)
    return e.invalid_json_api_content()


def _attribute_failure(field: str, f: Invalid, service: str) -> dict[str, Any]:
    # access control and meta sites point at the document (/data/attributes/x), the others at the form (/x)
    pointer = f"/data/attributes/{field}" if service in (ACCESS_CONTROL, META_SITES) else f"/{field}"
    if field == "permission" and service == ACCESS_CONTROL:
        return e.invalid_permission(f.value, tuple((f.schema or {}).get("enum") or ()))
    if service == APPS and field == "appType":
        return e.unsupported_app_type(f.value)
    if f.rule == "maxLength" and isinstance(f.value, str):
        return e.too_long(pointer, int(f.expected))
    if f.value is None or f.value == "":
        return e.not_blank(pointer)
    if field == "role" and isinstance(f.value, str):
        return e.invalid_role(f.value)
    if field == "email" and f.rule == "format":
        return e.invalid_email(f.value)
    return e.not_valid(pointer)


def _modules_failure(f: Invalid) -> dict[str, Any]:
    """The modules service: too many users (400), a wrong resource type (409), an unknown module (404)."""
    parts = [p for p in f.name.split("/") if p]
    if f.location == "path":
        if f.name == "module":
            return e.module_does_not_exist(str(f.value), tuple((f.schema or {}).get("enum") or ()))
        return e.invalid_uuid(str(f.value))
    if parts == ["data"] and f.rule == "maxItems":
        return e.too_many_users(len(f.value) if isinstance(f.value, list) else 0, int(f.expected))
    if len(parts) >= 3 and parts[0] == "data" and parts[1].isdigit():
        if parts[2] == "type":
            return e.collection_type_conflict(f.value, ((f.schema or {}).get("enum") or ["ppms/user"])[0])
        if parts[2] == "id" and (f.schema or {}).get("enum"):
            return e.module_does_not_exist(str(f.value), tuple(f.schema["enum"]))
        if parts[2] == "id":
            return e.invalid_uuid(_text(f.value))
    return e.module_error(400, "error.default", "Invalid jsonapi message received", pointer="/data")


def _audit_failure(f: Invalid) -> dict[str, Any]:
    """The audit log (a Django REST framework service): Django's field messages, `source.parameter`."""
    parameter = f.name
    if f.rule == "maximum":
        return e.invalid_query(parameter, f"Ensure this value is less than or equal to {f.expected}.")
    if f.rule == "minimum":
        return e.invalid_query(parameter, f"Ensure this value is greater than or equal to {f.expected}.")
    if f.rule == "enum":
        return e.invalid_query(parameter, f'"{f.value}" is not a valid choice.')
    if f.name in ("limit", "offset"):
        return e.invalid_query(parameter, "A valid integer is required.")
    return e.invalid_query(parameter, "Invalid value.")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else e._php_string(value)
