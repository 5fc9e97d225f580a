"""`/_mocks` is the admin API (with the dashboard and explorer in front); paths under no vendor's mount are
answered by it too (a pointer to the vendors). Everything else goes on to the vendor's request path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .exchange import Step

if TYPE_CHECKING:
    from ..app import Suite

ADMIN_PREFIX = "/_mocks"
VENDOR_KEY = "mocks.vendor"  # in the scope: the vendor whose mount the path is under


class AdminMount(Step):
    def __init__(self, suite: Suite) -> None:
        super().__init__(suite)
        self._mounts = sorted(suite.vendors.values(), key=lambda v: len(v.mount), reverse=True)
        # mounts of one segment (/perscom) are found by the path's first segment, without trying each
        self._by_segment = {v.mount: v for v in self._mounts if v.mount.count("/") == 1}
        self._nested = [v for v in self._mounts if v.mount not in self._by_segment]

    def vendor_for_path(self, path: str):
        for vendor in self._nested:
            if path == vendor.mount or path.startswith(vendor.mount + "/"):
                return vendor
        end = path.find("/", 1)
        return self._by_segment.get(path if end < 0 else path[:end])

    def route(self, scope: dict) -> dict | Callable[..., Awaitable[None]]:
        path = scope["path"]
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            return self.suite.admin
        vendor = self.vendor_for_path(path)
        if vendor is None:
            return self.suite.admin.outside_vendors
        scope[VENDOR_KEY] = vendor
        return scope
