"""v1 documents: the categories, and what an upload must satisfy before it is stored (multipart, at most 30 MB).

Field messages are Laravel's (errors.message); the file types and 404s are the documented ones.
"""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World
from mocks.core.uploads import Upload

from . import dates
from . import domain as m
from . import errors as e
from .domain import as_int
from .errors import invalid, message

MAX_DOCUMENT_BYTES = 30 * 1024 * 1024
EXTENSIONS = frozenset(x.strip() for x in e.DOCUMENT_TYPES.split(","))


def categories(world: World) -> list[Row]:
    return list(world[m.DOCUMENT_CATEGORIES].values())


def checked_upload(data: dict[str, Any], upload: Upload | None) -> dict[str, Any]:
    """The document's fields (title, date, comment, employee_id, category_id), or Laravel's 422 listing every
    failing field, then the file-type 400."""
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
    return {
        "title": title.strip(),
        "date": day,
        "comment": data.get("comment") or None,
        "employee_id": employee_id,
        "category_id": category_id,
    }


def create_document(world: World, fields: dict[str, Any], upload: Upload, now: float) -> Row:
    """The stored document; the employee and the category must exist (else their 404s)."""
    if fields["employee_id"] not in world[m.EMPLOYEES]:
        raise e.model_not_found("Employee", fields["employee_id"])
    if fields["category_id"] not in world[m.DOCUMENT_CATEGORIES]:
        raise e.model_not_found("DocumentCategory", fields["category_id"])
    with world.transaction():
        documents = world[m.DOCUMENTS]
        return documents.insert(
            {
                "id": documents.next_id(),
                **fields,
                "filename": upload.filename,
                "content_type": upload.content_type,
                "size": upload.size,
                "created_at": now,
            }
        )
