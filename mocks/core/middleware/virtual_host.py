"""Virtual hosting: `Host: api.personio.de` + `/v1/...` is served as `/personio/v1/...`, so a client pointed at
a vendor's real hostname (a hosts entry, `intercept()`) needs no path prefix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .exchange import Step

if TYPE_CHECKING:
    from ..app import Suite
    from ..vendor import Vendor

VHOST_KEY = "mocks.vhost"  # in the scope: True when the client used the vendor's own hostname


class VirtualHost(Step):
    def __init__(self, suite: Suite) -> None:
        super().__init__(suite)
        self._hosts = [(p, v) for v in suite.vendors.values() for p in v.host_patterns()]
        self._host_vendors: dict[str, Vendor | None] = {}  # Host header -> vendor, matched once per value

    def route(self, scope: dict) -> dict:
        if not self._hosts:
            return scope
        host = ""
        for key, value in scope["headers"]:
            if key == b"host" or key.lower() == b"host":
                host = value.decode("latin-1")
                break
        if host in self._host_vendors:
            vendor = self._host_vendors[host]
        else:  # first time this Host is seen: match it once
            name = host.rsplit(":", 1)[0]
            vendor = next((v for pattern, v in self._hosts if pattern.fullmatch(name)), None)
            if len(self._host_vendors) > 1024:
                self._host_vendors.clear()
            self._host_vendors[host] = vendor
        if vendor is None or scope["path"].startswith(vendor.mount + "/"):
            return scope
        prefix = vendor.mount
        raw_path = prefix.encode() + scope.get("raw_path", scope["path"].encode())
        return dict(scope, path=prefix + scope["path"], raw_path=raw_path, **{VHOST_KEY: True})
