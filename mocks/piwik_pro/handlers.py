"""Piwik PRO operations of specs/piwik_pro.yaml (token endpoint, Users API v2, User groups API v1), one
function per operationId.

Connexion has validated parameters and bodies against the spec and the caller against `auth.verify` by the
time these run; they read the JSON:API document (jsonapi.py), call the domain (domain_users.py) and render
through wire.py.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content
from mocks.core.store import Row

from . import domain as d
from . import domain_users as users
from . import wire
from .auth import TOKEN_LIFETIME, token_for
from .jsonapi import caller, document, identifiers, page_of, resource, uuid


# -- token endpoint -------------------------------------------------------------------------------------
async def auth_token(body: Any = None):
    token = token_for(current(), body if isinstance(body, dict) else {})
    return json_response(wire.token(token, TOKEN_LIFETIME))


def _user_document(row: Row, status: int = 200):
    return document({"data": wire.user_resource(row, organization=current().tenant)}, status)


# -- Users v2 -------------------------------------------------------------------------------------------
async def api_users_invited_v2(body: Any):
    _, attributes = resource(body, wire.USER_TYPE)
    return document({"data": wire.invited_user_resource(users.invite(attributes))}, 201)


async def api_users_add_v2(body: Any):
    _, attributes = resource(body, wire.USER_TYPE)
    return _user_document(users.add(attributes), 201)


async def api_users_list_v2(
    offset: int = 0, limit: int = 10, sort: str = "-addedAt", search: str = "", search_query: str = ""
):
    ctx = current()
    return wire.users_page(ctx.world, users.matching(search or search_query), sort, offset, limit, ctx.tenant)


async def api_users_user_details_v2(userId: str):
    return _user_document(d.user(userId))


async def api_users_edit_v2(userId: str, body: Any):
    return _edit_user(uuid(userId), body)


def _edit_user(user_id: str, body: Any):
    _, attributes = resource(body, wire.USER_TYPE, url_id=user_id, lookup=d.user)
    users.edit(user_id, attributes)
    return no_content()


async def api_users_delete_v2(userId: str):
    users.remove(userId)
    return no_content()


async def api_users_change_role_v2(userId: str, body: Any):
    userId = uuid(userId)
    _, attributes = resource(body, wire.USER_TYPE, url_id=userId, lookup=d.user)
    users.change_role(userId, attributes)
    return no_content()


async def api_users_me_details_v2():
    return _user_document(d.user(caller(current())))


async def deprecated_api_user_details_v2():
    return await api_users_me_details_v2()


async def api_users_me_edit_v2(body: Any):
    return _edit_user(caller(current()), body)


async def api_users_me_change_password_v2(body: Any):
    user_id = caller(current())
    _, attributes = resource(body, wire.USER_TYPE, url_id=user_id, lookup=d.user)
    users.change_password(user_id, attributes)
    return no_content()


# -- User groups v1 -------------------------------------------------------------------------------------
async def list_user_group_v1(search: str = "", sort: str = "name", limit: int = 10, offset: int = 0):
    return page_of(users.groups_matching(search), sort, wire.GROUP_SORTS, offset, limit, wire.group_resource)


async def add_user_group_v1(body: Any):
    _, attributes = resource(body, wire.GROUP_TYPE)
    return document({"data": wire.group_resource(users.add_group(attributes), with_external_id=False)}, 201)


async def UserGroupDetails_v1(user_group_id: str):  # noqa: N802 (the official operationId)
    return document({"data": wire.group_resource(d.group(user_group_id))})


async def edit_user_group_v1(user_group_id: str, body: Any):
    user_group_id = uuid(user_group_id)
    _, attributes = resource(body, wire.GROUP_TYPE, url_id=user_group_id, lookup=d.group)
    users.edit_group(user_group_id, attributes)
    return no_content()


async def delete_user_group_v1(user_group_id: str):
    users.delete_group(user_group_id)
    return no_content()


async def list_user_group_users_v1(
    user_group_id: str, search: str = "", sort: str = "email", limit: int = 10, offset: int = 0
):
    rows = users.users_of(d.group(user_group_id), True, search)
    return page_of(rows, sort, wire.MEMBER_SORTS, offset, limit, wire.member_resource)


async def list_user_group_users_excluded_v1(
    user_group_id: str, search: str = "", sort: str = "email", limit: int = 10, offset: int = 0
):
    rows = users.users_of(d.group(user_group_id), False, search)
    return page_of(rows, sort, wire.MEMBER_SORTS, offset, limit, wire.member_resource)


async def add_users_to_group_v1(user_group_id: str, body: Any):
    group = d.group(user_group_id)
    users.add_members(group, identifiers(body, wire.USER_TYPE, d.user))
    return no_content()


async def remove_users_from_group_v1(user_group_id: str, body: Any):
    group = d.group(user_group_id)
    users.remove_members(group, identifiers(body, wire.USER_TYPE, d.user))
    return no_content()


async def set_permission_group_for_user_group_v1(user_group_id: str, body: Any):
    """The deprecated group permission (domain_users.set_group_permission)."""
    group = d.group(user_group_id)
    _, attributes = resource(body, "ppms/permissions/group")
    users.set_group_permission(group, attributes)
    return no_content()
