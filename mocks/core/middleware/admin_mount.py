"""`/_mocks` is the admin API (with the dashboard and explorer in front); paths under no vendor's mount are
answered by it too (a pointer to the vendors). Everything else goes on to the vendor's request path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .exchange import Middleware

if TYPE_CHECKING:
    from ..app import Suite

ADMIN_PREFIX = "/_mocks"
VENDOR_KEY = "mocks.vendor"  # in the scope: the vendor whose mount the path is under


class AdminMount(Middleware):
    def __init__(self, app, suite: Suite) -> None:
        super().__init__(app, suite)
        self._mounts = sorted(suite.vendors.values(), key=lambda v: len(v.mount), reverse=True)

    def vendor_for_path(self, path: str):
        for vendor in self._mounts:
            if path == vendor.mount or path.startswith(vendor.mount + "/"):
                return vendor
        return None

    async def __call__(self, scope, receive, send) -> None:
        path = scope["path"]
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await self.suite.admin(scope, receive, send)
            return
        vendor = self.vendor_for_path(path)
        if vendor is None:
            await self.suite.admin.outside_vendors(scope, receive, send)
            return
        scope[VENDOR_KEY] = vendor
        await self.app(scope, receive, send)
