"""Users (Users API v2) and user groups (User groups API v1): the rules no schema states (unique emails and
group names, the last owner, nobody changes their own role or deletes themselves, the password policy) and
the writes, each with its audit entry."""

from __future__ import annotations

from typing import Any, cast

from mocks.core.context import current
from mocks.core.store import Row

from . import domain as d
from . import domain_access as access
from . import domain_audit as audit
from . import domain_modules as modules
from . import errors as e
from .jsonapi import caller, uuid

# -- users ----------------------------------------------------------------------------------------------


def email_taken(email: str) -> bool:
    return any(u["email"].lower() == email.lower() for u in current().world["users"].values())


def _new_email(email: Any) -> str:
    email = cast(str, email)  # email_errors has refused anything but a string
    if email_taken(email):
        raise e.problem(e.user_already_exists(email))
    return email


def invite(attributes: dict[str, Any]) -> Row:
    email, language = attributes.get("email"), attributes.get("language", d.DEFAULT_LANGUAGE)
    d.raise_if(d.email_errors(email) + d.language_errors(language))
    email = _new_email(email)
    world = current().world
    with world.transaction():
        row = world["users"].insert(d.new_user(world, email=email, language=language))
        audit.record("user.invited", row["id"], {"email": email})
    return row


def add(attributes: dict[str, Any]) -> Row:
    email, language = attributes.get("email"), attributes.get("language", d.DEFAULT_LANGUAGE)
    password = attributes.get("password")
    d.raise_if(d.email_errors(email) + d.password_errors(password, "/password") + d.language_errors(language))
    email = _new_email(email)
    world = current().world
    with world.transaction():
        row = world["users"].insert(
            d.new_user(world, email=email, role=attributes.get("role", "USER"), language=language, password=password)
        )
        audit.record("user.added", row["id"], {"email": email, "role": row["role"]})
    return row


def matching(search: str) -> list[Row] | None:
    """The users whose email or id contains the search term; None when there is no term (every user)."""
    term = (search or "").strip().lower()
    if not term:
        return None
    return [u for u in current().world["users"].values() if term in u["email"].lower() or term in u["id"]]


def edit(user_id: str, attributes: dict[str, Any]) -> None:
    """Role and language; nobody changes their own role."""
    ctx = current()
    user = d.user(user_id)
    found = d.language_errors(attributes["language"]) if "language" in attributes else []
    d.raise_if(found)
    role = attributes.get("role", user["role"])
    if role != user["role"] and user_id == caller(ctx):
        raise e.problem(e.cannot_change_own_role())
    with ctx.world.transaction():
        ctx.world["users"].update(user_id, {"role": role, "language": attributes.get("language", user["language"])})
        audit.record("user.edited", user_id, {k: v for k, v in attributes.items() if k in ("role", "language")})


def remove(user_id: str) -> None:
    """Not the last owner, not oneself; the user leaves their groups and takes grants and credentials along."""
    ctx = current()
    user_id = uuid(user_id)
    world, user = ctx.world, d.user(user_id)
    owners = [u for u in world["users"].values() if u["role"] == "OWNER"]
    if user["role"] == "OWNER" and len(owners) == 1:
        raise e.problem(e.cannot_delete_last_owner())
    if user_id == caller(ctx):
        raise e.problem(e.cannot_delete_own_account())
    with world.transaction():
        world["users"].delete(user_id)
        world["user_groups"].remove_from_lists("members", user_id)
        access.forget(world, subject_id=user_id)
        modules.forget(world, user_id)
        audit.record("user.deleted", user_id, {"email": user["email"]})
        for credential in world["credentials"].values():
            if credential["user_id"] == user_id:
                world["credentials"].delete(credential["id"])


def change_role(user_id: str, attributes: dict[str, Any]) -> None:
    ctx = current()
    role = attributes.get("role")
    if role is None or role == "":
        raise e.problem(e.not_blank("/role"))
    if user_id == caller(ctx):
        raise e.problem(e.cannot_change_own_role())
    with ctx.world.transaction():
        ctx.world["users"].update(user_id, {"role": role})
        audit.record("user.changed.role", user_id, {"role": role})


def change_password(user_id: str, attributes: dict[str, Any]) -> None:
    """The current password must match; the new one follows the password policy (all errors reported)."""
    ctx = current()
    user = d.user(user_id)
    current_password, new_password = attributes.get("currentPassword"), attributes.get("newPassword")
    found: list[dict[str, Any]] = []
    if current_password is None or current_password == "":
        found.append(e.not_blank("/currentPassword"))
    elif not isinstance(current_password, str):
        found.append(e.not_valid("/currentPassword"))
    elif user["password_hash"] != d.password_hash(user_id, current_password):
        found.append(e.invalid_current_password())
    d.raise_if(found + d.password_errors(new_password, "/newPassword"))
    new_password = cast(str, new_password)  # password_errors has refused anything but a string
    with ctx.world.transaction():
        ctx.world["users"].update(user_id, {"password_hash": d.password_hash(user_id, new_password)})
        audit.record("user.changed.password", user_id)


