"""Tasq resources: how an operator's world is seeded and how its rows look on the wire.

A world is one operator (`{OPERATOR}.tasqinc.com`): its teams, users, the tasqs assigned to them and the
support tickets filed. Only the profile object is documented (README); the user, tasq and ticket objects
of the routed operations are inferred from it and from the gateway's request templates
(tests/reference/tasq/backend-api-gateway/api_gateway.2020-07-17.yml).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mocks.core.paths import fixture
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

ISSUE_TYPES = ("BUG", "FEEDBACK", "REQUEST")
PAGES = ("OPS", "MY_TASQS", "WORKFLOW")
# Seed values only (not documented by Tasq): what a field-operations tenant plausibly holds.
_SEED_ROLES = (["Engineer"], ["Field Operator"], ["Field Operator"], ["Optimizer"], ["Engineer", "Admin"])
_SEED_TASQ_TYPES = ("Off-Target", "Prediction", "Workflow", "Manual")


# -- wire formats ---------------------------------------------------------------------------------------
def timestamp(epoch: float) -> str:
    """'2020-07-09 14:03:11' (UTC): the only timestamp format in Tasq's code (the token item's `time`)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M:%S")


def profile(row: Row) -> dict[str, Any]:
    """GET /v1/profile/{user_email}: exactly the README's keys, in its order."""
    return {
        "username": row["username"],
        "user_id": row["id"],
        "accepting_tasqs": row["accepting_tasqs"],
        "teams": row["teams"],
        "user_phone_number": row["user_phone_number"],
    }


def user(row: Row) -> dict[str, Any]:
    """The /v1/users routes: the profile plus what POST /users maps (names, roles) — inferred."""
    return {**profile(row), "first_name": row["first_name"], "last_name": row["last_name"], "roles": row["roles"]}


@row_memo
def user_fragment(row: Row):
    return fragment(user(row))


def tasq(world: World, row: Row) -> dict[str, Any]:
    """Inferred from the gateway's /tasqs templates (`node_id`, `assign_to_user`, `type`; filters `team`,
    `username`) in the profile's snake_case. `team` is read from the assignee now, not stored."""
    return {
        "tasq_id": row["id"],
        "node_id": row["node_id"],
        "type": row["type"],
        "assign_to_user": row["assign_to_user"],
        "team": tasq_team(world, row),
        "time": timestamp(row["time"]),
    }


def ticket(row: Row) -> dict[str, Any]:
    """Inferred: POST /v1/tickets' request and response keys (PascalCase, integer TicketId)."""
    return {
        "TicketId": row["id"],
        "TicketName": row["title"],
        "Username": row["username"],
        "Description": row["description"],
        "IssueType": row["issue_type"],
        "Page": row["page"],
        "Operator": row["operator"],
        "time": timestamp(row["time"]),
    }


# -- lookups --------------------------------------------------------------------------------------------
def user_named(world: World, username: str) -> Row | None:
    """Users are addressed by username (their email), case-sensitively like a DynamoDB key."""
    users = world["users"]
    return users.derived("by_username", lambda: {u["username"]: u for u in users.values()}).get(username)


def seeded_user(world: World, username: str) -> Row:
    """A user a fixture record names: a name no seeded user has is a broken fixture, not a request error."""
    user = user_named(world, username)
    if user is None:
        raise LookupError(f"tasq fixture names an unknown user: {username!r}")
    return user


# -- rows -----------------------------------------------------------------------------------------------
def new_user(
    world: World,
    *,
    username: str,
    user_id: str | None = None,
    accepting_tasqs: bool = True,
    teams: list[str] | None = None,
    user_phone_number: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    roles: list[str] | None = None,
) -> Row:
    return {
        "id": user_id or world.rnd.uuid4(),
        "username": username,
        "accepting_tasqs": accepting_tasqs,
        "teams": list(teams or []),
        "user_phone_number": user_phone_number,
        "first_name": first_name,
        "last_name": last_name,
        "roles": list(roles or []),
    }


