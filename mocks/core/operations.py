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


class OperationIndex:
    def __init__(self, spec: dict[str, Any], base_path: str = "") -> None:
        self.base_path = base_path.rstrip("/")
        routes = []
        for template, item in (spec.get("paths") or {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
            methods = {
                m.upper(): op["operationId"]
                for m, op in item.items()
                if m in _METHODS and isinstance(op, dict) and op.get("operationId")
            }
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
