"""Rows by id in the caller's account, each with its API's 404 (another account's ids are unknown here)."""

from __future__ import annotations

from mocks.core.context import current
from mocks.core.store import Row

from . import errors as e
from .jsonapi import caller, is_uuid, uuid


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
