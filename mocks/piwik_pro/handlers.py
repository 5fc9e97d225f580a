"""Piwik PRO operations, one function per operationId of specs/piwik_pro.yaml.

Connexion has validated parameters and bodies against the spec and the caller against `auth.verify` by the
time these run; they apply the rules a schema cannot say, change the world atomically and shape the answer.
"""

from __future__ import annotations

from typing import Any, cast

from mocks.core.context import current
from mocks.core.pagination import offset_page, sort_rows
from mocks.core.responses import json_response, no_content
from mocks.core.store import Row

from . import access, audit, lookups, modules
from . import errors as e
from . import models as m
from .auth import TOKEN_LIFETIME, mint
from .jsonapi import caller, document, identifiers, resource, uuid
from .rules import email_errors, language_errors, password_errors, raise_if

USER_SORTS = {"email": lambda u: u["email"], "addedAt": lambda u: u["added_at"], "role": lambda u: u["role"]}
GROUP_SORTS = {
    "name": lambda g: g["name"].lower(),
    "created_at": lambda g: g["created_at"],
    "updated_at": lambda g: g["updated_at"],
}
MEMBER_SORTS = {"email": lambda u: u["email"]}


# -- token endpoint -------------------------------------------------------------------------------------
async def auth_token(body: Any = None):
    ctx = current()
    data = body if isinstance(body, dict) else {}
    for name in ("grant_type", "client_id", "client_secret"):
        value = data.get(name)
        if not isinstance(value, str) or not value:
            raise e.invalid_request(f'The request is missing the required parameter "{name}".')
        if name == "grant_type" and value != "client_credentials":
            raise e.unsupported_grant_type()
    world = ctx.world
    credential = world["credentials"].get(data["client_id"])
    if (
        credential is None
        or credential["secret"] != data["client_secret"]
        or credential["user_id"] not in world["users"]
    ):
        raise e.invalid_client()
    token = mint(ctx, world, credential["user_id"])
    return json_response({"token_type": "Bearer", "expires_in": TOKEN_LIFETIME, "access_token": token})


_user = lookups.user


def _email_taken(email: str) -> bool:
    return any(u["email"].lower() == email.lower() for u in current().world["users"].values())


def _user_document(row: Row, status: int = 200):
    return document({"data": m.user_resource(row, organization=current().tenant)}, status)


# -- Users v2 -------------------------------------------------------------------------------------------
async def api_users_invited_v2(body: Any):
    _, attributes = resource(body, m.USER_TYPE)
    email, language = attributes.get("email"), attributes.get("language", m.DEFAULT_LANGUAGE)
    raise_if(email_errors(email) + language_errors(language))
    email = cast(str, email)  # email_errors has refused anything but a string
    if _email_taken(email):
        raise e.problem(e.user_already_exists(email))
    world = current().world
    with world.transaction():
        row = world["users"].insert(m.new_user(world, email=email, language=language))
        audit.record("user.invited", row["id"], {"email": email})
    return document({"data": m.invited_user_resource(row)}, 201)


async def api_users_add_v2(body: Any):
    _, attributes = resource(body, m.USER_TYPE)
    email, language = attributes.get("email"), attributes.get("language", m.DEFAULT_LANGUAGE)
    password = attributes.get("password")
    raise_if(email_errors(email) + password_errors(password, "/password") + language_errors(language))
    email = cast(str, email)  # email_errors has refused anything but a string
    if _email_taken(email):
        raise e.problem(e.user_already_exists(email))
    world = current().world
    with world.transaction():
        row = world["users"].insert(
            m.new_user(world, email=email, role=attributes.get("role", "USER"), language=language, password=password)
        )
        audit.record("user.added", row["id"], {"email": email, "role": row["role"]})
    return _user_document(row, 201)


async def api_users_list_v2(
    offset: int = 0, limit: int = 10, sort: str = "-addedAt", search: str = "", search_query: str = ""
):
    ctx = current()
    users, term = ctx.world["users"], (search or search_query or "").strip().lower()

    def listing() -> list:
        rows = [u for u in users.values() if not term or term in u["email"].lower() or term in u["id"]]
        return [m.user_fragment(u, ctx.tenant) for u in sort_rows(rows, sort, USER_SORTS, tie=lambda u: u["id"])]

    # unfiltered listings are what clients poll: computed once per change of the users collection
    rendered = users.derived(("list", sort), listing) if not term else listing()
    page = offset_page(rendered, offset, limit)
    return document({"meta": {"total": page.total}, "data": page.items})


async def api_users_user_details_v2(userId: str):
    return _user_document(_user(userId))


async def api_users_edit_v2(userId: str, body: Any):
    return _edit_user(uuid(userId), body)


