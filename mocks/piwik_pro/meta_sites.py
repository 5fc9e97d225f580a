"""Piwik PRO meta sites: groups of apps reported together (official `platform_meta_sites_public_v1.yaml`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from mocks.core.store import Row, World

from . import errors as e
from .apps import currencies, timezones
from .rules import name_errors

META_SITE_TYPE = "ppms/meta-site"
NAME_MAX = 191
MAX_APPS_PER_CALL = 1000  # "You can add up to 1000 apps to meta site in one api call."
DEFAULTS = {"currency": "USD", "timezone": "UTC", "e_commerce_tracking": False, "sharepoint_integration": False}
EDITABLE = ("name", "currency", "timezone", "e_commerce_tracking", "sharepoint_integration")
_UTC_OFFSET = re.compile(r"^UTC[+-](?:1[0-4]|0?\d)(?::[0-5]\d)?$")


def timestamp(epoch: int) -> str:
    """Meta-site dates: '2019-07-30T12:53:46Z' (the spec's example)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_meta_site(
    world: World,
    *,
    name: str,
    meta_site_id: str | None = None,
    created_at: float | None = None,
    apps: list[str] | None = None,
    **settings: Any,
) -> Row:
    created = int(world.clock.time() if created_at is None else created_at)
    return {
        "id": meta_site_id or world.rnd.uuid4(),
        "name": name,
        **DEFAULTS,
        **settings,
        "created_at": created,
        "updated_at": created,
        "apps": list(apps or []),
    }


def cnil(world: World, row: Row) -> bool:
    """ "true if any of apps in meta site has CNIL integration enabled"."""
    apps = world["apps"]
    return any(app["settings"]["cnil"] for a in row["apps"] if (app := apps.get(a)) is not None)


def resource(world: World, row: Row, organization: str) -> dict[str, Any]:
    attributes = {
        "name": row["name"],
        "currency": row["currency"],
        "timezone": row["timezone"],
        "e_commerce_tracking": row["e_commerce_tracking"],
        "sharepoint_integration": row["sharepoint_integration"],
        "cnil": cnil(world, row),
        "created_at": timestamp(row["created_at"]),
        "updated_at": timestamp(row["updated_at"]),
        "organization": organization,
    }
    return {"id": row["id"], "type": META_SITE_TYPE, "attributes": attributes}


def list_item(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": META_SITE_TYPE,
        "attributes": {
            "name": row["name"],
            "created_at": timestamp(row["created_at"]),
            "updated_at": timestamp(row["updated_at"]),
        },
    }


def app_item(app: Row) -> dict[str, Any]:
    """An app as the meta-sites API lists it (`App` schema)."""
    settings = app["settings"]
    return {
        "type": "ppms/app",
        "id": app["id"],
        "attributes": {
            "name": app["name"],
            "timezone": settings["timezone"],
            "currency": settings["currency"],
            "cnil": settings["cnil"],
        },
    }


def attribute_errors(
    world: World, attributes: dict[str, Any], *, creating: bool, except_id: str | None = None
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if creating or "name" in attributes:
        name = attributes.get("name")
        found += name_errors(name, "/data/attributes/name", NAME_MAX)
        taken = (
            not found
            and isinstance(name, str)  # name_errors refuses anything else
            and any(m["name"].lower() == name.lower() and m["id"] != except_id for m in world["meta_sites"].values())
        )
        if taken:  # "Adds meta site with unique name"
            found.append(e.value_already_used("/data/attributes/name"))
    if "currency" in attributes and attributes["currency"] not in currencies():
        found.append(e.not_valid("/data/attributes/currency"))
    zone = attributes.get("timezone", "UTC")
    if zone not in timezones() and not (isinstance(zone, str) and _UTC_OFFSET.match(zone)):
        found.append(e.not_valid("/data/attributes/timezone"))
    return found
