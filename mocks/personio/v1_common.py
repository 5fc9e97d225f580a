"""What the v1 handlers share: the success envelope, the three pagination styles of the v1 endpoints, Laravel's
validation wording (Personio v1 is a Laravel application: "The given data was invalid.") and form values."""

from __future__ import annotations

import math
from typing import Any

from mocks.core.context import current
from mocks.core.pagination import offset_page
from mocks.core.responses import json_response
from mocks.core.serialization import ascii_int

from . import errors as e

_TRUE = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no"}


def ok(data: Any, status: int = 200, **extra: Any):
    return json_response({"success": True, "data": data, **extra}, status)


def principal() -> dict[str, Any]:
    return current().principal or {}


# -- pagination -----------------------------------------------------------------------------------
# the parameter descriptions of personio-personnel-data-api-oa3.yaml; time-offs count pages from 1 (0 read as 1):
# https://developer.personio.de/discuss/661512b68e5c3f005ffa8c8d
def item_page(rows: list, offset: int, limit: int, *, first_page: int = 0) -> tuple[list, dict[str, int]]:
    """`offset` counts items; `current_page` is offset // limit (+1 where pages are numbered from 1)."""
    page = offset_page(rows, offset, limit)
    return page.items, {
        "total_elements": page.total,
        "current_page": offset // limit + first_page,
        "total_pages": math.ceil(page.total / limit),
    }


def page_number_page(rows: list, page: int, limit: int) -> tuple[list, dict[str, int]]:
    """`offset` is a 1-based page number; 0 is read as 1 (GET /company/time-offs)."""
    page = max(1, page)
    found = offset_page(rows, (page - 1) * limit, limit)
    return found.items, {
        "total_elements": found.total,
        "current_page": page,
        "total_pages": math.ceil(found.total / limit),
    }


# -- values ----------------------------------------------------------------------------------------
def form_bool(value: Any, default: bool | None = None) -> bool | None:
    """true/false, 1/0 (PHP forms and the Postman collection send '0'/'1'); None when not a boolean."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def as_int(value: Any) -> int | None:
    """An integer, a whole float or a string of ASCII digits as an int, else None ('²' and '١' are no
    numbers to Personio; neither is a string of more digits than Python converts)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    try:
        return ascii_int(value)
    except ValueError:
        return None


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
    return e.given_data_invalid(errors)
