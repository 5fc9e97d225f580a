"""Size limits on the request head (core/limits.py): a header block, query string or declared body over the
limit is answered before any vendor code runs — with the vendor's own error where its `render_error` knows the
kind, else the page a front web server gives (inferred: the vendors document no such limits)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from connexion.lifecycle import ConnexionRequest

from ..errors import ErrorCase, VendorProblem
from ..limits import TOO_LARGE, RequestAborted, front_server_page, oversize
from .exchange import Exchange, Step, answered, send_problem

if TYPE_CHECKING:
    from ..vendor import Vendor

log = logging.getLogger("mocks.gateway")


class SizeLimits(Step):
    def before(self, exchange: Exchange) -> bool | Awaitable[bool]:
        scope = exchange.scope
        kind = oversize(self.suite.limits, scope, exchange.head_bytes, exchange.headers.get("content-length"))
        if kind is None:
            return False
        return answered(send_problem(too_large(exchange.vendor, kind, scope), exchange.send))


def too_large(vendor: Vendor, kind: str, scope) -> VendorProblem:
    """A size limit's answer: the vendor's own if its render_error knows the kind, else a front web server's page
    (inferred). The connection is closed after it, as servers do after refusing an oversized request."""
    status, reason = TOO_LARGE[kind]
    problem = None
    try:
        problem = vendor.render_error(ErrorCase(kind, status, RequestAborted(reason), ConnexionRequest(scope)))
    except Exception:
        log.exception("error renderer of %s failed on %s", vendor.name, kind)
    if problem is None or problem.status != status:
        problem = VendorProblem(status, front_server_page(status, reason), media_type="text/html")
    problem.headers = {**(problem.headers or {}), "Connection": "close"}
    return problem
