"""v1 custom reports: the list, a report's rows (one per employee, computed from the company's data) and the
column labels (shapes of the `Public*` schemas of personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

from mocks.core.context import current
from mocks.core.responses import json_response

from . import dates
from . import domain_v1_reports as d
from . import wire_v1 as w
from . import wire_v1_reports as wr


async def listReports(report_ids: list[str] | None = None, status: str | None = None):  # noqa: N802
    ctx = current()
    today = dates.today(ctx.clock.time())
    return json_response(wr.reports_listing(d.reports(ctx.world, report_ids, status), today))


async def listReportItems(
    report_id: str,
    locale: str | None = None,
    page: int | None = None,  # noqa: N802
    limit: int | None = None,
):
    ctx = current()
    world = ctx.world
    report = d.report_of(world, report_id)
    limit = d.page_limit(page, limit)
    today = dates.today(ctx.clock.time())
    rows, metadata = w.page_number_page(d.employees(world), page or 1, limit)
    items = wr.report_items(world, report, rows, d.report_columns(world, report), today)
    return json_response(wr.report_page(report, today, items, metadata, limit))


async def listColumns(
    columns: list[str] | None = None,
    locale: str | None = None,  # noqa: N802
    report_id: str | None = None,
):
    world = current().world
    return json_response(wr.columns_listing(world, d.wanted_columns(world, columns, report_id), locale))
