"""The slice of Laravel 10's validator PERSCOM's request classes use, with Laravel's English messages.

`validate(data, rules, world)` returns the messages in Laravel's order (rule keys in order, wildcards
expanded in place, every failing rule of an attribute until an implicit rule fails), which
`errors.validation` summarises. Input is normalised first like Laravel's global middleware does
(TrimStrings, ConvertEmptyStringsToNull).
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from mocks.core.uploads import Upload

from .domain_resources import TABLES

_MISSING = object()
IMPLICIT = {"required", "required_with", "required_without", "present"}
_SIZE_MESSAGES = {
    "max": {
        "string": "The {a} field must not be greater than {n} characters.",
        "numeric": "The {a} field must not be greater than {n}.",
        "array": "The {a} field must not have more than {n} items.",
        "file": "The {a} field must not be greater than {n} kilobytes.",
    },
    "min": {
        "string": "The {a} field must be at least {n} characters.",
        "numeric": "The {a} field must be at least {n}.",
        "array": "The {a} field must have at least {n} items.",
        "file": "The {a} field must be at least {n} kilobytes.",
    },
}
MESSAGES = {
    "required": "The {a} field is required.",
    "present": "The {a} field must be present.",
    "required_with": "The {a} field is required when {p} is present.",
    "required_without": "The {a} field is required when {p} is not present.",
    "string": "The {a} field must be a string.",
    "integer": "The {a} field must be an integer.",
    "numeric": "The {a} field must be a number.",
    "boolean": "The {a} field must be true or false.",
    "array": "The {a} field must be an array.",
    "date": "The {a} field must be a valid date.",
    "email": "The {a} field must be a valid email address.",
    "json": "The {a} field must be a valid JSON string.",
    "hex_color": "The {a} field must be a valid hexadecimal color.",
    "image": "The {a} field must be an image.",
    "file": "The {a} field must be a file.",
    "regex": "The {a} field format is invalid.",
    "in": "The selected {a} is invalid.",
    "enum": "The selected {a} is invalid.",
    "exists": "The selected {a} is invalid.",
    "unique": "The {a} has already been taken.",
    "after": "The {a} field must be a date after {p}.",
    "whitelist": "The {input} field is not whitelisted.",  # Orion's WhitelistedField::message()
}
_EMAIL = re.compile(r"^[^@\s\"(),:;<>\[\]\\]+@[^@\s\"(),:;<>\[\]\\]+$")
_HEX = re.compile(r"^#(?:(?:[0-9a-f]{3}){1,2}|(?:[0-9a-f]{4}){1,2})$", re.IGNORECASE)
_INT = re.compile(r"^[+-]?(?:0|[1-9][0-9]*)$")  # FILTER_VALIDATE_INT: ASCII digits, no leading zeros
_PHP_TRIM = " \t\r\n\v"  # PHP_FILTER_TRIM_DEFAULT
INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # PHP_INT_MIN / PHP_INT_MAX (64-bit)
_NUMERIC_PREFIX = re.compile(r"^[ \t\n\r\v\f]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/bmp", "image/svg+xml", "image/webp"}
_NO_TRIM = {"password", "password_confirmation", "current_password"}


# -- input normalisation (TrimStrings + ConvertEmptyStringsToNull) -------------------------------------------
def normalize(value: Any, key: str = "") -> Any:
    if isinstance(value, str):
        if key in _NO_TRIM:
            return value
        value = value.strip()
        return None if value == "" else value
    if isinstance(value, dict):
        return {k: normalize(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


# -- data access (Arr::get / Arr::has over JSON objects and lists) ------------------------------------------
def data_get(data: Any, path: str) -> Any:
    current = data
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isascii() and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def _expand(rules: dict[str, str], data: Any) -> list[tuple[str, list[str]]]:
    """Wildcard keys (`resources.*.name`) become one entry per element present, in place; a `*` in a
    rule's argument (`required_without:filters.*.nested`) takes the same indexes."""
    expanded: list[tuple[str, list[str]]] = []
    for key, rule in rules.items():
        parts = [p for p in rule.split("|") if p]
        if "*" not in key:
            expanded.append((key, parts))
            continue
        for concrete, indexes in _concrete_keys(key.split("."), data, [], []):
            bound = []
            for part in parts:
                for index in indexes:
                    part = part.replace("*", index, 1) if part.startswith("required_with") else part
                bound.append(part)
            expanded.append((concrete, bound))
    return expanded


