"""Audit log API v1 (`specs/piwik_pro_audit_log.yaml`): the account's entries, filtered and paginated,
as JSON:API or (with `Accept: text/csv`) CSV."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import raw_response

from . import domain_audit as audit
from . import wire_audit as wire
from .jsonapi import listing


async def audit_log_entries_v1(
    limit: int = 10,
    offset: int = 0,
    filter: dict[str, Any] | None = None,  # noqa: A002
    sort: str = "-created_at",
):
    ctx = current()
    rows = audit.entries(filter or {})
    page = wire.page(rows, sort, offset, limit)
    if "text/csv" in (ctx.header("accept") or ""):
        return raw_response(wire.to_csv(page.items).encode(), 200, media_type="text/csv")
    return listing([wire.resource(r) for r in page.items], page.total)
