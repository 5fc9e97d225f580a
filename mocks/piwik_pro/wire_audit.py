"""How audit-log entries look on the wire (official `platform_audit_log_public_v1.yaml`): the JSON:API
resource and, for `Accept: text/csv`, the CSV of the spec's example; the listing's sort and page."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from mocks.core.pagination import Page, offset_page, sort_rows
from mocks.core.store import Row

ENTRY_TYPE = "ppms/audit-log-entry"
# the `sort` values of the entry listing and the row field each sorts on
ENTRY_SORTS = {
    "type": lambda r: r["type"],
    "email": lambda r: r["author_email"] or "",
    "created_at": lambda r: (r["created_at"], r["seq"]),
    "ip": lambda r: r["ip"] or "",
    "subject_id": lambda r: r["subject_id"],
}
CSV_COLUMNS = ("author_email", "author_id", "created_at", "id", "ip", "payload", "subject_id", "type", "version")


def timestamp(epoch: float) -> str:
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def page(rows: list[Row], sort: str, offset: int, limit: int) -> Page:
    """The entries in the listing's `sort` order (ties in recording order), one offset page of them."""
    return offset_page(sort_rows(rows, sort, ENTRY_SORTS, tie=lambda r: r["seq"]), offset, limit)
