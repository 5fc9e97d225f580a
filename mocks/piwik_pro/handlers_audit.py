"""Audit log API v1 (`specs/piwik_pro_audit_log.yaml`): the account's entries, filtered and paginated,
as JSON:API or (with `Accept: text/csv`) CSV."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from mocks.core.clock import parse_instant
from mocks.core.context import current
from mocks.core.pagination import offset_page, sort_rows
from mocks.core.responses import raw_response
from mocks.core.store import Row

from . import audit
from . import errors as e
from .jsonapi import is_uuid, listing

ENTRY_SORTS = {
    "type": lambda r: r["type"],
    "email": lambda r: r["author_email"] or "",
    "created_at": lambda r: (r["created_at"], r["seq"]),
    "ip": lambda r: r["ip"] or "",
    "subject_id": lambda r: r["subject_id"],
}


def _values(filters: dict[str, Any], name: str) -> list[str] | None:
    """A comma-separated filter (`filter[type]=app.added,app.edited`) as a list; None when absent."""
    raw = filters.get(name)
    if raw is None or raw == "":
        return None
    items = raw if isinstance(raw, list) else str(raw).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _instant(filters: dict[str, Any], name: str) -> float | None:
    raw = filters.get(name)
    if raw in (None, ""):
        return None
    try:
        return parse_instant(str(raw)).timestamp()
    except ValueError:
        raise e.problem(e.invalid_query(f"filter[{name}]", "Enter a valid date/time.")) from None


def _field_in(field: str, wanted: set[str]) -> Callable[[Row], bool]:
    """A check bound to this field and these ids (a closure per loop pass, not over the loop's variables)."""
    return lambda r: r[field] in wanted


def _predicates(filters: dict[str, Any]) -> list[Callable[[Row], bool]]:
    checks: list[Callable[[Row], bool]] = []
    types = _values(filters, "type")
    if types is not None:
        checks.append(lambda r: r["type"] in types)
    for name, field in (("author_id", "author_id"), ("subject_id", "subject_id")):
        ids = _values(filters, name)
        if ids is not None:
            bad = next((i for i in ids if not is_uuid(i)), None)
            if bad is not None:
                raise e.problem(e.invalid_query(f"filter[{name}]", f"'{bad}' is not a valid UUID."))
            wanted = {i.lower() for i in ids}
            checks.append(_field_in(field, wanted))
    ips = _values(filters, "ip")
    if ips is not None:
        for ip in ips:
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                raise e.problem(
                    e.invalid_query("filter[ip]", f"'{ip}' does not appear to be an IPv4 or IPv6 address")
                ) from None
        checks.append(lambda r: r["ip"] in ips)
    since, until = _instant(filters, "date_from"), _instant(filters, "date_to")
    if since is not None:
        checks.append(lambda r: r["created_at"] >= since)
    if until is not None:
        checks.append(lambda r: r["created_at"] <= until)
    return checks


async def audit_log_entries_v1(
    limit: int = 10,
    offset: int = 0,
    filter: dict[str, Any] | None = None,  # noqa: A002
    sort: str = "-created_at",
):
    ctx = current()
    checks = _predicates(filter or {})
    rows = [r for r in ctx.world["audit_log"].values() if all(check(r) for check in checks)]
    page = offset_page(sort_rows(rows, sort, ENTRY_SORTS, tie=lambda r: r["seq"]), offset, limit)
    if "text/csv" in (ctx.header("accept") or ""):
        return raw_response(audit.to_csv(page.items).encode(), 200, media_type="text/csv")
    return listing([audit.resource(r) for r in page.items], page.total)