def _concrete_keys(parts: list[str], data: Any, prefix: list[str], indexes: list[str]) -> list[tuple[str, list[str]]]:
    if not parts:
        return [(".".join(prefix), indexes)]
    head, rest = parts[0], parts[1:]
    if head != "*":
        if not rest:
            return [(".".join(prefix + [head]), indexes)]
        child = data.get(head, _MISSING) if isinstance(data, dict) else _MISSING
        return _concrete_keys(rest, child, prefix + [head], indexes)
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = [(str(i), v) for i, v in enumerate(data)]
    else:
        return []
    keys: list[tuple[str, list[str]]] = []
    for name, value in items:
        keys += _concrete_keys(rest, value, prefix + [str(name)], indexes + [str(name)])
    return keys


def display(attribute: str) -> str:
    """Laravel's displayable attribute: snake_case with spaces."""
    return attribute.replace("_", " ")


def displayable_value(value: Any) -> str:
    """What replaces `:input` in a message (replaceInputPlaceholder + getDisplayableValue): booleans as
    true/false, null as "empty"; arrays leave the placeholder as it is."""
    if value is None or value is _MISSING:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = _php_string(value)
    return ":input" if text is None else text


# -- the validator ------------------------------------------------------------------------------------------
def validate(data: Any, rules: dict[str, str], world: Any) -> list[str]:
    return [message for _, message in validate_fields(data, rules, world)]


def validate_fields(data: Any, rules: dict[str, str], world: Any) -> list[tuple[str, str]]:
    """(attribute, message) of every failed rule, in Laravel's order (the v2 `errors` map is built from it)."""
    data = data if isinstance(data, dict) else {}
    messages: list[tuple[str, str]] = []
    for attribute, parts in _expand(rules, data):
        names = [p.split(":", 1)[0] for p in parts]
        value = data_get(data, attribute)
        if "sometimes" in names and value is _MISSING:
            continue
        failed_implicit = False
        for part in parts:
            name, _, argument = part.partition(":")
            if name in ("nullable", "sometimes", "bail"):
                continue
            implicit = name in IMPLICIT
            if not implicit:
                if value is _MISSING or value is None and "nullable" in names:
                    continue
            message = _check(name, argument, attribute, value, names, data, world)
            if message is not None:
                messages.append((attribute, message))
                if implicit:
                    failed_implicit = True
            if failed_implicit:
                break
    return messages