def _edit_user(user_id: str, body: Any):
    ctx = current()
    _, attributes = resource(body, m.USER_TYPE, url_id=user_id, lookup=_user)
    user = _user(user_id)
    found = language_errors(attributes["language"]) if "language" in attributes else []
    raise_if(found)
    role = attributes.get("role", user["role"])
    if role != user["role"] and user_id == caller(ctx):
        raise e.problem(e.cannot_change_own_role())
    with ctx.world.transaction():
        ctx.world["users"].update(user_id, {"role": role, "language": attributes.get("language", user["language"])})
        audit.record("user.edited", user_id, {k: v for k, v in attributes.items() if k in ("role", "language")})
    return no_content()


async def api_users_delete_v2(userId: str):
    ctx = current()
    userId = uuid(userId)
    world, user = ctx.world, _user(userId)
    owners = [u for u in world["users"].values() if u["role"] == "OWNER"]
    if user["role"] == "OWNER" and len(owners) == 1:
        raise e.problem(e.cannot_delete_last_owner())
    if userId == caller(ctx):
        raise e.problem(e.cannot_delete_own_account())
    with world.transaction():
        world["users"].delete(userId)
        world["user_groups"].remove_from_lists("members", userId)
        access.forget(world, subject_id=userId)
        modules.forget(world, userId)
        audit.record("user.deleted", userId, {"email": user["email"]})
        for credential in world["credentials"].values():
            if credential["user_id"] == userId:
                world["credentials"].delete(credential["id"])
    return no_content()


async def api_users_change_role_v2(userId: str, body: Any):
    ctx = current()
    userId = uuid(userId)
    _, attributes = resource(body, m.USER_TYPE, url_id=userId, lookup=_user)
    role = attributes.get("role")
    if role is None or role == "":
        raise e.problem(e.not_blank("/role"))
    if userId == caller(ctx):
        raise e.problem(e.cannot_change_own_role())
    with ctx.world.transaction():
        ctx.world["users"].update(userId, {"role": role})
        audit.record("user.changed.role", userId, {"role": role})
    return no_content()


async def api_users_me_details_v2():
    return _user_document(_user(caller(current())))


async def deprecated_api_user_details_v2():
    return await api_users_me_details_v2()


async def api_users_me_edit_v2(body: Any):
    return _edit_user(caller(current()), body)


async def api_users_me_change_password_v2(body: Any):
    ctx = current()
    user_id = caller(ctx)
    _, attributes = resource(body, m.USER_TYPE, url_id=user_id, lookup=_user)
    user = _user(user_id)
    current_password, new_password = attributes.get("currentPassword"), attributes.get("newPassword")
    found: list[dict[str, Any]] = []
    if current_password is None or current_password == "":
        found.append(e.not_blank("/currentPassword"))
    elif not isinstance(current_password, str):
        found.append(e.not_valid("/currentPassword"))
    elif user["password_hash"] != m.password_hash(user_id, current_password):
        found.append(e.invalid_current_password())
    raise_if(found + password_errors(new_password, "/newPassword"))
    new_password = cast(str, new_password)  # password_errors has refused anything but a string
    with ctx.world.transaction():
        ctx.world["users"].update(user_id, {"password_hash": m.password_hash(user_id, new_password)})
        audit.record("user.changed.password", user_id)
    return no_content()


# -- User groups v1 -------------------------------------------------------------------------------------
_group = lookups.group


def _group_name_errors(name: Any, *, except_id: str | None = None) -> list[dict[str, Any]]:
    if name is None or (isinstance(name, str) and not name.strip()):
        return [e.not_blank("/name")]
    if not isinstance(name, str):
        return [e.not_valid("/name")]
    taken = any(
        g["name"].lower() == name.lower() and g["id"] != except_id for g in current().world["user_groups"].values()
    )
    return [e.user_group_already_exists(name)] if taken else []


async def list_user_group_v1(search: str = "", sort: str = "name", limit: int = 10, offset: int = 0):
    term = (search or "").strip().lower()
    rows = [
        g
        for g in current().world["user_groups"].values()
        if not term or term in g["name"].lower() or term in g["id"] or term in (g["external_id"] or "").lower()
    ]
    page = offset_page(sort_rows(rows, sort, GROUP_SORTS, tie=lambda g: g["id"]), offset, limit)
    return document({"meta": {"total": page.total}, "data": [m.group_resource(g) for g in page.items]})


