"""Request input the way eloomi's Laravel reads it, and typed readers for its loose ("Mixed") fields.

Laravel merges a JSON body and form fields into one input bag: `Input.of(body)` rebuilds that bag from what
Connexion parsed (form keys in PHP's bracket syntax become lists and maps; a body of any other media type
is no input at all). The readers take what PHP takes (numbers as text, numeric strings as ids, 0/1/true/
false as flags) and raise the engine's `RequestInvalid` for the rest, so every bad value is answered by the
one validation renderer (errors.render_validation), whether it came as JSON or as a form.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import UTC, datetime
from typing import Any

from mocks.core.context import current
from mocks.core.errors import Invalid, RequestInvalid
from mocks.core.serialization import ascii_int

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# ASCII digits only, as PHP and MySQL read numbers ('²' and the full-width '１' are no numbers)
_DIGITS = re.compile(r"^\s*[0-9]+\s*$")
_INTEGER = re.compile(r"^\s*-?[0-9]+\s*$")
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_TRUE = {"1", "true"}
_FALSE = {"0", "false"}
PHP_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() strips (TrimStrings): ASCII blanks, no Unicode spaces
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def ascii_number(value: Any) -> int | None:
    """`ascii_int` on text that is ASCII throughout: PHP's trim and MySQL's number conversion skip ASCII
    blanks only, so a no-break space or an ideographic space before the digits makes no number either."""
    if isinstance(value, str) and not value.isascii():
        return None
    return ascii_int(value)


def query_integer(name: str, value: str | None) -> int | None:
    """A query parameter the spec lets through as text (so that an empty one is no parameter): None when
    empty, else its integer."""
    if value is None:
        return None
    number = ascii_number(value)
    if number is None:  # only a number too long for Python's int() gets past the spec's pattern
        raise RequestInvalid([Invalid("query", name, "integer", value)])
    return number


def query_flag(value: str | None) -> bool:
    """A flag such as extended_mode: on when sent with any value PHP finds true-ish (not '', '0' or
    'false')."""
    return value is not None and value.strip().lower() not in ("", "0", "false")


def invalid(key: str, rule: str, value: Any) -> RequestInvalid:
    return RequestInvalid([Invalid("body", f"/{key}", rule, value, message=f"{key}: {rule}")])


def php_form(fields: dict[str, Any]) -> dict[str, Any]:
    """Form fields as PHP parses them: `a[]=1&a[]=2` → [..], `a[x][y]=1` → {x: {y: ..}}, `a[0]=..` → a list.
    (Connexion has already joined repeated keys with commas; list fields split them again.)"""
    result: dict[str, Any] = {}
    for key, value in fields.items():
        root, bracket, rest = key.partition("[")
        if not root:
            continue
        parts = [root, *(_BRACKETS.findall(bracket + rest) if bracket else [])]
        if len(parts) > 1 and parts[-1] == "":  # a[] / a[x][]: a list
            parts.pop()
            value = value if isinstance(value, list) else _comma_list(str(value))
        _set_path(result, parts, value)
    return {k: _indexed_lists(v) for k, v in result.items()}


def php_reads_form(method: str, content_type: str) -> bool:
    """Whether a form body reaches Laravel's input. PHP parses form bodies (urlencoded and multipart, the
    media type compared without case) into $_POST on POST only; for PUT, PATCH and DELETE Symfony's
    Request::createFromGlobals parses the raw body itself, and only when the Content-Type starts with
    exactly `application/x-www-form-urlencoded`. A multipart PATCH is no input."""
    if method.upper() == "POST":
        return True
    return method.upper() in ("PUT", "PATCH", "DELETE") and content_type.startswith("application/x-www-form-urlencoded")


def laravel_input(value: Any, key: str = "") -> Any:
    """Laravel's global TrimStrings and ConvertEmptyStringsToNull middleware (default since 5.4): strings
    are trimmed (passwords excepted) and an empty string is null."""
    if isinstance(value, dict):
        return {k: laravel_input(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [laravel_input(v) for v in value]
    if isinstance(value, str):
        text = value if key in ("password", "password_confirmation") else value.strip(PHP_TRIM)
        return text or None
    return value


def _set_path(root: dict, parts: list[str], value: Any) -> None:
    node = root
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def _indexed_lists(value: Any) -> Any:
    """PHP arrays with keys 0..n-1 are JSON lists."""
    if isinstance(value, dict):
        value = {k: _indexed_lists(v) for k, v in value.items()}
        if value and set(value) == {str(i) for i in range(len(value))}:
            return [value[str(i)] for i in range(len(value))]
    return value


class Input:
    """The request's input bag with PHP-tolerant readers. `key in input` says whether a field was sent."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def of(cls, body: Any) -> Input:
        """JSON objects as they are, form fields PHP-parsed where PHP parses them, anything else (other
        media types, no body, a JSON array) as empty input."""
        if not isinstance(body, dict):
            return cls({})
        ctx = current()
        content_type = ctx.header("content-type") or ""
        media_type = content_type.split(";")[0].strip().lower()
        if media_type not in FORM_TYPES:
            return cls(laravel_input(body))
        if not php_reads_form(ctx.scope["method"], content_type):
            return cls({})
        return cls(laravel_input(php_form(body)))

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def sent(self, *keys: str) -> list[str]:
        """Which of these (alias) fields were sent, in the order given."""
        return [k for k in keys if k in self.data]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    # -- scalars -------------------------------------------------------------------------------------
    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return php_number(value)
        raise invalid(key, "string", value)

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = ascii_number(value) if isinstance(value, str) and _INTEGER.match(value) else None
        if number is not None:
            return number
        raise invalid(key, "integer", value)

    def flag(self, key: str) -> int | None:
        """0/1 from true/false, 0/1 or their strings (None when not sent)."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int) and value in (0, 1):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return int(value.strip().lower() in _TRUE)
        raise invalid(key, "boolean", value)

    def choice(self, key: str, options: tuple[str, ...]) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value in options:
            return value
        raise invalid(key, "enum", value)

    def datetime(self, key: str) -> str | None:
        """'yyyy-mm-dd hh:mm:ss' (a date alone is midnight; ISO 8601 is read; '' or null clears)."""
        moment = self._moment(key)
        return None if moment is None else f"{date_text(moment)} {moment:%H:%M:%S}"

    def date(self, key: str) -> str | None:
        moment = self._moment(key)
        return None if moment is None else date_text(moment)

    # dt.datetime: in the class body the bare name is the method Input.datetime above
    def _moment(self, key: str) -> dt.datetime | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            moment = parse_moment(value.strip())
            if moment is not None:
                return moment
        raise invalid(key, "date", value)

    # -- lists and maps -----------------------------------------------------------------------------
    def ids(self, key: str) -> list[int]:
        """Ids as ints: a list of ints or numeric strings (or one comma-separated string, as forms send)."""
        return self._list(key, "integer", _as_id)

    def strings(self, key: str) -> list[str]:
        """A list of strings (numbers taken as text), or one comma-separated string; blanks dropped."""
        return [s for s in self._list(key, "string", _as_text) if s]

    def _list(self, key: str, rule: str, convert) -> list:
        """Each entry converted (None: not of this kind, a 400 on `key/index`); empty entries are skipped
        (ConvertEmptyStringsToNull), an absent or null list is empty."""
        value = self.data.get(key)
        if value is None:
            return []
        items = value if isinstance(value, list) else _comma_list(value)
        if items is None:
            raise invalid(key, "array", value)
        found = []
        for index, item in enumerate(items):
            if item is None:
                continue
            converted = convert(item)
            if converted is None:
                raise invalid(f"{key}/{index}", rule, item)
            found.append(converted)
        return found

    def mapping(self, key: str) -> dict[str, Any]:
        """A map; a list is the map of its indexes (PHP has arrays only)."""
        value = self.data.get(key)
        if value is None:
            return {}
        if isinstance(value, list):
            return {str(i): v for i, v in enumerate(value)}
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        raise invalid(key, "array", value)

    def nested(self, key: str, inner: str) -> Input:
        """The map `key[inner]` as an Input of its own (course_ids[12][deadline]...)."""
        value = self.mapping(key).get(inner)
        if isinstance(value, list):
            value = {str(i): v for i, v in enumerate(value)}
        if value is None:
            return Input({})
        if not isinstance(value, dict):
            raise invalid(f"{key}/{inner}", "array", value)
        return Input(value)


def _as_id(item: Any) -> int | None:
    if isinstance(item, int) and not isinstance(item, bool):
        return item if item >= 0 else None
    return ascii_number(item) if isinstance(item, str) and _DIGITS.match(item) else None


def _as_text(item: Any) -> str | None:
    if isinstance(item, str):
        return item.strip()
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return php_number(item)
    return None


def _comma_list(value: Any) -> list | None:
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(",")) if part]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [value]
    return None


def php_number(value: int | float) -> str:
    """A number as PHP prints it into a string column (12.0 → '12')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_moment(text: str) -> datetime | None:
    """A date or date-time in ASCII digits (naive: UTC), or None when it is none or leaves the years
    1-9999 once converted to UTC (`0001-01-01T00:00:00+01:00`)."""
    if not text.isascii():
        return None
    for layout in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return moment


def date_text(moment: datetime) -> str:
    """yyyy-mm-dd with a four-digit year, also below 1000 ('0999-01-01'; strftime would write '999')."""
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
