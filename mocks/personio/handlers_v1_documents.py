"""v1 document categories and the document upload (multipart, at most 30 MB)."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.uploads import read_upload

from . import dates
from . import domain as m
from . import errors as e
from . import wire_v1 as w
from .domain import as_int
from .errors import invalid, message
from .wire_v1 import ok

MAX_DOCUMENT_BYTES = 30 * 1024 * 1024
EXTENSIONS = frozenset(x.strip() for x in e.DOCUMENT_TYPES.split(","))


async def list_document_categories():
    world = current().world
    return ok([w.document_category(c) for c in world[m.DOCUMENT_CATEGORIES].values()])


async def upload_document(body: Any = None, file: Any = None):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    errors: dict[str, list[str]] = {}
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors["title"] = [message("required", "title")]
    elif len(title) > 255:
        errors["title"] = [message("max", "title", 255)]
    employee_id, category_id = as_int(data.get("employee_id")), as_int(data.get("category_id"))
    for name, value in (("employee_id", employee_id), ("category_id", category_id)):
        if value is None:
            errors[name] = [message("required" if data.get(name) in (None, "") else "integer", name)]
    day = data.get("date") or None
    if day is not None and not dates.is_date(day):
        errors["date"] = [message("format", "date", "Y-m-d")]
    upload = await read_upload(file) if file is not None else None
    if upload is None:
        errors["file"] = [message("required", "file")]
    elif upload.size > MAX_DOCUMENT_BYTES:
        errors["file"] = [f"The file may not be greater than {MAX_DOCUMENT_BYTES // 1024} kilobytes."]
    if errors:
        raise invalid(errors)
    assert upload is not None and isinstance(title, str)  # both checked above (for the type checker)
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    if extension not in EXTENSIONS:
        raise e.document_file_type()
    if employee_id not in world[m.EMPLOYEES]:
        raise e.model_not_found("Employee", employee_id)
    if category_id not in world[m.DOCUMENT_CATEGORIES]:
        raise e.model_not_found("DocumentCategory", category_id)
    with world.transaction():
        documents = world[m.DOCUMENTS]
        row = documents.insert(
            {
                "id": documents.next_id(),
                "title": title.strip(),
                "date": day,
                "comment": data.get("comment") or None,
                "employee_id": employee_id,
                "category_id": category_id,
                "filename": upload.filename,
                "content_type": upload.content_type,
                "size": upload.size,
                "created_at": ctx.clock.time(),
            }
        )
    return ok(w.document(world, row), 201)