def _check(
    name: str, argument: str, attribute: str, value: Any, names: list[str], data: dict, world: Any
) -> str | None:
    a = display(attribute)
    present = value is not _MISSING
    if name == "required":
        return None if present and _filled(value) else MESSAGES["required"].format(a=a)
    if name == "present":
        return None if present else MESSAGES["present"].format(a=a)
    if name in ("required_with", "required_without"):
        others = argument.split(",")
        trigger = any(data_get(data, o) not in (_MISSING, None) for o in others)
        if name == "required_without":
            trigger = not all(data_get(data, o) not in (_MISSING, None) for o in others)
        if trigger and not (present and _filled(value)):
            return MESSAGES[name].format(a=a, p=" / ".join(display(o) for o in others))
        return None
    ok = {
        "string": lambda: isinstance(value, str),
        "integer": lambda: is_integer(value),
        "numeric": lambda: is_numeric(value),
        "boolean": lambda: value in (True, False, 0, 1, "0", "1") and not isinstance(value, float),
        "array": lambda: isinstance(value, (list, dict)),
        "date": lambda: parse_date(value) is not None,
        "email": lambda: isinstance(value, str) and bool(_EMAIL.match(value)),
        "json": lambda: isinstance(value, str) and _is_json(value),
        "hex_color": lambda: isinstance(value, str) and bool(_HEX.match(value)),
        "image": lambda: isinstance(value, Upload) and value.content_type in _IMAGE_TYPES,
        "file": lambda: isinstance(value, Upload),
        "regex": lambda: _regex(value, argument),
        "in": lambda: _in(value, argument.split(",")),
        "whitelist": lambda: isinstance(value, str) and any(fnmatch.fnmatchcase(value, p) for p in argument.split(",")),
        "enum": lambda: _enum(value, argument.split(",")),
        "exists": lambda: _exists(world, argument, value),
        "unique": lambda: not _exists(world, argument, value, case_insensitive=True),
        "after": lambda: _after(value, data_get(data, argument)),
    }
    if name in ("max", "min"):
        kind, size = _size(value, names)
        limit = float(argument)
        if (size > limit) if name == "max" else (size < limit):
            return _SIZE_MESSAGES[name][kind].format(a=a, n=argument)
        return None
    check = ok.get(name)
    if check is None or check():
        return None
    return MESSAGES[name].format(a=a, p=display(argument), input=displayable_value(value))


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (list, dict)):
        return len(value) > 0
    return True


def to_int(value: Any) -> int | None:
    """PHP's filter_var($value, FILTER_VALIDATE_INT) (Laravel's `integer` rule): the int, or None when it fails.

    The value is read as PHP holds it after json_decode: an integer beyond 64 bits is a float there. Other
    values are converted to a string first: `true` is "1" (1), `false` is "" (fails), a float is written with
    `precision` 14 ("1.0E+15" fails, 3.0 is "3"). Strings: surrounding whitespace trimmed, an optional sign,
    ASCII digits without leading zeros, within PHP_INT_MIN..PHP_INT_MAX."""
    if isinstance(value, bool):
        return 1 if value else None
    if isinstance(value, int):
        return value if INT_MIN <= value <= INT_MAX else None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) >= 1e14:
            return None
        return int(value)
    if isinstance(value, str):
        text = value.strip(_PHP_TRIM)
        if not _INT.match(text):
            return None
        number = int(text)
        return number if INT_MIN <= number <= INT_MAX else None
    return None


def is_integer(value: Any) -> bool:
    return to_int(value) is not None


def php_int(value: Any) -> int:
    """PHP's (int) cast: numeric prefixes of strings ("12abc" is 12, "1e3" is 1000, "abc" is 0); floats
    truncated, saturating at PHP_INT_MIN/PHP_INT_MAX (zend_dval_to_lval_cap), NaN and infinities 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return max(INT_MIN, min(INT_MAX, value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return 0
        return INT_MAX if value >= 2**63 else INT_MIN if value < -(2**63) else int(value)
    if isinstance(value, (list, dict)):
        return 1 if value else 0
    if isinstance(value, str):
        match = _NUMERIC_PREFIX.match(value)
        if not match:
            return 0
        text = match.group(1)
        if re.fullmatch(r"[+-]?[0-9]+", text):
            return php_int(int(text))
        return php_int(float(text))
    return 0


_NUMERIC = re.compile(r"^[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$")


def is_numeric(value: Any) -> bool:
    """PHP's is_numeric(): numbers (not booleans) and numeric strings written with ASCII digits."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value))


def to_bool(value: Any) -> bool:
    return value in (True, 1, "1")


def _is_json(value: str) -> bool:
    try:
        json.loads(value)
        return True
    except ValueError:
        return False


def _php_string(value: Any) -> str | None:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return None


