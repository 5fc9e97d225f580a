"""Rows by id in the caller's account, each with its API's 404 (another account's ids are unknown here)."""

from __future__ import annotations

from mocks.core.context import current
from mocks.core.store import Row

from . import errors as e
from .jsonapi import caller, is_uuid, uuid


def me() -> Row:
    """The calling user (auth.verify has checked that they exist)."""
    return current().world["users"].get(caller())


def is_owner() -> bool:
    return me()["role"] == "OWNER"


def user(user_id: str) -> Row:
    row = current().world["users"].get(uuid(user_id))
    if row is None:
        raise e.problem(e.user_does_not_exist(user_id))
    return row


def group(group_id: str) -> Row:
    row = current().world["user_groups"].get(uuid(group_id))
    if row is None:
        raise e.problem(e.user_group_does_not_exist(group_id))
    return row


def app(app_id: str) -> Row:
    """The Apps API types `app_id` as a plain string: a malformed id is the users API's invalid-UUID 400."""
    if not is_uuid(app_id):
        raise e.problem(e.invalid_uuid(app_id))
    row = current().world["apps"].get(uuid(app_id))
    if row is None:
        raise e.problem(e.app_does_not_exist(app_id))
    return row


def meta_site(meta_site_id: str) -> Row:
    row = current().world["meta_sites"].get(uuid(meta_site_id))
    if row is None:
        raise e.problem(e.meta_site_does_not_exist(meta_site_id))
    return row
