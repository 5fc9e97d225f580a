"""How v1 employee payloads arrive and how the employee side-listings look on the wire: the `employee` object of a
JSON body or the `employee[...]` fields of a form, the attribute definitions, the absence balance and the
`updated_since` listing (personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

import re
from typing import Any

from mocks.core.store import Row

from . import wire_v1 as w
from .domain import as_int

_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # a form value Laravel's `numeric` rule takes (ASCII digits)
_FORM_FIELD = re.compile(r"employee\[([a-z_]+)\](?:\[([A-Za-z0-9_]+)\])?")
_FORM_NUMBERS = ("weekly_working_hours", "supervisor_id")


# -- request bodies --------------------------------------------------------------------------------
def employee_fields(body: Any) -> dict[str, Any]:
    """The `employee` object of a JSON body, or the `employee[...]` fields of a form."""
    if not isinstance(body, dict):
        return {}
    if isinstance(body.get("employee"), dict):
        return dict(body["employee"])
    fields: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for key, value in body.items():
        found = _FORM_FIELD.fullmatch(key)
        if not found:
            continue
        if found.group(1) == "custom_attributes" and found.group(2):
            custom[found.group(2)] = value
        else:
            fields[found.group(1)] = value
    if custom:
        fields["custom_attributes"] = custom
    for name in _FORM_NUMBERS:
        if name in fields:
            fields[name] = _form_number(fields[name])
    return fields


def _form_number(value: Any) -> Any:
    """A numeric form value as a number; an empty one is null (Laravel's ConvertEmptyStringsToNull); anything
    else stays as sent, for the checks to refuse."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if _DECIMAL.fullmatch(text):
        number = float(text) if "." in text else as_int(text)
        return value if number is None else number
    return value


# -- answers ---------------------------------------------------------------------------------------
def changed_since_listing(data: list[Any]) -> dict[str, Any]:
    """Every match of `updated_since` in one answer, described as the official examples do: limit 1, one page
    per employee."""
    metadata = {"total_elements": len(data), "current_page": 0, "total_pages": len(data)}
    return w.listing(data, metadata, offset=0, limit=1)


def attribute_definitions(customs: list[Row], whitelist: frozenset[str] | None) -> list[dict[str, Any]]:
    """GET /company/employees/attributes (and /custom-attributes): the standard attributes but `id`, then the
    company's custom ones, each only when the credential may read it."""
    data = []
    for key, label, kind in w.STANDARD_ATTRIBUTES:
        if key != "id" and (whitelist is None or key in whitelist):
            data.append({"key": key, "label": label, "type": kind, "universal_id": key, "options": []})
    for definition in customs:
        if whitelist is None or definition["id"] in whitelist:
            data.append(
                {
                    "key": definition["id"],
                    "label": definition["label"],
                    "type": definition["type"],
                    "universal_id": definition["global_id"],
                    "options": list(definition["options"]),
                }
            )
    return data


def absence_balance(kind: Row, balance: float, available: float) -> dict[str, Any]:
    return {
        "id": kind["id"],
        "name": kind["name"],
        "category": kind["category"],
        "balance": w.whole(balance),
        "available_balance": w.whole(available),
    }
