"""Piwik PRO resources: how an account is seeded and how its rows look on the wire."""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from mocks.core.clock import parse_instant
from mocks.core.paths import fixture
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

USER_TYPE = "ppms/user"
GROUP_TYPE = "ppms/user-group"
ROLES = ("OWNER", "USER")
DEFAULT_LANGUAGE = "en-US"
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


# -- wire formats ---------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8192)
def user_timestamp(epoch: int) -> str:
    """Users API dates: '2021-08-02T12:16:30+00:00'."""
    return datetime.fromtimestamp(int(epoch), UTC).isoformat()


def group_timestamp(millis: int) -> str:
    """User groups API dates: '2025-03-27T01:33:30.915Z' (rows keep integer milliseconds)."""
    moment = datetime.fromtimestamp(millis // 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


def millis(moment: datetime) -> int:
    """Exact integer milliseconds of an instant (no float rounding)."""
    return int(moment.replace(microsecond=0).timestamp()) * 1000 + moment.microsecond // 1000


def user_resource(row: Row, *, organization: str | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {"email": row["email"], "role": row["role"]}
    if organization is not None:
        attributes["organization"] = organization
    attributes["addedAt"] = user_timestamp(row["added_at"])
    attributes["language"] = row["language"]
    return {"id": row["id"], "type": USER_TYPE, "attributes": attributes}


@row_memo
def user_fragment(row: Row, organization: str | None):
    """A user resource serialized once per row version (lists embed these)."""
    return fragment(user_resource(row, organization=organization))


def invited_user_resource(row: Row) -> dict[str, Any]:
    """The invite response carries no `organization` (official schema and example)."""
    return user_resource(row, organization=None)


def group_resource(row: Row, *, with_external_id: bool = True) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "name": row["name"],
        "created_at": group_timestamp(row["created_at"]),
        "updated_at": group_timestamp(row["updated_at"]),
    }
    if with_external_id:
        attributes["external_id"] = row["external_id"]
    return {"type": GROUP_TYPE, "id": row["id"], "attributes": attributes}


def member_resource(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "type": USER_TYPE, "attributes": {"email": row["email"]}}


# -- passwords (stored hashed: a snapshot never holds a clear-text password) -------------------------------
def password_hash(user_id: str, password: str) -> str:
    return hashlib.sha256(f"{user_id}:{password}".encode()).hexdigest()


# -- rows -----------------------------------------------------------------------------------------------
def new_user(
    world: World,
    *,
    email: str,
    role: str = "USER",
    language: str = DEFAULT_LANGUAGE,
    password: str | None = None,
    user_id: str | None = None,
    added_at: float | None = None,
) -> Row:
    user_id = user_id or world.rnd.uuid4()
    return {
        "id": user_id,
        "email": email,
        "role": role,
        "language": language,
        "added_at": int(world.clock.time() if added_at is None else added_at),
        "password_hash": password_hash(user_id, password) if password else None,
    }


def new_group(
    world: World,
    *,
    name: str,
    external_id: str | None = None,
    group_id: str | None = None,
    created_at: datetime | None = None,
) -> Row:
    created = millis(created_at or world.clock.now())
    return {
        "id": group_id or world.rnd.uuid4(),
        "name": name,
        "external_id": external_id,
        "created_at": created,
        "updated_at": created,
        "members": [],
    }


# -- seeding --------------------------------------------------------------------------------------------
def seed(world: World) -> None:
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
