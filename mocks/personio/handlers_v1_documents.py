"""v1 document categories and the document upload (multipart, at most 30 MB)."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.uploads import read_upload

from . import domain_v1_documents as d
from . import wire_v1 as w


async def list_document_categories():
    return w.ok([w.document_category(c) for c in d.categories(current().world)])


async def upload_document(body: Any = None, file: Any = None):
    ctx = current()
    world = ctx.world
    upload = await read_upload(file) if file is not None else None
    fields = d.checked_upload(body if isinstance(body, dict) else {}, upload)
    assert upload is not None  # checked_upload refuses a request without a file
    row = d.create_document(world, fields, upload, ctx.clock.time())
    return w.ok(w.document(world, row), 201)