def _regex(value: Any, pattern: str) -> bool:
    """Strings and numbers (not booleans) matched against a PCRE pattern without /u."""
    if not (isinstance(value, str) or is_numeric(value) and not isinstance(value, bool)):
        return False
    text = _php_string(value)  # never None for a string or a number
    return text is not None and bool(re.search(pattern.strip("/"), text, re.ASCII))


def _in(value: Any, allowed: list[str]) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(_php_string(v) in allowed for v in values) and not isinstance(value, dict)


def _enum(value: Any, allowed: list[str]) -> bool:
    number = to_int(value)
    return number is not None and not isinstance(value, bool) and str(number) in allowed


def _exists(world: Any, argument: str, value: Any, *, case_insensitive: bool = False) -> bool:
    table, _, column = argument.partition(",")
    column = column or "id"
    model = TABLES.get(table)
    values = value if isinstance(value, list) else [value]
    if model is None or not values:
        return False
    kind = model.column_map[column].kind if column in model.column_map else "str"
    wanted: set[int | str] = set()
    for v in values:
        if kind in ("id", "int"):
            number = _mysql_int(v)
            if number is None:
                return False
            wanted.add(number)
        else:
            text = _php_string(v)
            if text is None:
                return False
            wanted.add(text.lower() if case_insensitive else text)
    rows = world[table].values()
    found = set()
    for row in rows:
        cell = row.get(column)
        if isinstance(cell, str) and case_insensitive:
            cell = cell.lower()
        if cell in wanted:
            found.add(cell)
    return found == wanted if not case_insensitive else bool(found)


_MYSQL_INT = re.compile(r"^\s*[+-]?[0-9]+(?:\.0*)?\s*$")


def _mysql_int(value: Any) -> int | None:
    """The integer key MySQL compares a bound value with (`where id = '05'` finds 5), None if none can match."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str) and _MYSQL_INT.match(value):
        return int(value.strip().split(".")[0])
    return None


def _size(value: Any, names: list[str]) -> tuple[str, float | int]:
    if isinstance(value, Upload):
        return "file", len(value.data) / 1024
    if ("numeric" in names or "integer" in names) and is_numeric(value):
        return "numeric", value if isinstance(value, (int, float)) else float(value.strip())
    if isinstance(value, (list, dict)):
        return "array", float(len(value))
    return "string", float(len(str(value))) if value is not None else 0.0


def _after(value: Any, other: Any) -> bool:
    """`after:start`, Laravel 10's compareDates: `start` is not a date itself, so it names a field, whose
    timestamp may be null (missing, null or not a date); `$first > null` is true in PHP, so then only
    the value must be a date."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return False
    mine = parse_date(value)
    if mine is None:
        return False
    theirs = parse_date(other) if other is not _MISSING else None
    return theirs is None or mine > theirs


# -- dates (strtotime's common forms) ----------------------------------------------------------------------
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%Y%m%d",
    "%d-%m-%Y",
)
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)


def parse_date(value: Any, now: datetime | None = None) -> datetime | None:
    """A wall-clock datetime for what strtotime() accepts (common forms), else None. Like Eloquent's
    datetime cast, an offset is dropped and the wall time kept."""
    if not isinstance(value, str):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        else:
            return None
    text = value.strip()
    lowered = text.lower()
    if now is not None and lowered in ("now", "today", "tomorrow", "yesterday"):
        base = now.replace(tzinfo=None)
        if lowered == "now":
            return base.replace(microsecond=0)
        day = base.replace(hour=0, minute=0, second=0, microsecond=0)
        return day + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[lowered])
    match = _ISO.match(text)
    if match:
        text = f"{match.group(1)} {match.group(2)}"
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def to_timestamp(value: Any, now: datetime) -> str | None:
    """The stored (and serialised) form of a date attribute: Laravel's `2024-02-17T21:15:02.000000Z`."""
    if value is None:
        return None
    parsed = parse_date(value, now)
    if parsed is None:
        return None
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
