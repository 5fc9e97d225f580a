"""The operations of specs/personio_recruiting.yaml (applications, documents) and
specs/personio_recruiting_root.yaml (XML feed, deprecated applicant endpoint), written from
personio-recruiting-api.yaml of personio/api-docs@2f3707f."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content, raw_response
from mocks.core.uploads import read_upload

from . import dates, xmlfeed
from . import domain_recruiting as d
from . import wire_recruiting as w


def _settings() -> dict[str, Any]:
    ctx = current()
    return ctx.vendor.settings_of(ctx.world)


# -- POST /v1/recruiting/applications --------------------------------------------------------------
async def create_application(body: Any):
    ctx = current()
    d.check_api_enabled(_settings())
    now = ctx.clock.time()
    d.create_application(ctx.world, body, dates.today(now), now)
    return no_content(201)


# -- POST /v1/recruiting/applications/documents -----------------------------------------------------
async def upload_application_document(file: Any = None, body: Any = None):
    ctx = current()
    d.check_documents_enabled(_settings())
    upload = await read_upload(file) if file is not None else None
    row = d.store_document(ctx.world, upload, ctx.clock.time())
    return json_response(w.document(row))


# -- GET /xml --------------------------------------------------------------------------------------
async def job_positions_feed(language: str | None = None):
    ctx = current()
    if not d.career_site_exists(ctx):
        return raw_response(
            b"", 301, media_type="text/html; charset=UTF-8", headers={"Location": w.UNKNOWN_CAREER_SITE}
        )
    world = ctx.world
    return raw_response(
        xmlfeed.feed(world, d.feed_language(world, language)), media_type="application/xml; charset=utf-8"
    )


# -- deprecated POST /recruiting/applicant ---------------------------------------------------------
async def _files_ok(files: dict[str, Any]) -> bool:
    """Whether every uploaded document field holds acceptable files (read until the first that is not)."""
    for name, value in files.items():
        if not d.is_applicant_file_field(name):
            continue
        for item in value if isinstance(value, list) else [value]:
            if not d.applicant_file_ok(await read_upload(item)):
                return False
    return True


async def create_applicant(body: Any = None, **files: Any):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    position = d.applicant_position(world, data)
    files_ok = await _files_ok(files)
    now = ctx.clock.time()
    d.create_applicant(world, data, position, files_ok=files_ok, today=dates.today(now), now=now)
    return json_response(w.applicant_applied())
