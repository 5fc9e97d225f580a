"""Request validators for Connexion's `validator_map` that keep every failure, structured.

Connexion's own validators raise one multi-line string; vendors need the parameter name, the failing
keyword and the value to word the error their way (`Invalid`). Schemas are compiled once per spec node
instead of once per request.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.json_schema import Draft4RequestValidator
from connexion.lifecycle import ConnexionRequest
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    FormDataValidator,
    JSONRequestBodyValidator,
    MultiPartFormDataValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator, FormatChecker, ValidationError
from starlette.datastructures import FormData, Headers
from starlette.formparsers import MultiPartException, MultiPartParser

from .errors import Invalid, RequestInvalid

# Draft 4 knows no "uuid" format; OpenAPI specs use it everywhere.
FORMAT_CHECKER = FormatChecker()
for _name, _check in Draft4Validator.FORMAT_CHECKER.checkers.items():
    FORMAT_CHECKER.checkers[_name] = _check
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@FORMAT_CHECKER.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _UUID.match(value):
        raise ValueError(f"{value!r} is not a valid UUID")
    uuid.UUID(value)
    return True


# Caches keyed by id(schema) hold the schema itself too: a cached entry keeps its schema alive, so its id
# cannot be reused by another dict while the entry exists, and a lookup checks identity besides.
_COMPILED: dict[tuple[int, type], Any] = {}
_QUICK: dict[int, tuple[dict, Any]] = {}
_QUICK_KEYS = {
    "type",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "enum",
    "default",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "description",
    "example",
    "nullable",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
}  # and every `x-` extension: jsonschema ignores them
_PYTHON_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


def quick_check(schema: dict):
    """For a simple scalar schema, a fast test that answers True only when the value is certainly valid
    (jsonschema then runs only to explain failures). None when the schema is not simple enough."""
    cached = _QUICK.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    check = None
    kind = schema.get("type")
    fmt = schema.get("format")
    if (
        all(key in _QUICK_KEYS or key.startswith("x-") for key in schema)
        and kind in _PYTHON_TYPES
        and (fmt is None or fmt == "uuid" or fmt not in FORMAT_CHECKER.checkers)
    ):
        types = _PYTHON_TYPES[kind]
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        exclusive_min, exclusive_max = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        enum = schema.get("enum")
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        min_length, max_length = schema.get("minLength"), schema.get("maxLength")

        def check(value: Any) -> bool:
            if not isinstance(value, types) or (kind != "boolean" and isinstance(value, bool)):
                return False
            if minimum is not None and (value <= minimum if exclusive_min else value < minimum):
                return False
            if maximum is not None and (value >= maximum if exclusive_max else value > maximum):
                return False
            if enum is not None and value not in enum:
                return False
            if kind == "string" and isinstance(value, str):  # always a str here: narrows it for the checks
                if pattern is not None and not pattern.search(value):
                    return False
                if min_length is not None and len(value) < min_length:
                    return False
                if max_length is not None and len(value) > max_length:
                    return False
                if fmt == "uuid" and not _UUID.match(value):
                    return False
            return True

    _QUICK[id(schema)] = (schema, check)
    return check


def compiled(schema: dict, cls=Draft4RequestValidator):
    """A validator for a spec node, built once (spec dicts live as long as the app)."""
    key = (id(schema), cls)
    validator = _COMPILED.get(key)
    if validator is None or validator.schema is not schema:
        validator = _COMPILED[key] = cls(schema, format_checker=FORMAT_CHECKER)
    return validator


def to_invalid(error: ValidationError, location: str, name_prefix: str = "") -> Invalid:
    """A jsonschema error as an `Invalid`; `required` failures point at the missing member."""
    pointer = "".join(f"/{p}" for p in error.absolute_path)
    value: Any = error.instance
    if error.validator == "required":
        missing = re.match(r"^'(.+)' is a required property$", error.message)
        if missing:
            pointer = f"{pointer}/{missing.group(1)}"
            value = None
    name = pointer if location == "body" else name_prefix + pointer
    return Invalid(
        location=location,
        name=name,
        rule=str(error.validator),
        value=value,
        expected=error.validator_value,
        message=error.message,
        schema=error.schema,
    )


def collect(validator, instance: Any, location: str, name: str = "") -> list[Invalid]:
    errors = sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    return [to_invalid(e, location, name) for e in errors]


class StructuredParameterValidator(ParameterValidator):
    """Validates query/path/header/cookie parameters; raises `RequestInvalid` with every failure."""

    def validate_request(self, request: ConnexionRequest) -> None:
        failures: list[Invalid] = []
        raw_query = request._starlette_request.query_params if hasattr(request, "_starlette_request") else {}
        if self.strict_validation:
            extra = self.validate_query_parameter_list(request, security_params=self.security_query_params)
            failures += [
                Invalid(
                    "query",
                    name,
                    "additionalProperties",
                    raw_query.get(name),
                    message=f"Extra query parameter {name} not in spec",
                )
                for name in sorted(extra)
            ]
        sources = {
            "query": (request.query_params, raw_query),
            "path": (request.path_params, request.path_params),
            "header": (request.headers, request.headers),
            "cookie": (request.cookies, request.cookies),
        }
        for location, params in self.parameters.items():
            values, raw = sources[location]
            for param in params:
                key = param["name"].replace("-", "_") if location == "path" else param["name"]
                failures += self._check(location, param, values.get(key), raw.get(key))
        if failures:
            raise RequestInvalid(failures)

    @staticmethod
    def _check(location: str, param: dict, value: Any, raw: Any) -> list[Invalid]:
        if value is None:
            if param.get("required"):
                return [
                    Invalid(
                        location,
                        param["name"],
                        "missing",
                        None,
                        message=f"Missing {location} parameter '{param['name']}'",
                    )
                ]
            return []
        if is_nullable(param) and is_null(value):
            return []
        schema = param.get("schema", param)
        quick = quick_check(schema)
        if quick is not None and quick(value):
            return []
        failures = collect(compiled(schema), value, location, param["name"])
        for failure in failures:  # report what the client sent, not our coerced copy
            if failure.name == param["name"] and raw is not None:
                failure.value = raw
        return failures


class StructuredJSONBodyValidator(JSONRequestBodyValidator):
    """JSON bodies (any `*/*json` media type, e.g. application/vnd.api+json)."""

    async def _parse(self, stream, scope) -> Any:
        data = b"".join([chunk async for chunk in stream])
        if not data.strip():
            return None
        try:
            return json.loads(data.decode(self._encoding))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RequestInvalid(
                [Invalid("body", "", "json", data[:200].decode("utf-8", "replace"), message=str(exc))]
            ) from None

    def _validate(self, body: Any) -> None:
        if body is None:
            if self._required or not self._nullable:
                raise RequestInvalid([Invalid("body", "", "missing", None, message="Request body must not be empty")])
            return
        failures = collect(compiled(self._schema), body, "body")
        if failures:
            raise RequestInvalid(failures)

    async def wrap_receive(self, receive, *, scope):
        headers = Headers(scope=scope)
        if not int(headers.get("content-length", 0) or 0) and "chunked" not in headers.get("transfer-encoding", ""):
            if self._required:
                raise RequestInvalid([Invalid("body", "", "missing", None, message="RequestBody is required")])
            return receive, scope  # an optional body left out: nothing to validate
        return await super().wrap_receive(receive, scope=scope)


class _StructuredFormMixin(FormDataValidator):  # mixed into FormDataValidator and its multipart subclass
    def _validate(self, body: Any) -> None:
        if not isinstance(body, dict):
            raise RequestInvalid([Invalid("body", "", "type", body, "object", "Parsed body must be a mapping")])
        failures: list[Invalid] = []
        if self._strict_validation:
            spec = self._schema.get("properties", {})
            failures += [
                Invalid("body", f"/{k}", "additionalProperties", body[k], message=f"Extra form field {k}")
                for k in sorted(set(body) - set(spec))
            ]
        failures += collect(compiled(self._schema), body, "body")
        if failures:
            raise RequestInvalid(failures)

    async def wrap_receive(self, receive, *, scope):
        try:
            return await super().wrap_receive(receive, scope=scope)
        except BadRequestProblem as exc:
            if isinstance(exc, RequestInvalid):
                raise
            raise RequestInvalid([Invalid("body", "", "missing", None, message=str(exc.detail))]) from None
        except (KeyError, MultiPartException) as exc:  # multipart without a Content-Type or boundary: a 4xx
            raise RequestInvalid([Invalid("body", "", "missing", None, message=f"unreadable form: {exc}")]) from None


class StructuredFormValidator(_StructuredFormMixin, FormDataValidator):
    pass


class _ClosingMultiPartParser(MultiPartParser):
    """Validation only needs to know which fields are files: their spooled temporary files are closed at
    once (the handler reads the body again), instead of being left to the garbage collector."""

    async def parse(self) -> FormData:
        form = await super().parse()
        await form.close()
        return form


class StructuredMultiPartValidator(_StructuredFormMixin, MultiPartFormDataValidator):
    @property
    def _form_parser_cls(self):
        return _ClosingMultiPartParser


VALIDATOR_MAP = {
    # validator_map is merged shallowly by Connexion: the whole "body" map is given.
    "parameter": StructuredParameterValidator,
    "body": MediaTypeDict(
        {
            "*/*json": StructuredJSONBodyValidator,
            "application/x-www-form-urlencoded": StructuredFormValidator,
            "multipart/form-data": StructuredMultiPartValidator,
        }
    ),
}
