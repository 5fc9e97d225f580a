"""How meta sites look on the wire (official `platform_meta_sites_public_v1.yaml`): their dates, the meta
site resource and list items, an app as the meta-sites API lists it, the mixed apps-and-meta-sites listing and
the integrity check."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mocks.core.store import Row, World

from .domain_meta_sites import cnil

META_SITE_TYPE = "ppms/meta-site"

# the `sort` values of the meta site listing and of its app listings, and the row field each sorts on
META_SITE_SORTS = {
    "name": lambda r: r["name"].lower(),
    "created_at": lambda r: r["created_at"],
    "updated_at": lambda r: r["updated_at"],
}
APP_SORTS = {
    "name": lambda a: a["name"].lower(),
    "created_at": lambda a: a["added_at"],
    "updated_at": lambda a: a["updated_at"],
    "cnil": lambda a: a["settings"]["cnil"],
}


def timestamp(epoch: int) -> str:
    """Meta-site dates: '2019-07-30T12:53:46Z' (the spec's example)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def mixed_item(kind: str, row: Row, at: int) -> dict[str, Any]:
    """An app or a meta site in the apps-and-meta-sites listing."""
    return {"type": kind, "id": row["id"], "attributes": {"name": row["name"], "created_at": timestamp(at)}}


def integrity(row: Row, valid_currency: bool, valid_timezone: bool) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": "meta-site/apps/integrity",
        "attributes": {"valid_currency": valid_currency, "valid_timezone": valid_timezone},
    }
