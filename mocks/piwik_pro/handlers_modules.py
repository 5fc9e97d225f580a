"""Modules API v1 (`specs/piwik_pro_modules.yaml`): one function per operationId."""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import no_content

from . import domain as d
from . import domain_modules as mod
from . import wire_modules as wire
from .jsonapi import document


async def list_modules_v1():
    return document({"data": [wire.module(m) for m in mod.accessible(current().world, d.me())]})


async def get_module_v1(module: str):
    return document({"data": wire.module(mod.usable(module))})


async def accessible_modules_for_users_batch(body: Any = None):
    world = current().world
    users = mod.batch_users(body)
    return document({"data": [wire.user_modules(u, mod.accessible(world, u)) for u in users]})


async def get_user_modules_access_v1(user_id: str):
    world = current().world
    user = mod.user(user_id)
    return document({"data": [wire.user_access(m, mod.access_of(world, user, m)) for m in mod.licensed(world)]})


async def set_modules_access_v1(user_id: str, body: Any):
    mod.set_user_access(mod.user(user_id), body)
    return no_content()
