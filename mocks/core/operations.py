"""Which operation of a spec a method + path names, without Connexion's routing.

Error renderers need the operation to word an error the way the vendor words it for that operation. On the
AsyncApp build `core.auth.operation_id(request)` knows it; on the FlaskApp build the request an error
handler sees was built before Connexion's routing ran, so it does not. `OperationIndex` answers from the
spec itself: path templates in spec order, static ones first (as both builds route).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .specs import parsed_spec

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Illuminate\Routing\Router::$verbs: the order of Laravel's Allow lists (eloomi and PERSCOM run Laravel)
LARAVEL_VERBS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def in_order(methods: set[str], order: tuple[str, ...] = LARAVEL_VERBS) -> list[str]:
    """The methods as a framework lists them in `Allow` (others dropped)."""
    return [m for m in order if m in methods]


class OperationIndex:
    def __init__(self, spec: dict[str, Any], base_path: str = "") -> None:
        self.base_path = base_path.rstrip("/")
        routes = []
        self._templates: dict[str, tuple[re.Pattern, list[str]]] = {}  # operationId -> pattern, parameter names
        for template, item in (spec.get("paths") or {}).items():
            names = re.findall(r"\{([^/]+?)\}", template)
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template)) + "$")
            methods = {
                m.upper(): op["operationId"]
                for m, op in item.items()
                if m in _METHODS and isinstance(op, dict) and op.get("operationId")
            }
            for operation_id in methods.values():
                self._templates[operation_id] = (pattern, names)
            if "GET" in methods:
                methods.setdefault("HEAD", methods["GET"])
            routes.append(("{" in template, pattern, methods))
        self._routes = [r[1:] for r in sorted(routes, key=lambda r: r[0])]  # stable: static first

    @classmethod
    @functools.cache
    def of(cls, spec_file: str, base_path: str) -> OperationIndex:
        """The index of a file in specs/ (built once)."""
        return cls(parsed_spec(spec_file), base_path)

    def _local(self, path: str) -> str | None:
        if not self.base_path:
            return path
        if path != self.base_path and not path.startswith(self.base_path + "/"):
            return None
        return path[len(self.base_path) :] or "/"

    def methods(self, path: str) -> set[str]:
        """Every method some template matching `path` declares (a full path, with the base path)."""
        local = self._local(path)
        if local is None:
            return set()
        return {m for pattern, methods in self._routes if pattern.match(local) for m in methods}

    def operation_id(self, method: str, path: str) -> str | None:
        """The operationId serving `method path` (a full path, with the base path), or None."""
        local = self._local(path)
        if local is None:
            return None
        for pattern, methods in self._routes:
            if pattern.match(local):
                found = methods.get(method.upper())
                if found is not None:
                    return found
        return None

    def path_parameters(self, operation_id: str, path: str) -> dict[str, str] | None:
        """The path parameters of `operation_id` in `path` (a full path, with the base path), or None when the
        operation's template does not match it."""
        local = self._local(path)
        found = self._templates.get(operation_id)
        if found is None or local is None:
            return None
        pattern, names = found
        match = pattern.match(local)
        return None if match is None else dict(zip(names, match.groups(), strict=True))
