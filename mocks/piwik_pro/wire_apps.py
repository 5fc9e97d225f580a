"""How apps look on the wire (official `platform_apps_public_v2.yaml`): the App_JsonApi resource, the list
items, and the permission listings of the Apps API."""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row

from .wire import user_timestamp

APP_TYPE = "ppms/app"

# the `sort` values of the app listing and of the group permission listing, and the row field each sorts on
APP_SORTS = {
    "name": lambda a: a["name"].lower(),
    "addedAt": lambda a: a["added_at"],
    "updatedAt": lambda a: a["updated_at"],
}
NAME_SORTS = {"name": lambda a: a["name"].lower()}


def app_resource(row: Row, organization: str) -> dict[str, Any]:
    """App_JsonApi: the read-only attributes, then every editable one."""
    attributes = {
        "name": row["name"],
        "urls": row["urls"],
        "organization": organization,
        "appType": row["app_type"],
        "addedAt": user_timestamp(row["added_at"]),
        "updatedAt": user_timestamp(row["updated_at"]),
        **row["settings"],
    }
    return {"type": APP_TYPE, "id": row["id"], "attributes": attributes}


def list_item(row: Row) -> dict[str, Any]:
    """App_List_JsonApi items carry the name and dates only."""
    return {
        "type": APP_TYPE,
        "id": row["id"],
        "attributes": {
            "name": row["name"],
            "addedAt": user_timestamp(row["added_at"]),
            "updatedAt": user_timestamp(row["updated_at"]),
        },
    }


def user_permissions(user: Row, granted: list[str]) -> dict[str, Any]:
    """A deprecated app-permissions item: a user and their actions on the app."""
    return {
        "type": "ppms/app_permissions_for_user",
        "id": user["id"],
        "attributes": {"displayName": user["email"], "access": granted},
    }


def group_permission(app: Row, permission: str) -> dict[str, Any]:
    """An app with a user group's permission on it."""
    return {
        "type": "ppms/app_permissions_for_user_group",
        "id": app["id"],
        "attributes": {"app_name": app["name"], "access": permission},
    }