def new_tasq(
    world: World, *, node_id: str, type_: str, assignee: Row, time: float | None = None, tasq_id: str | None = None
) -> Row:
    return {
        "id": tasq_id or world.rnd.uuid4(),
        "node_id": node_id,
        "type": type_,
        "assign_to_user": assignee["username"],
        "time": world.clock.time() if time is None else time,
    }


def tasq_team(world: World, row: Row) -> str | None:
    """A tasq belongs to its assignee's first team as the assignee's profile says it now (Tasq's teams are
    the user's `Team_` groups): a team change moves the user's tasqs with it. None without a team."""
    assignee = user_named(world, row["assign_to_user"])
    return assignee["teams"][0] if assignee is not None and assignee["teams"] else None


def new_ticket(world: World, fields: dict[str, str], *, ticket_id: int | None = None, time: float | None = None) -> Row:
    return {
        "id": ticket_id if ticket_id is not None else world["tickets"].next_id(),
        "title": fields["TicketTitle"],
        "username": fields["Username"],
        "description": fields["Description"],
        "issue_type": fields["IssueType"],
        "page": fields["Page"],
        "operator": fields["Operator"],
        "time": world.clock.time() if time is None else time,
    }


# -- seeding --------------------------------------------------------------------------------------------
def e164(world: World) -> str:
    """A US number in E.164 from the 555-0100..0199 block reserved for fiction."""
    return f"+1{world.rnd.randint(201, 989)}5550{world.rnd.randint(100, 199)}"


def seed(world: World) -> None:
    """An operator: the README's teams and users, 20 Faker users, 30 tasqs (one with a well-known id), tickets
    1..39."""
    rnd, fake = world.rnd, world.rnd.faker
    now = world.clock.now().replace(microsecond=0)
    teams = fixture("tasq", "teams")
    world["operator"].insert({"id": world.tenant, "name": world.tenant, "teams": teams})

    for record in fixture("tasq", "users"):
        world["users"].insert(new_user(world, **record))
    domain = fake.domain_name()
    taken = {u["username"] for u in world["users"].values()}
    for _ in range(20):
        first, last = fake.first_name(), fake.last_name()
        username = rnd.unique_email(f"{first}.{last}", taken, domain)
        world["users"].insert(
            new_user(
                world,
                username=username,
                first_name=first,
                last_name=last,
                accepting_tasqs=rnd.chance(0.8),
                teams=rnd.sample(teams, rnd.randint(1, 2)),
                user_phone_number=e164(world),
                roles=list(rnd.choice(_SEED_ROLES)),
            )
        )

    for record in fixture("tasq", "tasqs"):
        world["tasqs"].insert(
            new_tasq(
                world,
                tasq_id=record["tasq_id"],
                node_id=record["node_id"],
                type_=record["type"],
                assignee=seeded_user(world, record["assign_to_user"]),
                time=(now - timedelta(days=record["age_days"])).timestamp(),
            )
        )
    assignees = [u for u in world["users"].values() if u["accepting_tasqs"]]
    wells = [f"{fake.last_name().upper()} {rnd.randint(1, 36)}-{rnd.randint(1, 12)}H" for _ in range(15)]
    for _ in range(30 - len(world["tasqs"])):
        created = now - timedelta(days=rnd.randint(0, 60), seconds=rnd.randint(0, 86399))
        world["tasqs"].insert(
            new_tasq(
                world,
                node_id=rnd.choice(wells),
                type_=rnd.choice(_SEED_TASQ_TYPES),
                assignee=rnd.choice(assignees),
                time=created.timestamp(),
            )
        )

    users = world["users"].values()
    count = int(fixture("tasq", "first_new_ticket_id")) - 1
    for ticket_id in range(1, count + 1):
        filed = now - timedelta(days=(count - ticket_id) * 9 + rnd.randint(1, 8), seconds=rnd.randint(0, 86399))
        fields = {
            "TicketTitle": fake.sentence(nb_words=5).rstrip("."),
            "Username": rnd.choice(users)["username"],
            "Description": fake.paragraph(nb_sentences=2),
            "IssueType": rnd.choice(ISSUE_TYPES),
            "Page": rnd.choice(PAGES),
            "Operator": world.tenant,
        }
        world["tickets"].insert(new_ticket(world, fields, ticket_id=ticket_id, time=filed.timestamp()))
