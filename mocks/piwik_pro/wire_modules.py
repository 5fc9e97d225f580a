"""How the modules API's answers look on the wire (official `platform_modules_public_v1.yaml`)."""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row

MODULE_TYPE = "ppms/module"


def module(module_id: str) -> dict[str, str]:
    return {"id": module_id, "type": MODULE_TYPE}


def user_modules(user: Row, modules: list[str]) -> dict[str, Any]:
    return {"type": "ppms/user/modules", "id": user["id"], "attributes": {"modules": modules}}


def user_access(module_id: str, access: dict[str, Any]) -> dict[str, Any]:
    return {"id": module_id, "type": "module/access/user", "attributes": access}
