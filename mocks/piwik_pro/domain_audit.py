"""The account's audit log (official `platform_audit_log_public_v1.yaml`): every write through the API adds
an entry — who (author id and email, client IP), what (event type, subject, payload), when (the virtual
clock).

Event types documented by the spec's examples: app.added, app.edited (filter example), app.changed.urls,
app.changed.exclude_unknown_urls, app.deleted, permission.user_group.changed.meta_site. The others follow the
same `<subject>.<verb>` pattern (inferred); an app edit records one `app.changed.<field>` per changed
attribute, its payload the app id and the new value, as the CSV example shows. Reading: the `filter[...]`
parameters as predicates over the entries.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from mocks.core.clock import parse_instant
from mocks.core.context import current
from mocks.core.store import Row, World

from . import errors as e
from .jsonapi import is_uuid


def snake(name: str) -> str:
    """`excludeUnknownUrls` → `exclude_unknown_urls` (the CSV example's app.changed.exclude_unknown_urls)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# The newest entries an account keeps (INFERRED: Piwik PRO documents no retention; a bound keeps a long-running
# mock's memory flat when every write adds an entry). Older entries go in batches of a tenth.
MAX_ENTRIES = 10_000


def new_entry(
    world: World,
    *,
    type_: str,
    subject_id: str,
    payload: dict[str, Any],
    author: Row | None,
    ip: str | None,
    created_at: float | None = None,
) -> Row:
    # `seq` orders entries of the same second as they happened
    return {
        "id": world.rnd.uuid4(),
        "seq": world["audit_log"].next_id(),
        "created_at": int(world.clock.time() if created_at is None else created_at),
        "type": type_,
        "payload": payload,
        "author_id": author["id"] if author else None,
        "author_email": author["email"] if author else None,
        "subject_id": subject_id,
        "ip": ip,
        "version": 1,
    }


def record(type_: str, subject_id: str, payload: dict[str, Any] | None = None) -> None:
    """One entry for the current request's caller. Call inside the write's transaction (a failed write
    leaves no entry)."""
    ctx = current()
    world = ctx.world
    author = world["users"].get(ctx.principal["sub"]) if ctx.principal else None
    client = ctx.scope.get("client")
    entries = world["audit_log"]
    entries.insert(
        new_entry(
            world,
            type_=type_,
            subject_id=subject_id,
            payload={"id": subject_id, **(payload or {})},
            author=author,
            ip=client[0] if client else None,
        )
    )
    entries.trim_oldest(MAX_ENTRIES, slack=MAX_ENTRIES // 10)


# -- reading --------------------------------------------------------------------------------------------
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


def entries(filters: dict[str, Any]) -> list[Row]:
    """The account's entries the filters accept (a malformed filter value is Django's 400)."""
    checks = _predicates(filters)
    return [r for r in current().world["audit_log"].values() if all(check(r) for check in checks)]