async def add_user_group_v1(body: Any):
    _, attributes = resource(body, m.GROUP_TYPE)
    name = attributes.get("name")
    raise_if(_group_name_errors(name))
    name = cast(str, name)  # _group_name_errors has refused anything but a string
    world = current().world
    with world.transaction():
        row = world["user_groups"].insert(m.new_group(world, name=name))
        audit.record("user_group.added", row["id"], {"name": name})
    return document({"data": m.group_resource(row, with_external_id=False)}, 201)


async def UserGroupDetails_v1(user_group_id: str):  # noqa: N802 (the official operationId)
    return document({"data": m.group_resource(_group(user_group_id))})


async def edit_user_group_v1(user_group_id: str, body: Any):
    user_group_id = uuid(user_group_id)
    _, attributes = resource(body, m.GROUP_TYPE, url_id=user_group_id, lookup=_group)
    group = _group(user_group_id)
    changes: dict[str, Any] = {}
    if "name" in attributes:
        raise_if(_group_name_errors(attributes["name"], except_id=user_group_id))
        changes["name"] = attributes["name"]
    if "external_id" in attributes:
        changes["external_id"] = attributes["external_id"]
    world = current().world
    with world.transaction():
        world["user_groups"].update(group["id"], {**changes, "updated_at": m.millis(world.clock.now())})
        audit.record("user_group.edited", group["id"], changes)
    return no_content()


async def delete_user_group_v1(user_group_id: str):
    user_group_id = uuid(user_group_id)
    world = current().world
    group = _group(user_group_id)
    with world.transaction():
        world["user_groups"].delete(user_group_id)
        access.forget(world, subject_id=user_group_id)
        modules.forget(world, user_group_id)
        audit.record("user_group.deleted", user_group_id, {"name": group["name"]})
    return no_content()


def _member_page(rows: list[Row], search: str, sort: str, limit: int, offset: int):
    term = (search or "").strip().lower()
    rows = [u for u in rows if not term or term in u["email"].lower() or term in u["id"]]
    page = offset_page(sort_rows(rows, sort, MEMBER_SORTS, tie=lambda u: u["id"]), offset, limit)
    return document({"meta": {"total": page.total}, "data": [m.member_resource(u) for u in page.items]})


async def list_user_group_users_v1(
    user_group_id: str, search: str = "", sort: str = "email", limit: int = 10, offset: int = 0
):
    members = set(_group(user_group_id)["members"])
    rows = [u for u in current().world["users"].values() if u["id"] in members]
    return _member_page(rows, search, sort, limit, offset)


async def list_user_group_users_excluded_v1(
    user_group_id: str, search: str = "", sort: str = "email", limit: int = 10, offset: int = 0
):
    members = set(_group(user_group_id)["members"])
    rows = [u for u in current().world["users"].values() if u["id"] not in members]
    return _member_page(rows, search, sort, limit, offset)


async def add_users_to_group_v1(user_group_id: str, body: Any):
    group = _group(user_group_id)
    user_group_id = group["id"]
    ids = identifiers(body, m.USER_TYPE, _user)
    members = list(group["members"]) + [i for i in dict.fromkeys(ids) if i not in group["members"]]
    world = current().world
    with world.transaction():
        world["user_groups"].update(user_group_id, {"members": members})
        audit.record("user_group.users.added", user_group_id, {"users": ids})
    return no_content()


async def remove_users_from_group_v1(user_group_id: str, body: Any):
    group = _group(user_group_id)
    user_group_id = group["id"]
    doomed = set(identifiers(body, m.USER_TYPE, _user))
    world = current().world
    with world.transaction():
        world["user_groups"].update(user_group_id, {"members": [i for i in group["members"] if i not in doomed]})
        audit.record("user_group.users.removed", user_group_id, {"users": sorted(doomed)})
    return no_content()


async def set_permission_group_for_user_group_v1(user_group_id: str, body: Any):
    """The deprecated group permission: `entity_id` names an app or a meta site of the account (unknown:
    the apps API's 404, inferred); the permission is the one the access control API sets."""
    user_group_id = _group(user_group_id)["id"]
    _, attributes = resource(body, "ppms/permissions/group")
    world = current().world
    entity_id, permission = uuid(attributes["entity_id"]), attributes["group"]
    entity_type = access.META_SITE if entity_id in world["meta_sites"] else access.APP
    if entity_type == access.APP:
        lookups.app(entity_id)
    elif permission not in access.PERMISSIONS[access.META_SITE]:
        raise e.problem(e.invalid_form("error.default", f'Invalid permission "{permission}"', "/group"))
    with world.transaction():
        access.grant(world, entity_type, entity_id, access.GROUP, user_group_id, permission)
        audit.record(
            f"permission.user_group.changed.{entity_type.replace('-', '_')}",
            entity_id,
            {"user_group_id": user_group_id, "permission": permission},
        )
    return no_content()
