"""Piwik PRO's request rules: schema failures worded the way Piwik words them, plus the form constraints a
JSON schema cannot express (supported languages, password policy, email syntax)."""

from __future__ import annotations

import re
from typing import Any

from mocks.core.errors import ErrorCase, Invalid, VendorProblem
from mocks.core.iso import COUNTRY_CODES

from . import errors as e
from . import services as svc

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_LANGUAGE_TAG = re.compile(r"^(?P<language>[A-Za-z]{2,3})(?:-(?P<region>[A-Za-z]{2}|\d{3}))?$")


# -- schema failures ------------------------------------------------------------------------------------
def render_validation(case: ErrorCase) -> VendorProblem:
    """Parameter and JSON:API envelope errors stop the request at the first one (they are thrown before
    the form is built); attribute errors are form errors, all reported, one per field. The modules and
    audit-log services report their first failure in their own dialect."""
    service = svc.service_of(case.path)
    if service == svc.MODULES and case.failures:
        return e.problem(_modules_failure(case.failures[0]))
    if service == svc.AUDIT_LOG and case.failures:
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
        return svc.invalid_uuid(service, str(f.value))
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
    pointer = f"/data/attributes/{field}" if service in (svc.ACCESS_CONTROL, svc.META_SITES) else f"/{field}"
    if field == "permission" and service == svc.ACCESS_CONTROL:
        return e.invalid_permission(f.value, tuple((f.schema or {}).get("enum") or ()))
    if service == svc.APPS and field == "appType":
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


# -- form constraints -----------------------------------------------------------------------------------
def email_errors(value: Any) -> list[dict[str, Any]]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [e.not_blank("/email")]
    if not isinstance(value, str):
        return [e.not_valid("/email")]
    if not _EMAIL.match(value):
        return [e.invalid_email(value)]
    return []


def language_errors(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, str):
        return [e.not_valid("/language")]
    match = _LANGUAGE_TAG.match(value)
    if not match:
        return [e.unsupported_language_tag()]
    if match.group("language").lower() not in e.SUPPORTED_LANGUAGES:
        return [e.unsupported_language(match.group("language"))]
    region = match.group("region")
    if region is not None and not region.isdigit() and region.upper() not in COUNTRY_CODES:
        return [e.unsupported_language_region(region)]
    return []


def password_errors(value: Any, pointer: str) -> list[dict[str, Any]]:
    """12 to 128 characters with at least one digit, one upper- and one lowercase letter."""
    if value is None or value == "":
        return [e.not_blank(pointer)]
    if not isinstance(value, str):
        return [e.not_valid(pointer)]
    if not (
        12 <= len(value) <= 128
        and re.search(r"\d", value)
        and re.search(r"[A-Z]", value)
        and re.search(r"[a-z]", value)
    ):
        return [e.invalid_password(pointer)]
    return []


def name_errors(name: Any, pointer: str, maximum: int) -> list[dict[str, Any]]:
    """A required name: not blank, a string, at most `maximum` characters."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return [e.not_blank(pointer)]
    if not isinstance(name, str):
        return [e.not_valid(pointer)]
    return [e.too_long(pointer, maximum)] if len(name) > maximum else []


def raise_if(found: list[dict[str, Any]]) -> None:
    if found:
        raise e.problem(*found)
