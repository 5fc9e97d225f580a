"""Filling a fresh Tasq operator: the README's teams and users, Faker users, tasqs and tickets.

The fixtures (fixtures/tasq.yaml) hold what the README shows; the rest is Faker through `world.rnd`.
"""

from __future__ import annotations

from datetime import timedelta

from mocks.core.paths import fixture
from mocks.core.store import Row, World

from .domain import new_tasq, new_ticket, new_user, user_named

ISSUE_TYPES = ("BUG", "FEEDBACK", "REQUEST")
PAGES = ("OPS", "MY_TASQS", "WORKFLOW")
# Seed values only (not documented by Tasq): what a field-operations tenant plausibly holds.
_SEED_ROLES = (["Engineer"], ["Field Operator"], ["Field Operator"], ["Optimizer"], ["Engineer", "Admin"])
_SEED_TASQ_TYPES = ("Off-Target", "Prediction", "Workflow", "Manual")


def seeded_user(world: World, username: str) -> Row:
    """A user a fixture record names: a name no seeded user has is a broken fixture, not a request error."""
    user = user_named(world, username)
    if user is None:
        raise LookupError(f"tasq fixture names an unknown user: {username!r}")
    return user


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
