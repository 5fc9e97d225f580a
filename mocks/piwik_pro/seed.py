"""How a Piwik PRO account is seeded: the documented example users and credentials, ~20 Faker users, a few
user groups; then apps of several types, a meta site, permissions that fit the seeded users and groups, group
module access, and the audit entries of the seeded apps."""

from __future__ import annotations

from datetime import timedelta

from mocks.core.clock import parse_instant
from mocks.core.paths import fixture
from mocks.core.store import World

from . import domain_access as access
from . import domain_audit as audit
from . import domain_modules as modules
from .domain import new_group, new_user
from .domain_apps import new_app
from .domain_meta_sites import new_meta_site

_SEED_LANGUAGES = ["en-US"] * 6 + ["de-DE", "fr-FR", "es-ES", "sv-SE", "nl-NL", "fi-FI", "ca-ES", "en-GB"]
_GROUP_NAMES = [
    "Marketing",
    "Analysts",
    "Developers",
    "Agency partners",
    "Sales",
    "Support",
    "Content editors",
    "Data protection",
    "Executives",
    "Regional managers",
]
_GENERATED_APPS = (("web", 2), ("sharepoint", 1))
_TIMEZONES = ("Europe/Berlin", "America/New_York", "UTC", "Europe/London", "Asia/Tokyo")
_CURRENCIES = ("EUR", "USD", "GBP", "JPY", "PLN")


def seed(world: World) -> None:
    _seed_users(world)
    _seed_platform(world)


def _seed_users(world: World) -> None:
    """An account: the documented example users and credentials, ~20 Faker users, a few user groups."""
    rnd, fake = world.rnd, world.rnd.faker
    today = world.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    users, groups = world["users"], world["user_groups"]

    for record in fixture("piwik_pro", "users"):
        users.insert(
            new_user(
                world,
                email=record["email"],
                role=record["role"],
                language=record["language"],
                password=record.get("password"),
                user_id=record["id"],
                added_at=parse_instant(record["addedAt"]).timestamp(),
            )
        )
    for record in fixture("piwik_pro", "credentials"):
        world["credentials"].insert(
            {"id": record["client_id"], "secret": record["client_secret"], "user_id": record["user"]}
        )

    taken = {u["email"] for u in users.values()}
    for index in range(20):
        email = rnd.unique_email(f"{fake.first_name()}.{fake.last_name()}", taken, fake.free_email_domain)
        added = today - timedelta(days=rnd.randint(1, 730), seconds=rnd.randint(0, 86399))
        users.insert(
            new_user(
                world,
                email=email,
                role="OWNER" if index == 0 else "USER",
                language=rnd.choice(_SEED_LANGUAGES),
                added_at=added.timestamp(),
            )
        )

    member_pool = [u["id"] for u in users.values()]
    for record in fixture("piwik_pro", "user_groups"):
        row = new_group(
            world,
            name=record["name"],
            external_id=record["external_id"],
            group_id=record["id"],
            created_at=parse_instant(record["created_at"]),
        )
        groups.insert({**row, "members": list(record["members"])})
    for name in rnd.sample(_GROUP_NAMES, 4):
        created = today - timedelta(
            days=rnd.randint(1, 365), seconds=rnd.randint(0, 86399), milliseconds=rnd.randint(0, 999)
        )
        row = new_group(world, name=name, external_id=rnd.choice([None, None, f"idp-{rnd.hex(8)}"]), created_at=created)
        groups.insert({**row, "members": sorted(rnd.sample(member_pool, rnd.randint(2, 8)))})


def _seed_platform(world: World) -> None:
    """Apps, a meta site, permissions, group module access, the apps' audit entries."""
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
