"""How v1 custom reports look on the wire: the report, its rows of cells, the column labels and their list
envelopes (the `Public*` schemas of personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World

from . import dates
from . import domain as m
from . import domain_v1_reports as d


def report(report: Row, today: str) -> dict[str, Any]:
    start, end = d.period(report, today)
    stamp = dates.utc_z(report["updated_at"])
    return {
        "id": report["id"],
        "name": report["name"],
        "description": report["description"],
        "author_first_name": report["author_first_name"],
        "author_last_name": report["author_last_name"],
        "type": report["type"],
        "status": report["status"],
        "start_date": start,
        "end_date": end,
        "created_at": dates.utc_z(report["created_at"]),
        "updated_at": stamp,
        "data_refreshed_at": stamp,
        "columns": list(report["columns"]),
        "filters": [],
        "period_type": report["period_type"],
    }


def reports_listing(rows: list[Row], today: str) -> dict[str, Any]:
    """GET /company/custom-reports/reports: every match on one page."""
    return {
        "success": True,
        "metadata": {"total_elements": len(rows), "current_page": 0, "total_pages": 1 if rows else 0},
        "offset": 0,
        "limit": d.DEFAULT_REPORT_LIMIT,
        "data": [{"type": "Report", "attributes": report(r, today)} for r in rows],
    }


def cell(world: World, kind: str, column: str, employee: Row, start: str, end: str) -> dict[str, Any]:
    """One employee's value of one column, shaped by the column's data type."""
    found: dict[str, Any] = {"attribute_id": column}
    if kind == "ENTITY":
        collection = m.DEPARTMENTS if column == "department" else m.OFFICES
        unit = world[collection].get(employee[f"{column}_id"])
        found.update(entity_id=str(unit["id"]) if unit else "", data_type=kind, value=unit["name"] if unit else None)
    elif kind == "COST_CENTER":
        found.update(
            data_type=kind,
            cost_centers=[
                {"cost_center_id": str(c), "value": m.row_of(world, m.COST_CENTERS, c)["name"], "weight": f"{pct}%"}
                for c, pct in employee["cost_centers"]
                if c in world[m.COST_CENTERS]
            ],
        )
    elif kind == "DURATION":
        found.update(data_type=kind, duration=int(employee["weekly_working_hours"] * 60))
    elif kind == "ABSENCE_OVERVIEW":
        days = d.absence_days(world, employee["id"], int(column.split("_", 1)[1]), start, end)
        found.update(
            data_type=kind, start_date=start, end_date=end, duration_days=f"{days:g}", duration_hours=f"{days * 8:g}"
        )
    else:
        found.update(data_type="TEXT", value=None if employee.get(column) is None else str(employee[column]))
    found["employee_id"] = employee["id"]
    return found


def report_items(
    world: World, report_row: Row, employees: list[Row], columns: list[str], today: str
) -> list[dict[str, Any]]:
    """One item per employee: its cells (historical reports add each cell's effective date)."""
    start, end = d.period(report_row, today)
    kinds = d.columns(world)
    if report_row["type"] == "historical_data":
        return [
            {
                "employee_id": r["id"],
                "historical_attributes": [
                    {**cell(world, kinds[c][0], c, r, start, end), "effective_date": r["hire_date"] or start}
                    for c in columns
                ],
            }
            for r in employees
        ]
    return [
        {"employee_id": r["id"], "attributes": [cell(world, kinds[c][0], c, r, start, end) for c in columns]}
        for r in employees
    ]


def report_page(report_row: Row, today: str, items: list[Any], metadata: dict[str, int], limit: int) -> dict[str, Any]:
    """GET /company/custom-reports/reports/{id}: the report with a page of its items."""
    return {
        "success": True,
        "metadata": {**metadata, "current_page": metadata["current_page"]},
        "offset": 0,
        "limit": limit,
        "data": [{"type": "Report", "attributes": {**report(report_row, today), "items": items}}],
    }


def columns_listing(world: World, ids: list[str], locale: str | None) -> dict[str, Any]:
    """GET /company/custom-reports/columns: the labels in German or English."""
    known = d.columns(world)
    german = (locale or "en").lower().startswith("de")
    attributes = [
        {"attribute_id": c, "human_readable": known[c][2] if german else known[c][1], "data_type": known[c][0]}
        for c in ids
    ]
    return {
        "success": True,
        "metadata": {"total_elements": len(attributes), "current_page": 0, "total_pages": 1 if attributes else 0},
        "offset": 0,
        "limit": len(attributes),
        "data": {"type": "Column", "attributes": attributes},
    }
