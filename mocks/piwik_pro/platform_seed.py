"""Seeding of the platform beyond users and groups: apps of several types, a meta site, permissions that
fit the seeded users and groups, group module access, and the audit entries of the seeded apps."""

from __future__ import annotations

from datetime import timedelta

from mocks.core.clock import parse_instant
from mocks.core.paths import fixture
from mocks.core.store import World

from . import access, audit, modules
from .apps import new_app
from .meta_sites import new_meta_site

_GENERATED_APPS = (("web", 2), ("sharepoint", 1))
_TIMEZONES = ("Europe/Berlin", "America/New_York", "UTC", "Europe/London", "Asia/Tokyo")
_CURRENCIES = ("EUR", "USD", "GBP", "JPY", "PLN")


def seed(world: World) -> None:
    rnd, fake = world.rnd, world.rnd.faker
    today = world.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    apps, owner = world["apps"], world["users"].get(fixture("piwik_pro", "credentials")[0]["user"])

    for record in fixture("piwik_pro", "apps"):
        apps.insert(
            new_app(
                world,
                name=record["name"],
                urls=record["urls"],
                app_type=record["appType"],
                app_id=record["id"],
                added_at=parse_instant(record["addedAt"]).timestamp(),
                settings={"timezone": record["timezone"], "currency": record["currency"]},
            )
        )
    for app_type, count in _GENERATED_APPS:
        for _ in range(count):
            domain = fake.unique.domain_name()
            added = today - timedelta(days=rnd.randint(30, 900), seconds=rnd.randint(0, 86399))
            apps.insert(
                new_app(
                    world,
                    name=fake.unique.company()[:90],
                    app_type=app_type,
                    added_at=added.timestamp(),
                    urls=[f"https://{domain}", f"https://www.{domain}"][: rnd.randint(1, 2)],
                    settings={
                        "timezone": rnd.choice(_TIMEZONES),
                        "currency": rnd.choice(_CURRENCIES),
                        "cnil": rnd.chance(0.3),
                    },
                )
            )
    apps.insert(
        new_app(
            world,
            name="Demo site",
            app_type="demo",
            urls=["https://demo.piwik.pro"],
            added_at=(today - timedelta(days=1000)).timestamp(),
        )
    )

    generated = [a["id"] for a in apps.values() if a["app_type"] != "demo"]
    for record in fixture("piwik_pro", "meta_sites"):
        world["meta_sites"].insert(
            new_meta_site(
                world,
                name=record["name"],
                meta_site_id=record["id"],
                timezone=record["timezone"],
                currency=record["currency"],
                created_at=parse_instant(record["created_at"]).timestamp(),
                apps=record["apps"] + rnd.sample(generated[1:], 2),
            )
        )

    for record in fixture("piwik_pro", "permissions"):
        access.grant(
            world,
            record["entity_type"],
            record["entity_id"],
            record["subject_type"],
            record["subject_id"],
            record["permission"],
        )
    users = [u for u in world["users"].values() if u["role"] == "USER"]
    for app_id in generated[1:]:
        for user in rnd.sample(users, 3):
            access.grant(
                world, access.APP, app_id, access.USER, user["id"], rnd.choice(access.PERMISSIONS[access.APP][1:])
            )
    for record in fixture("piwik_pro", "group_module_access"):
        modules.set_access(world, access.GROUP, record["group"], record["module"], True)

    for app in sorted(apps.values(), key=lambda a: a["added_at"]):
        world["audit_log"].insert(
            audit.new_entry(
                world,
                type_="app.added",
                subject_id=app["id"],
                payload={"id": app["id"], "name": app["name"]},
                author=owner,
                ip=fake.ipv4_public(),
                created_at=app["added_at"],
            )
        )
