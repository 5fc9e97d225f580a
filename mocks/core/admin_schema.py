"""The admin API's own contract, `specs/admin.yaml`, enforced on every /_mocks request before anything changes.

Bodies are parsed strictly (orjson: no NaN/Infinity, valid UTF-8, at most MAX_DEPTH levels, integers within
64 bits) and validated, with the query and path parameters, by jsonschema against the operation's schemas.
A refusal names the field: `{"error": ..., "field": "headers.X-A", "in": "body"}`.

OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`; what 3.0 cannot state is written as extensions
this module turns into JSON Schema draft 4: `x-tuple` (positional `items`) and `x-propertyNames: {pattern}` (the
object's keys must match it: `patternProperties` holding the value schema, nothing else allowed). `x-refusal:
{keyword: message}` words the refusal when that keyword of the schema fails (jsonschema's own text otherwise).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import orjson
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError, best_match

from .specs import parsed_spec

SPEC = "admin.yaml"
MAX_DEPTH = 64  # orjson itself stops at 1024; the journal and faults serialize up to 254
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_MESSAGE_LIMIT = 300
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class AdminRefusal(Exception):
    """An admin request refused before it changed anything."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        location: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.location = location
        self.headers = headers or {}

    def body(self) -> dict[str, str]:
        body = {"error": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.location is not None:
            body["in"] = self.location
        return body


# -- parsing ------------------------------------------------------------------------------------------------


def parse_json(raw: bytes) -> Any:
    """A JSON document as the admin API accepts it, or an AdminRefusal."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise AdminRefusal(400, f"body is not JSON: {error}", "body", "body") from None
    _check_tree(data)
    return data


def _check_tree(data: Any) -> None:
    """Depth and 64-bit integers, walked without recursion (orjson turns larger integers into floats, which
    integer fields refuse by type; the ones that fit u64 arrive as int and are refused here)."""
    stack: list[tuple[Any, int, tuple]] = [(data, 1, ())]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, dict):
            if depth >= MAX_DEPTH and value:
                raise AdminRefusal(400, f"JSON nested deeper than {MAX_DEPTH} levels", _dotted(path) or "body", "body")
            stack.extend((v, depth + 1, (*path, k)) for k, v in value.items() if isinstance(v, (dict, list, int)))
        elif isinstance(value, list):
            if depth >= MAX_DEPTH and value:
                raise AdminRefusal(400, f"JSON nested deeper than {MAX_DEPTH} levels", _dotted(path) or "body", "body")
            stack.extend((v, depth + 1, (*path, i)) for i, v in enumerate(value) if isinstance(v, (dict, list, int)))
        elif isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
            raise AdminRefusal(400, "integer outside the 64-bit range", _dotted(path) or "body", "body")


def _dotted(path) -> str:
    return ".".join(str(part) for part in path)


# -- schemas ------------------------------------------------------------------------------------------------


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema object → JSON Schema draft 4 (nullable, x-tuple, x-propertyNames)."""
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    schema = {
        key: _to_json_schema(value)
        for key, value in node.items()
        if key not in ("nullable", "x-tuple", "x-propertyNames", "discriminator", "example")
    }
    if "x-tuple" in node:
        schema["items"] = _to_json_schema(node["x-tuple"])
    if "x-propertyNames" in node:  # draft 4 has no propertyNames: names matching the pattern, nothing else
        values = schema.pop("additionalProperties", {})
        schema["patternProperties"] = {node["x-propertyNames"]["pattern"]: values}
        schema["additionalProperties"] = False
    if node.get("nullable"):
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


@dataclass
class Operation:
    """What one admin operation accepts."""

    body: Draft4Validator | None = None
    body_required: bool = False
    query: dict[str, tuple[Draft4Validator, dict, bool]] = field(
        default_factory=dict
    )  # name: (validator, schema, required)
    path: dict[str, tuple[Draft4Validator, dict]] = field(default_factory=dict)

    def check_query(self, query: list[tuple[str, str]]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, raw in query:
            if name not in self.query:
                known = ", ".join(sorted(self.query)) or "none"
                raise AdminRefusal(
                    400, f"unknown query parameter {name!r} (this operation takes: {known})", name, "query"
                )
            if name in values:
                raise AdminRefusal(400, f"query parameter {name!r} given twice", name, "query")
            validator, schema, _ = self.query[name]
            values[name] = _checked(validator, _typed(raw, schema), name, "query")
        for name, (_, _, required) in self.query.items():
            if required and name not in values:
                raise AdminRefusal(400, f"query parameter {name!r} is required", name, "query")
        return values

    def check_path(self, params: dict[str, str]) -> dict[str, Any]:
        return {
            name: _checked(validator, _typed(params[name], schema), name, "path")
            for name, (validator, schema) in self.path.items()
        }

    def check_body(self, raw: bytes) -> Any:
        if not raw.strip():
            if self.body_required:
                raise AdminRefusal(400, "this operation needs a JSON body", "body", "body")
            return {}
        if self.body is None:
            raise AdminRefusal(400, "this operation takes no body", "body", "body")
        return _checked(self.body, parse_json(raw), None, "body")


def _typed(raw: str, schema: dict) -> Any:
    """A query or path value as its schema's type (a value that does not convert stays text: the type check
    then names it)."""
    kind = schema.get("type") or next((s.get("type") for s in schema.get("anyOf", []) if "type" in s), None)
    if kind == "integer" and re.fullmatch(r"[-+]?\d{1,19}", raw):
        return int(raw)
    return raw


def _checked(validator: Draft4Validator, value: Any, name: str | None, location: str) -> Any:
    error = best_match(validator.iter_errors(value))
    if error is None:
        return value
    error = _branch_error(error)
    raise AdminRefusal(400, _message(error), _field(error, name), location)


def _branch_error(error: ValidationError) -> ValidationError:
    """For a oneOf/anyOf failure, the error of the branch the value was meant for: the one whose required
    fields, enums (a `vendor` discriminator) and top-level type fit, else the one with fewest errors."""
    while (
        error.validator in ("oneOf", "anyOf")
        and error.context
        and error.validator not in error.schema.get("x-refusal", {})
    ):
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)

        def misfit(errors: list[ValidationError]) -> tuple[int, int]:
            structural = sum(
                1
                for e in errors
                if (not e.relative_path and e.validator in ("required", "type"))
                or (len(e.relative_path) == 1 and e.validator == "enum")
            )
            return structural, len(errors)

        chosen = min(branches.values(), key=misfit)
        error = best_match(chosen) or chosen[0]
    return error


def _field(error: ValidationError, name: str | None) -> str:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = next((r for r in error.validator_value if r not in error.instance), None)
        if missing is not None:
            path.append(missing)
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        declared = set(error.schema.get("properties", {}))
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        extra = sorted(k for k in error.instance if k not in declared and not any(p.search(k) for p in patterns))
        if extra:
            path.append(extra[0])
    dotted = ".".join(path)
    if name is not None:
        return f"{name}.{dotted}" if dotted else name
    return dotted or "body"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _message(error: ValidationError) -> str:
    described = error
    while described is not None and "description" not in described.schema:
        described = described.parent
    refusal = error.schema.get("x-refusal", {}) if isinstance(error.schema, dict) else {}
    if error.validator in refusal:
        text = refusal[error.validator]
    elif described is not None and error.validator in ("pattern", "oneOf", "anyOf"):
        text = f"{_short(error.instance)} is not {described.schema['description']}"
    else:
        text = error.message
    if len(text) > _MESSAGE_LIMIT:
        text = text[:_MESSAGE_LIMIT] + "…"
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {text}" if where else text


@functools.cache
def operations() -> dict[tuple[str, str], Operation]:
    """(METHOD, path template) → Operation, compiled once from specs/admin.yaml."""
    spec = parsed_spec(SPEC)
    components = _to_json_schema(spec.get("components", {}))

    def validator(schema: dict) -> Draft4Validator:
        # formats (date-time) are not checked here: the endpoints parse them and name the field
        return Draft4Validator({**_to_json_schema(schema), "components": components})

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            target: Any = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    table: dict[tuple[str, str], Operation] = {}
    for template, item in spec["paths"].items():
        for method in _METHODS:
            if method not in item:
                continue
            operation = item[method]
            compiled = Operation()
            for parameter in map(resolve, operation.get("parameters", [])):
                schema = resolve(parameter["schema"])
                if parameter["in"] == "query":
                    compiled.query[parameter["name"]] = (
                        validator(parameter["schema"]),
                        schema,
                        parameter.get("required", False),
                    )
                elif parameter["in"] == "path":
                    compiled.path[parameter["name"]] = (validator(parameter["schema"]), schema)
            body = operation.get("requestBody")
            if body is not None:
                compiled.body = validator(body["content"]["application/json"]["schema"])
                compiled.body_required = body.get("required", False)
            table[(method.upper(), template)] = compiled
    return table


def schema_validator(name: str) -> Draft4Validator:
    """A validator of components/schemas/<name> (e.g. "Snapshot" for --state files)."""
    return _component_validator(name)


@functools.cache
def _component_validator(name: str) -> Draft4Validator:
    components = _to_json_schema(parsed_spec(SPEC)["components"])
    return Draft4Validator({"$ref": f"#/components/schemas/{name}", "components": components})


def check_schema(name: str, value: Any) -> Any:
    """`value` checked against components/schemas/<name>; an AdminRefusal naming the field otherwise."""
    return _checked(schema_validator(name), value, None, "body")