# -- user groups ----------------------------------------------------------------------------------------


def group_name_errors(name: Any, *, except_id: str | None = None) -> list[dict[str, Any]]:
    """A name: not blank, a string, no other group's (case-insensitively)."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return [e.not_blank("/name")]
    if not isinstance(name, str):
        return [e.not_valid("/name")]
    taken = any(
        g["name"].lower() == name.lower() and g["id"] != except_id for g in current().world["user_groups"].values()
    )
    return [e.user_group_already_exists(name)] if taken else []


def groups_matching(search: str) -> list[Row]:
    """The groups whose name, id or external id contains the search term (all without one)."""
    term = (search or "").strip().lower()
    return [
        g
        for g in current().world["user_groups"].values()
        if not term or term in g["name"].lower() or term in g["id"] or term in (g["external_id"] or "").lower()
    ]


def add_group(attributes: dict[str, Any]) -> Row:
    name = attributes.get("name")
    d.raise_if(group_name_errors(name))
    name = cast(str, name)  # group_name_errors has refused anything but a string
    world = current().world
    with world.transaction():
        row = world["user_groups"].insert(d.new_group(world, name=name))
        audit.record("user_group.added", row["id"], {"name": name})
    return row


def edit_group(group_id: str, attributes: dict[str, Any]) -> None:
    group = d.group(group_id)
    changes: dict[str, Any] = {}
    if "name" in attributes:
        d.raise_if(group_name_errors(attributes["name"], except_id=group_id))
        changes["name"] = attributes["name"]
    if "external_id" in attributes:
        changes["external_id"] = attributes["external_id"]
    world = current().world
    with world.transaction():
        world["user_groups"].update(group["id"], {**changes, "updated_at": d.millis(world.clock.now())})
        audit.record("user_group.edited", group["id"], changes)


def delete_group(group_id: str) -> None:
    """The group takes its grants and module access along."""
    group_id = uuid(group_id)
    world = current().world
    group = d.group(group_id)
    with world.transaction():
        world["user_groups"].delete(group_id)
        access.forget(world, subject_id=group_id)
        modules.forget(world, group_id)
        audit.record("user_group.deleted", group_id, {"name": group["name"]})


def users_of(group: Row, inside: bool, search: str) -> list[Row]:
    """The group's members (or the users outside it) whose email or id contains the search term."""
    members = set(group["members"])
    term = (search or "").strip().lower()
    return [
        u
        for u in current().world["users"].values()
        if (u["id"] in members) == inside and (not term or term in u["email"].lower() or term in u["id"])
    ]


def add_members(group: Row, ids: list[str]) -> None:
    members = list(group["members"]) + [i for i in dict.fromkeys(ids) if i not in group["members"]]
    world = current().world
    with world.transaction():
        world["user_groups"].update(group["id"], {"members": members})
        audit.record("user_group.users.added", group["id"], {"users": ids})


def remove_members(group: Row, ids: list[str]) -> None:
    doomed = set(ids)
    world = current().world
    with world.transaction():
        world["user_groups"].update(group["id"], {"members": [i for i in group["members"] if i not in doomed]})
        audit.record("user_group.users.removed", group["id"], {"users": sorted(doomed)})


def set_group_permission(group: Row, attributes: dict[str, Any]) -> None:
    """The deprecated group permission: `entity_id` names an app or a meta site of the account (unknown:
    the apps API's 404, inferred); the permission is the one the access control API sets."""
    user_group_id = group["id"]
    world = current().world
    entity_id, permission = uuid(attributes["entity_id"]), attributes["group"]
    entity_type = access.META_SITE if entity_id in world["meta_sites"] else access.APP
    if entity_type == access.APP:
        d.app(entity_id)
    elif permission not in access.PERMISSIONS[access.META_SITE]:
        raise e.problem(e.invalid_form("error.default", f'Invalid permission "{permission}"', "/group"))
    with world.transaction():
        access.grant(world, entity_type, entity_id, access.GROUP, user_group_id, permission)
        audit.record(
            f"permission.user_group.changed.{entity_type.replace('-', '_')}",
            entity_id,
            {"user_group_id": user_group_id, "permission": permission},
        )
