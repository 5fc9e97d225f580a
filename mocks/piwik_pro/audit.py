"""The account's audit log (official `platform_audit_log_public_v1.yaml`): every write through the API adds
an entry — who (author id and email, client IP), what (event type, subject, payload), when (the virtual
clock).

Event types documented by the spec's examples: app.added, app.edited (filter example), app.changed.urls,
app.changed.exclude_unknown_urls, app.deleted, permission.user_group.changed.meta_site. The others follow the
same `<subject>.<verb>` pattern (inferred); an app edit records one `app.changed.<field>` per changed
attribute, its payload the app id and the new value, as the CSV example shows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from typing import Any

from mocks.core.context import current
from mocks.core.store import Row, World

ENTRY_TYPE = "ppms/audit-log-entry"
CSV_COLUMNS = ("author_email", "author_id", "created_at", "id", "ip", "payload", "subject_id", "type", "version")


def snake(name: str) -> str:
    """`excludeUnknownUrls` → `exclude_unknown_urls` (the CSV example's app.changed.exclude_unknown_urls)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# The newest entries an account keeps (INFERRED: Piwik PRO documents no retention; a bound keeps a long-running
# mock's memory flat when every write adds an entry). Older entries go in batches of a tenth.
MAX_ENTRIES = 10_000


def timestamp(epoch: float) -> str:
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def attributes(row: Row) -> dict[str, Any]:
    return {
        "created_at": timestamp(row["created_at"]),
        "type": row["type"],
        "payload": row["payload"],
        "author_id": row["author_id"],
        "author_email": row["author_email"],
        "subject_id": row["subject_id"],
        "ip": row["ip"],
        "version": row["version"],
    }


def resource(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "type": ENTRY_TYPE, "attributes": attributes(row)}


def to_csv(rows: list[Row]) -> str:
    """The `Accept: text/csv` form: the example's columns, the payload as Python's json.dumps writes it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = {**attributes(row), "id": row["id"], "payload": json.dumps(row["payload"])}
        writer.writerow(["" if values[c] is None else values[c] for c in CSV_COLUMNS])
    return out.getvalue()
