"""Recruiting: what may be applied with and uploaded, and the writes (specs/personio_recruiting.yaml,
specs/personio_recruiting_root.yaml, written from personio-recruiting-api.yaml of personio/api-docs@2f3707f).

POST /v1/recruiting/applications lists every failing field at once; the deprecated POST /recruiting/applicant
stops at the first failure, in the order below.
"""

from __future__ import annotations

import re
from typing import Any

from mocks.core.context import RequestContext
from mocks.core.store import Row, World
from mocks.core.uploads import Upload
from mocks.core.vendor import TENANT_OVERRIDE_HEADER

from . import dates
from . import domain as m
from . import errors as e
from .seed import application_row

MAX_FILE_BYTES = 20 * 1024 * 1024
# extension -> media type of the documents endpoint's allowed files
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "7z": "application/x-7z-compressed",
    "gz": "application/gzip",
    "rar": "application/vnd.rar",
    "zip": "application/zip",
    "bmp": "image/bmp",
    "gif": "image/gif",
    "jpg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "csv": "text/csv",
    "txt": "text/plain",
    "rtf": "application/rtf",
    "mp4": "video/mp4",
    "3gp": "video/3gpp",
    "mov": "video/quicktime",
    "avi": "video/x-msvideo",
    "wmv": "video/x-ms-wmv",
}
APPLICANT_EXTENSIONS = {
    "pdf",
    "docx",
    "doc",
    "jpg",
    "png",
    "txt",
    "jpeg",
    "odt",
    "ods",
    "xlsx",
    "rtf",
    "xls",
    "pptx",
    "ppt",
    "gif",
    "tif",
    "tiff",
    "bmp",
    "csv",
    "rar",
    "gz",
    "zip",
    "7z",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FILE_FIELD = re.compile(r"^(documents\[\d+\]|document\d+|categorised_documents\[\d+\]\[file\])$")
REQUIRED = "errors.attribute-validation.required-attribute"


def check_api_enabled(settings: dict[str, Any]) -> None:
    """The company's recruiting API must be switched on (403 with the documented reason)."""
    if not settings["recruiting_api_enabled"]:
        raise e.field_errors(403, [("company", "feature.public-api.disabled")])


def check_documents_enabled(settings: dict[str, Any]) -> None:
    """The documents endpoint answers a bare 403 while the recruiting API is off."""
    if not settings["recruiting_api_enabled"]:
        raise e.recruiting_bare(403)


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


# -- POST /v1/recruiting/applications --------------------------------------------------------------
# The body is declared loosely in the spec: every check runs in _application so that the 400 lists every
# failing field at once, type errors included, as the documentation describes.
INVALID_TYPE = "errors.attribute-validation.invalid-type"
FILE_CATEGORIES = ("cv", "cover-letter", "employment-reference", "certificate", "work-sample", "other")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checks:
    """Collects (field, reason) pairs; each typed getter answers the value when it has the right type, else
    None (after recording why)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def fail(self, field: str, reason: str) -> None:
        self.found.append((field, reason))

    def typed(self, value: Any, field: str, kind: str) -> Any:
        ok = {
            "string": isinstance(value, str),
            "integer": _is_int(value),
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
            "id": isinstance(value, str) or _is_int(value),
        }[kind]
        if not ok:
            self.fail(field, INVALID_TYPE)  # null included: no field of the schema is nullable
            return None
        return value

    def get(self, data: dict[str, Any], name: str, field: str, kind: str, *, required: bool = False) -> Any:
        if name not in data:
            if required:
                self.fail(field, REQUIRED)
            return None
        return self.typed(data[name], field, kind)


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
        elif (
            kind == "option"
            and key != "gender"
            and value not in m.row_of(world, m.APPLICANT_ATTRIBUTES, key)["options"]
        ):
            found.append((key, "errors.attribute-validation.unknown-attribute-option"))
    return found


def _application(world: World, body: dict[str, Any], today: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The checked fields of an application and every (field, reason) that fails."""
    checks = _Checks()
    get = checks.get
    fields: dict[str, Any] = {}
    for name in ("first_name", "last_name"):
        value = get(body, name, name, "string", required=True)
        if value is not None and not value.strip():
            checks.fail(name, REQUIRED)
        fields[name] = (value or "").strip()
    email = get(body, "email", "email", "string", required=True)
    if email is not None and not _EMAIL.match(email.strip()):
        checks.fail("email", "errors.attribute-validation.invalid-email-format")
    fields["email"] = (email or "").strip()
    position_id = get(body, "job_position_id", "job_position_id", "integer", required=True)
    if position_id is not None:
        position = world[m.JOB_POSITIONS].get(position_id)
        if position is None or position["status"] != "published":
            checks.fail("job_position_id", "errors.job-position.not-published")
    fields["job_position_id"] = position_id
    channel = get(body, "recruiting_channel_id", "recruiting_channel_id", "integer")
    if channel is not None and channel not in world[m.RECRUITING_CHANNELS]:
        checks.fail("recruiting_channel_id", "errors.posting-validation.channel-not-found")
    fields["recruiting_channel_id"] = channel
    posting_id = get(body, "external_posting_id", "external_posting_id", "string")
    if posting_id is not None:
        posting = world[m.EXTERNAL_POSTINGS].get(posting_id)
        if (
            posting is None
            or (position_id is not None and posting["job_position_id"] != position_id)
            or (channel is not None and posting["recruiting_channel_id"] != channel)
        ):
            checks.fail("external_posting_id", "errors.posting-validation.posting-not-found")
    fields["external_posting_id"] = posting_id
    fields["message"] = get(body, "message", "message", "string")
    applied = get(body, "application_date", "application_date", "string") or today
    if not dates.is_date(applied):
        checks.fail("application_date", "errors.attribute-validation.invalid-date-format")
    elif applied > today:
        checks.fail("application_date", "errors.date-validation.date-in-the-future")
    fields["application_date"] = applied
    fields["phase"] = _phase(world, checks, get(body, "phase", "phase", "object"))
    tags = get(body, "tags", "tags", "array") or []
    fields["tags"] = [t for i, t in enumerate(tags) if checks.typed(t, f"tags[{i}]", "string") is not None]
    fields["files"] = _files(world, checks, get(body, "files", "files", "array") or [])
    attributes = []
    for index, item in enumerate(get(body, "attributes", "attributes", "array") or []):
        if checks.typed(item, f"attributes[{index}]", "object") is None:
            continue
        key = get(item, "id", f"attributes[{index}].id", "string", required=True)
        value = get(item, "value", f"attributes[{index}].value", "string", required=True)
        if key is not None and value is not None:
            attributes.append({"id": key, "value": value})
    checks.found += _attribute_errors(world, attributes)
    fields["attributes"] = attributes
    return fields, checks.found


def _phase(world: World, checks: _Checks, phase: dict[str, Any] | None) -> dict[str, Any]:
    unassigned = {"type": "system", "id": "unassigned"}
    if phase is None:
        return unassigned
    kind = checks.get(phase, "type", "phase.type", "string", required=True)
    if kind is not None and kind not in ("system", "custom"):
        checks.fail("phase.type", "errors.phase-validation.invalid-system-phase")
        kind = None
    phase_id = checks.get(phase, "id", "phase.id", "id", required=True)
    if kind is None or phase_id is None:
        return unassigned
    if kind == "system":
        if phase_id not in m.SYSTEM_PHASES:
            checks.fail("phase", "errors.phase-validation.invalid-system-phase")
        return {"type": "system", "id": phase_id}
    if _is_int(phase_id) and phase_id in world[m.RECRUITING_PHASES]:
        return {"type": "custom", "id": phase_id}
    return unassigned  # documented: an invalid phase creates the application as unassigned


def _files(world: World, checks: _Checks, files: list[Any]) -> list[dict[str, Any]]:
    found = []
    for index, item in enumerate(files):
        field = f"files[{index}]"
        if checks.typed(item, field, "object") is None:
            continue
        uuid = checks.get(item, "uuid", f"{field}.uuid", "string", required=True)
        if uuid is not None and (not _UUID.fullmatch(uuid) or uuid not in world[m.RECRUITING_FILES]):
            checks.fail(f"{field}.uuid", "errors.file-validation.file-not-exists")
        filename = checks.get(item, "original_filename", f"{field}.original_filename", "string", required=True)
        category = checks.get(item, "category", f"{field}.category", "string", required=True)
        if category is not None and category not in FILE_CATEGORIES:
            checks.fail(f"{field}.category", "errors.file-validation.unknown-file-category")
        found.append({"uuid": uuid, "original_filename": filename, "category": category})
    return found


def create_application(world: World, body: Any, today: str, now: float) -> Row:
    """The new application (its new tags added to the company's); every failing field in one 400, an applicant
    who already applied to the position last."""
    fields, found = _application(world, body if isinstance(body, dict) else {}, today)
    if not found and any(
        a["email"].lower() == fields["email"].lower() and a["job_position_id"] == fields["job_position_id"]
        for a in world[m.APPLICATIONS].values()
    ):
        found.append(("email", "errors.applicant-already-exists"))
    if found:
        raise e.field_errors(400, found)
    tags = list(dict.fromkeys(fields["tags"]))
    with world.transaction():
        for tag in tags:
            if tag not in world[m.RECRUITING_TAGS]:
                world[m.RECRUITING_TAGS].insert({"id": tag, "created_at": now})
        applications = world[m.APPLICATIONS]
        return applications.insert(
            application_row(
                applications.next_id(),
                fields["job_position_id"],
                fields["first_name"],
                fields["last_name"],
                fields["email"],
                fields["phase"],
                tags,
                fields["recruiting_channel_id"],
                fields["external_posting_id"],
                fields["message"],
                fields["application_date"],
                now,
                files=fields["files"],
                attributes=fields["attributes"],
                source="api",
            )
        )


# -- POST /v1/recruiting/applications/documents -----------------------------------------------------
def store_document(world: World, upload: Upload | None, now: float) -> Row:
    """The uploaded file, kept for an application to name by uuid: required (422), at most 20 MB (413), of an
    allowed type (422)."""
    if upload is None:
        raise e.field_errors(422, [("file", REQUIRED)])
    if upload.size > MAX_FILE_BYTES:
        raise e.field_errors(413, [("file", "errors.file-too-big")])
    extension = _extension(upload.filename)
    if extension == "jpeg":
        extension = "jpg"
    if extension not in DOCUMENT_TYPES:
        raise e.field_errors(422, [("file", "errors.invalid-file-type")])
    with world.transaction():
        return world[m.RECRUITING_FILES].insert(
            {
                "id": world.rnd.uuid4(),
                "size": upload.size,
                "mimetype": DOCUMENT_TYPES[extension],
                "original_filename": upload.filename,
                "extension": extension,
                "uploaded_at": now,
            }
        )


# -- GET /xml --------------------------------------------------------------------------------------
def career_site_exists(ctx: RequestContext) -> bool:
    """The default company, every company the mock already knows (seeded by a request naming it with
    X-Mock-Tenant, a token or setting of the admin API), and any company a request names with X-Mock-Tenant."""
    return (
        ctx.tenant == ctx.vendor.default_tenant
        or ctx.header(TENANT_OVERRIDE_HEADER) is not None
        or ctx.suite.worlds.existing(ctx.vendor.name, ctx.tenant) is not None
    )


def feed_language(world: World, language: str | None) -> str:
    """The language asked for when the feed has it, else the company's."""
    return language if language in m.XML_LANGUAGES else m.company(world)["language"]


# -- deprecated POST /recruiting/applicant ---------------------------------------------------------
def is_applicant_file_field(name: str) -> bool:
    return bool(_FILE_FIELD.match(name))


def applicant_file_ok(upload: Upload) -> bool:
    return upload.size <= MAX_FILE_BYTES and _extension(upload.filename) in APPLICANT_EXTENSIONS


def applicant_position(world: World, data: dict[str, Any]) -> Row:
    """The published position applied to, after the required fields (blank ones too), the company's id and
    key, and the custom attributes named; the first failure is the answer."""
    company = m.company(world)
    # the required-field check runs before the credential check, for blank fields as for absent ones
    for name in ("company_id", "access_token", "job_position_id", "first_name", "last_name", "email"):
        if data.get(name) in (None, "") or (isinstance(data.get(name), str) and not data[name].strip()):
            raise e.applicant_field_required(name)
    if str(data["company_id"]) != str(company["company_id"]) or data["access_token"] != company["recruiting_api_key"]:
        raise e.applicant(403, "This action is unauthorized.")
    custom = world[m.APPLICANT_ATTRIBUTES]
    for key in data:
        if key.startswith("custom_attribute_") and key not in custom:
            raise e.applicant(400, f"Parameter {key} does not exist.")
    position = world[m.JOB_POSITIONS].get(data["job_position_id"])
    if position is None:
        raise e.applicant(400, "Could not find the job position.")
    if position["status"] != "published":
        raise e.applicant(422, "Job position not published")
    return position


def create_applicant(
    world: World, data: dict[str, Any], position: Row, *, files_ok: bool, today: str, now: float
) -> Row:
    """The application of the deprecated endpoint: refused for a bad file, then for an applicant who already
    applied to the position; unknown tags are dropped."""
    if not files_ok:
        raise e.applicant(400, "Unsupported extension or file greater than 20Mb.")
    email = str(data["email"]).strip()
    if any(
        a["email"].lower() == email.lower() and a["job_position_id"] == position["id"]
        for a in world[m.APPLICATIONS].values()
    ):
        raise e.applicant(400, "Applicant already applied to this position.")
    custom = world[m.APPLICANT_ATTRIBUTES]
    attributes = [
        {"id": k, "value": str(v)} for k, v in data.items() if k in m.SYSTEM_APPLICANT_ATTRIBUTES or k in custom
    ]
    tags = [t.strip() for t in str(data.get("tags") or "").split(",") if t.strip()]
    with world.transaction():
        applications = world[m.APPLICATIONS]
        return applications.insert(
            application_row(
                applications.next_id(),
                position["id"],
                str(data["first_name"]).strip(),
                str(data["last_name"]).strip(),
                email,
                {"type": "system", "id": "unassigned"},
                [t for t in tags if t in world[m.RECRUITING_TAGS]],
                data.get("recruiting_channel_id"),
                data.get("external_posting_id"),
                data.get("message"),
                today,
                now,
                attributes=attributes,
                source="applicant-endpoint",
            )
        )
