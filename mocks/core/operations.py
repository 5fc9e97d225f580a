"""The route table of a spec: which operation a method + path names, and with which path parameters.

One table serves every use: the AsyncApp build routes requests with it (core/compiled.py attaches each
operation's plan to its operationId); error renderers word an error for the operation it names (on the FlaskApp
build the request an error handler sees was built before Connexion's routing ran); 405 answers list the methods
it declares for a path; rate rules that count per route ask it for path parameters. Templates keep spec order,
static ones first, with Connexion's typed path convertors (`{id}` of type integer matches digits only), as both
builds route.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from connexion.frameworks.starlette import starlettify_path
from starlette.routing import compile_path

from . import routing  # noqa: F401  (bounded integer path convertors, registered before routes are compiled)
from .specs import parsed_spec

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Illuminate\Routing\Router::$verbs: the order of Laravel's Allow lists (eloomi and PERSCOM run Laravel)
LARAVEL_VERBS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def in_order(methods: set[str], order: tuple[str, ...] = LARAVEL_VERBS) -> list[str]:
    """The methods as a framework lists them in `Allow` (others dropped)."""
    return [m for m in order if m in methods]


@dataclass(frozen=True, slots=True)
class Route:
    """One path template of a spec: its compiled pattern and the operationId of each method (HEAD = GET's
    unless the spec declares a HEAD)."""

    template: str
    regex: Any  # re.Pattern of Starlette's compile_path
    convertors: dict[str, Any]  # sanitized parameter name -> Starlette convertor
    names: dict[str, str]  # sanitized parameter name -> the spec's name
    operations: dict[str, str]


class Miss(Exception):
    """No operation serves a method + path: `status` 405 when some template matches the path, else 404."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class OperationIndex:
    def __init__(self, spec: dict[str, Any], base_path: str = "") -> None:
        self.base_path = base_path.rstrip("/")
        routes: list[tuple[bool, Route]] = []
        self._by_operation: dict[str, Route] = {}
        for template, item in (spec.get("paths") or {}).items():
            operations: dict[str, str] = {}
            types: dict[str, Any] = {}
            for method, operation in item.items():
                if method not in _METHODS or not isinstance(operation, dict) or not operation.get("operationId"):
                    continue
                operations[method.upper()] = operation["operationId"]
                types.update(_path_types(spec, item, operation))
            if "GET" in operations:
                operations.setdefault("HEAD", operations["GET"])
            regex, _, convertors = compile_path(starlettify_path(template, types))
            names = {name.replace("-", "_"): name for name in _template_names(template)}
            route = Route(template, regex, convertors, names, operations)
            for operation_id in operations.values():
                self._by_operation.setdefault(operation_id, route)
            routes.append(("{" in template, route))
        self.routes = [route for _, route in sorted(routes, key=lambda r: r[0])]  # stable: static first

    @classmethod
    @functools.cache
    def of(cls, spec_file: str, base_path: str) -> OperationIndex:
        """The table of a file in specs/ (built once per process)."""
        return cls(parsed_spec(spec_file), base_path)

    def local(self, path: str) -> str | None:
        """`path` below the base path (None when it is not under it)."""
        if not self.base_path:
            return path
        if path != self.base_path and not path.startswith(self.base_path + "/"):
            return None
        return path[len(self.base_path) :] or "/"

    def match(self, method: str, local: str) -> tuple[str, dict[str, Any]]:
        """The operationId serving `method` on `local` (a path below the base path) and its path parameters,
        converted and keyed by sanitized name (as Connexion passes them); raises `Miss`."""
        partial = False
        for route in self.routes:
            found = route.regex.match(local)
            if found is None:
                continue
            operation_id = route.operations.get(method)
            if operation_id is None:
                partial = True
                continue
            try:
                values = {k: route.convertors[k].convert(v) for k, v in found.groupdict().items()}
            except ValueError:  # e.g. an integer id beyond int()'s digit limit: matches no route
                continue
            return operation_id, values
        raise Miss(405 if partial else 404)

    def methods(self, path: str) -> set[str]:
        """Every method some template matching `path` declares (a full path, with the base path)."""
        local = self.local(path)
        if local is None:
            return set()
        return {m for route in self.routes if route.regex.match(local) for m in route.operations}

    def operation_id(self, method: str, path: str) -> str | None:
        """The operationId serving `method path` (a full path, with the base path), or None."""
        local = self.local(path)
        if local is None:
            return None
        try:
            return self.match(method.upper(), local)[0]
        except Miss:
            return None

    def path_parameters(self, operation_id: str, path: str) -> dict[str, str] | None:
        """The path parameters of `operation_id` in `path` (a full path, with the base path) as sent, keyed by
        the spec's names, or None when the operation's template does not match it."""
        local = self.local(path)
        route = self._by_operation.get(operation_id)
        found = route.regex.match(local) if route is not None and local is not None else None
        if route is None or found is None:
            return None
        return {route.names.get(k, k): v for k, v in found.groupdict().items()}


def _template_names(template: str) -> list[str]:
    return [part[1:-1] for part in template.split("/") if part.startswith("{") and part.endswith("}")]


def _path_types(spec: dict[str, Any], item: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    """Connexion's path parameter types of an operation (`get_path_parameter_types`): the schema's type, or
    "path" for a string of format path; the operation's parameters override the path item's."""
    parameters = {}
    for definition in [*item.get("parameters", []), *operation.get("parameters", [])]:
        definition = _resolved(spec, definition)
        if definition.get("in") == "path":
            parameters[definition["name"]] = definition
    types = {}
    for name, definition in parameters.items():
        schema = _resolved(spec, definition.get("schema", {}))
        path_like = schema.get("type") == "string" and schema.get("format") == "path"
        types[name] = "path" if path_like else schema.get("type")
    return types


def _resolved(spec: dict[str, Any], node: Any) -> Any:
    """A local `$ref` followed (`#/components/...`), as often as it chains."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node
