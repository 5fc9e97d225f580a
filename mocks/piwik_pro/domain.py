"""What the platform's resources are, shared by every API: rows by id in the caller's account (each with its
API's 404), how new users and groups start, and the form constraints a JSON schema cannot express
(supported languages, password policy, email syntax, names)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from mocks.core.context import current
from mocks.core.iso import COUNTRY_CODES
from mocks.core.store import Row, World

from . import errors as e
from .jsonapi import caller, is_uuid, uuid

ROLES = ("OWNER", "USER")
DEFAULT_LANGUAGE = "en-US"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_LANGUAGE_TAG = re.compile(r"^(?P<language>[A-Za-z]{2,3})(?:-(?P<region>[A-Za-z]{2}|\d{3}))?$")


# -- lookups: rows by id in the caller's account (another account's ids are unknown here) ----------------
def me() -> Row:
    """The calling user (auth.verify has checked that they exist)."""
    row = current().world["users"].get(caller())
    if row is None:
        raise RuntimeError("the authenticated caller is no user of this account")
    return row


def is_owner() -> bool:
    return me()["role"] == "OWNER"


def _row(collection: str, row_id: str, not_found) -> Row:
    row = current().world[collection].get(uuid(row_id))
    if row is None:
        raise e.problem(not_found(row_id))
    return row


def user(user_id: str) -> Row:
    return _row("users", user_id, e.user_does_not_exist)


def group(group_id: str) -> Row:
    return _row("user_groups", group_id, e.user_group_does_not_exist)


def app(app_id: str) -> Row:
    """The Apps API types `app_id` as a plain string: a malformed id is the users API's invalid-UUID 400."""
    if not is_uuid(app_id):
        raise e.problem(e.invalid_uuid(app_id))
    return _row("apps", app_id, e.app_does_not_exist)


def meta_site(meta_site_id: str) -> Row:
    return _row("meta_sites", meta_site_id, e.meta_site_does_not_exist)


# -- rows -----------------------------------------------------------------------------------------------
def millis(moment: datetime) -> int:
    """Exact integer milliseconds of an instant (no float rounding)."""
    return int(moment.replace(microsecond=0).timestamp()) * 1000 + moment.microsecond // 1000


# -- passwords (stored hashed: a snapshot never holds a clear-text password) -------------------------------
def password_hash(user_id: str, password: str) -> str:
    return hashlib.sha256(f"{user_id}:{password}".encode()).hexdigest()


def new_user(
    world: World,
    *,
    email: str,
    role: str = "USER",
    language: str = DEFAULT_LANGUAGE,
    password: str | None = None,
    user_id: str | None = None,
    added_at: float | None = None,
) -> Row:
    user_id = user_id or world.rnd.uuid4()
    return {
        "id": user_id,
        "email": email,
        "role": role,
        "language": language,
        "added_at": int(world.clock.time() if added_at is None else added_at),
        "password_hash": password_hash(user_id, password) if password else None,
    }


def new_group(
    world: World,
    *,
    name: str,
    external_id: str | None = None,
    group_id: str | None = None,
    created_at: datetime | None = None,
) -> Row:
    created = millis(created_at or world.clock.now())
    return {
        "id": group_id or world.rnd.uuid4(),
        "name": name,
        "external_id": external_id,
        "created_at": created,
        "updated_at": created,
        "members": [],
    }


# -- form constraints -----------------------------------------------------------------------------------
def email_errors(value: Any) -> list[dict[str, Any]]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [e.not_blank("/email")]
    if not isinstance(value, str):
        return [e.not_valid("/email")]
    if not _EMAIL.match(value):
        return [e.invalid_email(value)]
    return []


def language_errors(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, str):
        return [e.not_valid("/language")]
    match = _LANGUAGE_TAG.match(value)
    if not match:
        return [e.unsupported_language_tag()]
    if match.group("language").lower() not in e.SUPPORTED_LANGUAGES:
        return [e.unsupported_language(match.group("language"))]
    region = match.group("region")
    if region is not None and not region.isdigit() and region.upper() not in COUNTRY_CODES:
        return [e.unsupported_language_region(region)]
    return []


def password_errors(value: Any, pointer: str) -> list[dict[str, Any]]:
    """12 to 128 characters with at least one digit, one upper- and one lowercase letter."""
    if value is None or value == "":
        return [e.not_blank(pointer)]
    if not isinstance(value, str):
        return [e.not_valid(pointer)]
    if not (
        12 <= len(value) <= 128
        and re.search(r"\d", value)
        and re.search(r"[A-Z]", value)
        and re.search(r"[a-z]", value)
    ):
        return [e.invalid_password(pointer)]
    return []


def name_errors(name: Any, pointer: str, maximum: int) -> list[dict[str, Any]]:
    """A required name: not blank, a string, at most `maximum` characters."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return [e.not_blank(pointer)]
    if not isinstance(name, str):
        return [e.not_valid(pointer)]
    return [e.too_long(pointer, maximum)] if len(name) > maximum else []


def raise_if(found: list[dict[str, Any]]) -> None:
    if found:
        raise e.problem(*found)
