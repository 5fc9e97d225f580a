"""The operations of specs/personio_recruiting.yaml (applications, documents) and
specs/personio_recruiting_root.yaml (XML feed, deprecated applicant endpoint) (NOTES §11)."""

from __future__ import annotations

import re
from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content, raw_response
from mocks.core.store import World
from mocks.core.uploads import read_upload

from . import dates, xmlfeed
from . import errors as e
from . import models as m
from .seed import application_row

MAX_FILE_BYTES = 20 * 1024 * 1024
# extension -> media type of the documents endpoint's allowed files
DOCUMENT_TYPES = {
    "pdf": "application/pdf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet", "odt": "application/vnd.oasis.opendocument.text",
    "7z": "application/x-7z-compressed", "gz": "application/gzip", "rar": "application/vnd.rar",
    "zip": "application/zip", "bmp": "image/bmp", "gif": "image/gif", "jpg": "image/jpeg", "png": "image/png",
    "tif": "image/tiff", "csv": "text/csv", "txt": "text/plain", "rtf": "application/rtf", "mp4": "video/mp4",
    "3gp": "video/3gpp", "mov": "video/quicktime", "avi": "video/x-msvideo", "wmv": "video/x-ms-wmv",
}
APPLICANT_EXTENSIONS = {"pdf", "docx", "doc", "jpg", "png", "txt", "jpeg", "odt", "ods", "xlsx", "rtf", "xls", "pptx",
                        "ppt", "gif", "tif", "tiff", "bmp", "csv", "rar", "gz", "zip", "7z"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FILE_FIELD = re.compile(r"^(documents\[\d+\]|document\d+|categorised_documents\[\d+\]\[file\])$")
REQUIRED = "errors.attribute-validation.required-attribute"


def _enabled() -> bool:
    ctx = current()
    return ctx.vendor.settings_of(ctx.world)["recruiting_api_enabled"]


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


# -- POST /v1/recruiting/applications --------------------------------------------------------------
def _attribute_errors(world: World, attributes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    custom = world[m.APPLICANT_ATTRIBUTES]
    for item in attributes:
        key, value = item["id"], item["value"]
        kind = m.SYSTEM_APPLICANT_ATTRIBUTES.get(key) or (custom.get(key) or {}).get("type")
        if kind is None:
            found.append((key, "errors.attribute-validation.unknown"))
        elif not value.strip():
            found.append((key, REQUIRED))
        elif kind == "date" and not dates.is_date(value):
            found.append((key, "errors.attribute-validation.invalid-date-format"))
        elif key == "gender" and value not in m.APPLICANT_GENDERS:
            found.append((key, "errors.attribute-validation.unknown-attribute-option"))
        elif kind == "option" and key != "gender" and value not in custom.get(key)["options"]:
            found.append((key, "errors.attribute-validation.unknown-attribute-option"))
    return found


async def create_application(body: Any):
    ctx = current()
    world = ctx.world
    if not _enabled():
        raise e.field_errors(403, [("company", "feature.public-api.disabled")])
    today = dates.today(ctx.clock.time())
    found: list[tuple[str, str]] = []
    for name in ("first_name", "last_name"):
        if not body[name].strip():
            found.append((name, REQUIRED))
    email = body["email"].strip()
    if not _EMAIL.match(email):
        found.append(("email", "errors.attribute-validation.invalid-email-format"))
    position = world[m.JOB_POSITIONS].get(body["job_position_id"])
    if position is None or position["status"] != "published":
        found.append(("job_position_id", "errors.job-position.not-published"))
    channel = body.get("recruiting_channel_id")
    if channel is not None and channel not in world[m.RECRUITING_CHANNELS]:
        found.append(("recruiting_channel_id", "errors.posting-validation.channel-not-found"))
    posting_id = body.get("external_posting_id")
    if posting_id is not None:
        posting = world[m.EXTERNAL_POSTINGS].get(posting_id)
        if posting is None or posting["job_position_id"] != body["job_position_id"] or \
                (channel is not None and posting["recruiting_channel_id"] != channel):
            found.append(("external_posting_id", "errors.posting-validation.posting-not-found"))
    applied = body.get("application_date") or today
    if not dates.is_date(applied):
        found.append(("application_date", "errors.attribute-validation.invalid-date-format"))
    elif applied > today:
        found.append(("application_date", "errors.date-validation.date-in-the-future"))
    phase = body.get("phase") or {"type": "system", "id": "unassigned"}
    if phase["type"] == "system" and phase["id"] not in m.SYSTEM_PHASES:
        found.append(("phase", "errors.phase-validation.invalid-system-phase"))
    elif phase["type"] == "custom" and not (isinstance(phase["id"], int) and phase["id"] in world[m.RECRUITING_PHASES]):
        phase = {"type": "system", "id": "unassigned"}   # documented: an invalid phase creates it as unassigned
    files = body.get("files") or []
    for index, item in enumerate(files):
        if item["uuid"] not in world[m.RECRUITING_FILES]:
            found.append((f"files[{index}].uuid", "errors.file-validation.file-not-exists"))
    found += _attribute_errors(world, body.get("attributes") or [])
    if not found and any(a["email"].lower() == email.lower() and a["job_position_id"] == body["job_position_id"]
                         for a in world[m.APPLICATIONS].values()):
        found.append(("email", "errors.applicant-already-exists"))
    if found:
        raise e.field_errors(400, found)
    with world.transaction():
        for tag in body.get("tags") or []:
            if tag not in world[m.RECRUITING_TAGS]:
                world[m.RECRUITING_TAGS].insert({"id": tag, "created_at": ctx.clock.time()})
        applications = world[m.APPLICATIONS]
        applications.insert(application_row(
            applications.next_id(), body["job_position_id"], body["first_name"].strip(), body["last_name"].strip(),
            email, phase, list(dict.fromkeys(body.get("tags") or [])), channel, posting_id, body.get("message"),
            applied, ctx.clock.time(), files=files, attributes=body.get("attributes") or [], source="api"))
    return no_content(201)


# -- POST /v1/recruiting/applications/documents -----------------------------------------------------
async def upload_application_document(file: Any = None, body: Any = None):
    ctx = current()
    world = ctx.world
    if not _enabled():
        raise e.recruiting_bare(403)
    if file is None:
        raise e.field_errors(422, [("file", REQUIRED)])
    upload = await read_upload(file)
    if upload.size > MAX_FILE_BYTES:
        raise e.field_errors(413, [("file", "errors.file-too-big")])
    extension = _extension(upload.filename)
    if extension == "jpeg":
        extension = "jpg"
    if extension not in DOCUMENT_TYPES:
        raise e.field_errors(422, [("file", "errors.invalid-file-type")])
    with world.transaction():
        row = world[m.RECRUITING_FILES].insert({
            "id": world.rnd.uuid4(), "size": upload.size, "mimetype": DOCUMENT_TYPES[extension],
            "original_filename": upload.filename, "extension": extension, "uploaded_at": ctx.clock.time()})
    return json_response({"uuid": row["id"], "size": row["size"], "mimetype": row["mimetype"],
                          "original_filename": row["original_filename"], "extension": row["extension"]})


# -- GET /xml --------------------------------------------------------------------------------------
async def job_positions_feed(language: str | None = None):
    world = current().world
    chosen = language if language in m.XML_LANGUAGES else m.company(world)["language"]
    return raw_response(xmlfeed.feed(world, chosen), media_type="application/xml; charset=utf-8")


# -- deprecated POST /recruiting/applicant ---------------------------------------------------------
async def _files_ok(files: dict[str, Any]) -> bool:
    for name, value in files.items():
        if not _FILE_FIELD.match(name):
            continue
        for item in value if isinstance(value, list) else [value]:
            upload = await read_upload(item)
            if upload.size > MAX_FILE_BYTES or _extension(upload.filename) not in APPLICANT_EXTENSIONS:
                return False
    return True


async def create_applicant(body: Any = None, **files: Any):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    company = m.company(world)
    if str(data.get("company_id")) != str(company["company_id"]) or data.get("access_token") != company["recruiting_api_key"]:
        raise e.applicant(403, "This action is unauthorized.")
    for name in ("job_position_id", "first_name", "last_name", "email"):
        if data.get(name) in (None, "") or (isinstance(data.get(name), str) and not data[name].strip()):
            raise e.applicant_field_required(name)
    custom = world[m.APPLICANT_ATTRIBUTES]
    for key in data:
        if key.startswith("custom_attribute_") and key not in custom:
            raise e.applicant(400, f"Parameter {key} does not exist.")
    position = world[m.JOB_POSITIONS].get(data["job_position_id"])
    if position is None:
        raise e.applicant(400, "Could not find the job position.")
    if position["status"] != "published":
        raise e.applicant(422, "Job position not published")
    if not await _files_ok(files):
        raise e.applicant(400, "Unsupported extension or file greater than 20Mb.")
    email = str(data["email"]).strip()
    if any(a["email"].lower() == email.lower() and a["job_position_id"] == position["id"]
           for a in world[m.APPLICATIONS].values()):
        raise e.applicant(400, "Applicant already applied to this position.")
    attributes = [{"id": k, "value": str(v)} for k, v in data.items()
                  if k in m.SYSTEM_APPLICANT_ATTRIBUTES or k in custom]
    tags = [t.strip() for t in str(data.get("tags") or "").split(",") if t.strip()]
    today = dates.today(ctx.clock.time())
    with world.transaction():
        applications = world[m.APPLICATIONS]
        applications.insert(application_row(
            applications.next_id(), position["id"], str(data["first_name"]).strip(), str(data["last_name"]).strip(),
            email, {"type": "system", "id": "unassigned"}, [t for t in tags if t in world[m.RECRUITING_TAGS]],
            data.get("recruiting_channel_id"), data.get("external_posting_id"), data.get("message"), today,
            ctx.clock.time(), attributes=attributes, source="applicant-endpoint"))
    return json_response({"success": True, "data": {"message": "Applicant successfully applied to the job position."}})
