"""How the access control API's answers look on the wire (official `platform_access_control_public_v2.yaml`):
entity actions, entities with an action, global actions, and the user and group permission listings."""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row

from .domain_access import APP, META_SITE

ENTITY_TYPES = {APP: "ppms/app", META_SITE: "ppms/meta-site"}
NAME_SORTS = {"name": lambda g: g["name"].lower()}  # the group listings' `sort`


def entity_actions(entity_id: str, granted: list[str]) -> dict[str, Any]:
    return {"type": "ppms/permission/entity/actions", "id": entity_id, "attributes": {"actions": granted}}


def entity(row: Row, entity_type: str) -> dict[str, Any]:
    """An app, meta site (`entity_type` access.APP / META_SITE) or user ("ppms/user") with an action."""
    return {"id": row["id"], "type": "ppms/permission/entity", "attributes": {"entityType": entity_type}}


def global_actions(granted: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {"id": entity, "type": "ppms/permissions/global", "attributes": {"permissions": permissions}}
        for entity, permissions in granted.items()
    ]


def user_permission(user: Row, resource_type: str, grant: dict[str, Any], *, deprecated: bool) -> dict[str, Any]:
    """A user's own and group permission; the deprecated listing wraps the own one in a list."""
    attributes: dict[str, Any] = {"email": user["email"], "group_permissions": grant["group_permissions"]}
    if deprecated:
        attributes["permissions"] = [grant["permission"]]
    else:
        attributes["permission"] = grant["permission"]
    return {"id": user["id"], "type": resource_type, "attributes": attributes}


def group_permission(group: Row, resource_type: str, permission: str) -> dict[str, Any]:
    return {"id": group["id"], "type": resource_type, "attributes": {"name": group["name"], "permission": permission}}
