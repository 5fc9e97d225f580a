"""Piwik PRO meta sites: groups of apps reported together (official `platform_meta_sites_public_v1.yaml`):
rows, their form rules (a unique name), who may see and change them, and the writes (each with its audit
entry)."""

from __future__ import annotations

import re
from typing import Any

from mocks.core.context import current
from mocks.core.pagination import sort_rows
from mocks.core.store import Row, World

from . import domain as d
from . import domain_access as access
from . import domain_audit as audit
from . import errors as e
from .domain import name_errors
from .domain_apps import currencies, timezones
from .errors_services import META_SITES, forbidden
from .jsonapi import identifiers, uuid

NAME_MAX = 191
MAX_APPS_PER_CALL = 1000  # "You can add up to 1000 apps to meta site in one api call."
DEFAULTS = {"currency": "USD", "timezone": "UTC", "e_commerce_tracking": False, "sharepoint_integration": False}
EDITABLE = ("name", "currency", "timezone", "e_commerce_tracking", "sharepoint_integration")
# the `sort` values of the apps-and-meta-sites listing, on its (type, row, created) triples
MIXED_SORTS = {"name": lambda r: r[1]["name"].lower(), "type": lambda r: r[0], "created_at": lambda r: r[2]}
_UTC_OFFSET = re.compile(r"^UTC[+-](?:1[0-4]|0?\d)(?::[0-5]\d)?$")


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


# -- who may do what -------------------------------------------------------------------------------------
def meta_site_for(meta_site_id: str, action: str) -> Row:
    """The meta site, when the caller may perform `action` on it (else the meta-sites service's 403)."""
    row = d.meta_site(meta_site_id)
    may(row, action)
    return row


def may(row: Row, action: str) -> None:
    if not access.can(current().world, d.me(), access.META_SITE, row["id"], action):
        raise forbidden(META_SITES)


def visible(matches) -> list[Row]:
    """The meta sites the caller may view, among those `matches` accepts."""
    world, me = current().world, d.me()
    return [
        r
        for r in world["meta_sites"].values()
        if matches(r) and access.can(world, me, access.META_SITE, r["id"], "view")
    ]


def apps_of(row: Row, inside: bool, matches) -> list[Row]:
    """The apps in (or not in) a meta site, among those `matches` accepts."""
    members = set(row["apps"])
    return [a for a in current().world["apps"].values() if (a["id"] in members) == inside and matches(a)]


def apps_and_meta_sites(matches, action: str) -> list[tuple[str, Row, int]]:
    """(type, row, created) of the apps and meta sites the caller may `action`, among those `matches` accepts."""
    world, me = current().world, d.me()
    rows = [
        ("ppms/app", a, a["added_at"])
        for a in world["apps"].values()
        if matches(a) and access.can(world, me, access.APP, a["id"], action)
    ]
    rows += [
        ("ppms/meta-site", m, m["created_at"])
        for m in world["meta_sites"].values()
        if matches(m) and access.can(world, me, access.META_SITE, m["id"], action)
    ]
    return rows


def ordered_apps_and_meta_sites(matches, action: str, sort: str) -> list[tuple[str, Row, int]]:
    """apps_and_meta_sites in the listing's `sort` order, the demo app always first whatever the sort."""
    ordered = sort_rows(apps_and_meta_sites(matches, action), sort, MIXED_SORTS, tie=lambda r: r[1]["id"])
    ordered.sort(key=lambda r: r[0] != "ppms/app" or r[1]["app_type"] != "demo")  # stable: demo first
    return ordered


def integrity(row: Row) -> tuple[bool, bool]:
    """Whether every app of the meta site shares its currency, and its timezone."""
    apps = current().world["apps"]
    members = [app["settings"] for a in row["apps"] if (app := apps.get(a)) is not None]
    return (
        all(s["currency"] == row["currency"] for s in members),
        all(s["timezone"] == row["timezone"] for s in members),
    )


# -- writes ---------------------------------------------------------------------------------------------
def add(data: dict[str, Any], attributes: dict[str, Any]) -> Row:
    """A new meta site (its id may be chosen, unless an app or meta site has it)."""
    world = current().world
    d.raise_if(attribute_errors(world, attributes, creating=True))
    meta_site_id = uuid(data["id"]) if isinstance(data.get("id"), str) else None
    if meta_site_id and (meta_site_id in world["meta_sites"] or meta_site_id in world["apps"]):
        raise e.problem(e.value_already_used("/data/id"))
    settings = {k: attributes[k] for k in EDITABLE if k in attributes and k != "name"}
    with world.transaction():
        row = world["meta_sites"].insert(
            new_meta_site(world, name=attributes["name"], meta_site_id=meta_site_id, **settings)
        )
        audit.record("meta_site.added", row["id"], {"name": row["name"]})
    return row


def edit(row: Row, attributes: dict[str, Any]) -> None:
    world = current().world
    d.raise_if(attribute_errors(world, attributes, creating=False, except_id=row["id"]))
    changes = {k: attributes[k] for k in EDITABLE if k in attributes}
    with world.transaction():
        world["meta_sites"].update(row["id"], {**changes, "updated_at": int(world.clock.time())})
        audit.record("meta_site.edited", row["id"], changes)


def remove(row: Row) -> None:
    world = current().world
    with world.transaction():
        world["meta_sites"].delete(row["id"])
        access.forget(world, entity_id=row["id"])
        audit.record("meta_site.deleted", row["id"], {"name": row["name"]})


def app_ids(body: Any) -> list[str]:
    """The apps a relationship document names (at most MAX_APPS_PER_CALL; each must exist)."""
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, list) and len(data) > MAX_APPS_PER_CALL:
        raise e.problem(e.too_many_elements("/data", MAX_APPS_PER_CALL))
    return identifiers(body, "ppms/app", d.app)


def add_apps(row: Row, ids: list[str]) -> None:
    world = current().world
    added = [a for a in ids if a not in row["apps"]]
    with world.transaction():
        world["meta_sites"].update(row["id"], {"apps": row["apps"] + added, "updated_at": int(world.clock.time())})
        audit.record("meta_site.apps.added", row["id"], {"apps": added})


def remove_apps(row: Row, ids: list[str]) -> None:
    world = current().world
    doomed = set(ids)
    with world.transaction():
        world["meta_sites"].update(
            row["id"], {"apps": [a for a in row["apps"] if a not in doomed], "updated_at": int(world.clock.time())}
        )
        audit.record("meta_site.apps.removed", row["id"], {"apps": sorted(doomed)})
