"""Modules API v1 (`specs/piwik_pro_modules.yaml`): one function per operationId."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import no_content

from . import access, audit, lookups
from . import errors as e
from . import modules as mod
from .jsonapi import document, require_content_type, uuid

MAX_USERS = 100


def _module(module_id: str) -> dict[str, str]:
    return {"id": module_id, "type": mod.MODULE_TYPE}


async def list_modules_v1():
    return document({"data": [_module(m) for m in mod.accessible(current().world, lookups.me())]})


async def get_module_v1(module: str):
    world, me = current().world, lookups.me()
    if module not in mod.licensed(world):
        raise e.problem(e.unlicensed_module(module))
    if module not in mod.accessible(world, me):
        raise e.problem(e.module_access_revoked(module))
    return document({"data": _module(module)})


def _modules_user(user_id: str):
    row = current().world["users"].get(uuid(user_id))
    if row is None:
        raise e.problem(e.modules_user_does_not_exist(user_id))
    return row


def _collection(body: Any, resource_type: str) -> list[dict[str, Any]]:
    """The JSON:API collection of a modules request; an item of another type is the documented 409."""
    require_content_type()
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise e.problem(e.module_error(400, "error.default", "Invalid jsonapi message received", pointer="/data"))
    for item in data:
        if not isinstance(item, dict) or item.get("type") != resource_type:
            raise e.problem(
                e.collection_type_conflict(item.get("type") if isinstance(item, dict) else item, resource_type)
            )
    return data


async def accessible_modules_for_users_batch(body: Any = None):
    world = current().world
    data = _collection(body, "ppms/user")
    if len(data) > MAX_USERS:
        raise e.problem(e.too_many_users(len(data), MAX_USERS))
    users = [_modules_user(str(item.get("id"))) for item in data]
    return document(
        {
            "data": [
                {"type": "ppms/user/modules", "id": u["id"], "attributes": {"modules": mod.accessible(world, u)}}
                for u in users
            ]
        }
    )


async def get_user_modules_access_v1(user_id: str):
    world = current().world
    user = _modules_user(user_id)
    return document(
        {
            "data": [
                {"id": m, "type": "module/access/user", "attributes": mod.access_of(world, user, m)}
                for m in mod.licensed(world)
            ]
        }
    )


async def set_modules_access_v1(user_id: str, body: Any):
    world = current().world
    user = _modules_user(user_id)
    data = _collection(body, "module/access")
    licensed = mod.licensed(world)
    for item in data:
        if item["id"] not in licensed:
            raise e.problem(e.unlicensed_module(item["id"]))
    with world.transaction():
        for item in data:
            mod.set_access(world, access.USER, user["id"], item["id"], item["attributes"]["access"])
        audit.record(
            "user.changed.modules_access",
            user["id"],
            {"modules": {item["id"]: item["attributes"]["access"] for item in data}},
        )
    return no_content()
