"""The tenant and the request context: which tenant of the vendor the request belongs to (`X-Mock-Tenant`,
else the vendor's own rule), the RequestContext handlers read with `current()`, and the request's Exchange.
When the exchange is over, the world it held is released (core/store.py: a world seeded for a request that
failed authentication is dropped) and the memory trimmer is told."""

from __future__ import annotations

from collections.abc import Mapping

from ..context import RequestContext, bind, unbind
from ..limits import header_bytes
from ..querystring import query_pairs
from ..vendor import TENANT_OVERRIDE_HEADER
from .admin_mount import VENDOR_KEY
from .exchange import SCOPE_KEY, Exchange, Step
from .virtual_host import VHOST_KEY


class VendorContext(Step):
    def open(self, scope: dict, receive, send) -> Exchange:
        vendor = scope[VENDOR_KEY]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        local_path = scope["path"][len(vendor.mount) :] or "/"
        tenant = (
            headers.get(TENANT_OVERRIDE_HEADER)
            or vendor.tenant_of(headers, LazyQuery(scope), local_path)
            or vendor.default_tenant
        )
        ctx = RequestContext(self.suite, vendor, tenant, scope, VHOST_KEY in scope)
        exchange = Exchange(
            vendor, ctx, scope, headers, local_path, header_bytes(scope["headers"]), receive, send, [], []
        )
        scope[SCOPE_KEY] = exchange
        exchange.context_token = bind(ctx)
        return exchange

    def close(self, exchange: Exchange) -> None:
        unbind(exchange.context_token)
        exchange.context.release(exchange.status)
        self.suite.trimmer.served()


class LazyQuery(Mapping):
    """The query string as a mapping (last value wins), parsed only if a tenant rule looks at it."""

    def __init__(self, scope) -> None:
        self._raw = scope.get("query_string", b"")
        self._parsed: dict[str, str] | None = None

    def _data(self) -> dict[str, str]:
        if self._parsed is None:
            self._parsed = dict(query_pairs(self._raw))
        return self._parsed

    def __getitem__(self, key: str) -> str:
        return self._data()[key]

    def __iter__(self):
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())
