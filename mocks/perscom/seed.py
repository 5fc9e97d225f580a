"""A seeded organisation: a unit roster that looks real.

The catalogues of fixtures/perscom.yaml (ranks, positions, units, statuses, awards...) with their ids in
fixture order, the well-known users and API keys, then ~40 Faker users, each with a rank earned through
rank records, a primary assignment record matching their unit/position/specialty/status, service, award,
qualification and combat records, plus calendars and events, forms and submissions, tasks, categories,
tags, announcements and a newsfeed. Every reference points at an existing row. Only `world.rnd` and the
virtual clock are used.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mocks.core.paths import fixture
from mocks.core.store import Row, World

from . import auth
from .domain import new_row
from .domain_resources import MODELS
from .laravel import stamp

ROSTER_SIZE = 40
DAY = timedelta(days=1)


class Seeder:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rnd = world.rnd
        self.now = world.clock.now().replace(microsecond=0)

    def ago(self, days_min: float, days_max: float) -> datetime:
        seconds = self.rnd.random.uniform(days_min * 86400, days_max * 86400)
        return self.now - timedelta(seconds=int(seconds))

    def insert(self, model_name: str, values: dict[str, Any], when: datetime | None = None) -> Row:
        model = MODELS[model_name]
        moment = stamp(when or self.ago(400, 900))
        return self.world[model.table].insert(new_row(self.world, model, values, stamp=moment))

    def row(self, table: str, key: Any) -> Row:
        """A row the seed inserted earlier: these lookups cannot miss."""
        row = self.world[table].get(key)
        if row is None:
            raise LookupError(f"seed: {table} {key!r} looked up before it was inserted")
        return row

    def pivot(self, table: str, row: dict[str, Any], when: datetime | None = None, timestamps: bool = True) -> Row:
        collection = self.world[table]
        full = {"id": collection.next_id(), **row}
        if timestamps:
            moment = stamp(when or self.ago(30, 400))
            full.update(created_at=moment, updated_at=moment)
        return collection.insert(full)


def seed(world: World) -> None:
    s = Seeder(world)
    organization = auth.organizations().get(world.tenant)
    sso_key = (organization or {}).get("single_sign_on_key") or f"sso-{world.rnd.hex(32)}"
    world.update_settings({"single_sign_on_key": sso_key})
    _catalogues(s)
    _users(s)
    _records(s)
    _activities(s)
    _keys(s, organization)
    _v2_era(s)  # last: the v1-era rows above come out exactly as before the v2 resources existed


def _catalogues(s: Seeder) -> None:
    for order, (name, abbreviation, paygrade) in enumerate(fixture("perscom", "ranks")):
        s.insert(
            "Rank",
            {
                "name": name,
                "abbreviation": abbreviation,
                "paygrade": paygrade,
                "order": order,
                "description": f"{name} ({paygrade})",
            },
            s.ago(700, 900),
        )
    for order, name in enumerate(fixture("perscom", "positions")):
        s.insert("Position", {"name": name, "order": order}, s.ago(700, 900))
    for order, (name, abbreviation) in enumerate(fixture("perscom", "specialties")):
        s.insert("Specialty", {"name": name, "abbreviation": abbreviation, "order": order}, s.ago(700, 900))
    for order, name in enumerate(fixture("perscom", "units")):
        s.insert("Unit", {"name": name, "order": order, "hidden": name == "Recruiting Office"}, s.ago(700, 900))
    for order, (name, units) in enumerate(fixture("perscom", "groups")):
        group = s.insert("Group", {"name": name, "order": order}, s.ago(700, 900))
        for unit in units:
            s.pivot("group_unit", {"group_id": group["id"], "unit_id": unit}, timestamps=False)
    for name, text_color, bg_color in fixture("perscom", "statuses"):
        s.insert("Status", {"name": name, "text_color": text_color, "bg_color": bg_color}, s.ago(700, 900))
    for order, name in enumerate(fixture("perscom", "awards")):
        s.insert("Award", {"name": name, "order": order, "description": f"The {name}."}, s.ago(700, 900))
    for order, name in enumerate(fixture("perscom", "qualifications")):
        s.insert("Qualification", {"name": name, "order": order}, s.ago(700, 900))
    for name in fixture("perscom", "tags"):
        s.insert("Tag", {"name": name}, s.ago(700, 900))
    for model, owner, count in (("Rank", "ranks", 6), ("Award", "awards", 4)):
        for row in s.world[owner].values()[:count]:
            s.insert(
                "Image",
                {
                    "name": f"{row['name']} insignia",
                    "filename": f"{owner}-{row['id']}.png",
                    "path": f"images/{owner}-{row['id']}.png",
                    "model_type": f"App\\Models\\{model}",
                    "model_id": row["id"],
                },
                s.ago(600, 700),
            )
    for name, key, kind in fixture("perscom", "fields"):
        s.insert(
            "Field",
            {"name": name, "key": key, "type": kind, "required": False, "readonly": False, "hidden": False},
            s.ago(600, 700),
        )


def _users(s: Seeder) -> None:
    fake, rnd = s.rnd.faker, s.rnd
    taken = set()
    for record in fixture("perscom", "users"):
        joined = s.ago(500, 800)
        values = {**record, "email_verified_at": stamp(joined + DAY), "last_seen_at": stamp(s.ago(0, 2))}
        s.insert("User", values, joined)
        taken.add(record["email"])
    ranks, positions = len(s.world["ranks"]), len(s.world["positions"])
    specialties, units = len(s.world["specialties"]), len(s.world["units"])
    while len(s.world["users"]) < ROSTER_SIZE:
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}@{fake.free_email_domain()}".lower()
        if email in taken:
            continue
        taken.add(email)
        joined = s.ago(30, 700)
        approved = rnd.chance(0.92)
        status = rnd.choice([1] * 8 + [2, 3, 4]) if approved else 5
        s.insert(
            "User",
            {
                "name": f"{first} {last}",
                "email": email,
                "email_verified_at": stamp(joined + DAY),
                "position_id": rnd.randint(2, positions),
                "rank_id": min(ranks, 1 + int(rnd.random.triangular(0, ranks, 2))),
                "specialty_id": rnd.randint(1, specialties),
                "status_id": status,
                "unit_id": rnd.randint(2, units - 1) if approved else None,
                "approved": approved,
                "last_seen_at": stamp(s.ago(0, 20)) if rnd.chance(0.8) else None,
            },
            joined,
        )


def _records(s: Seeder) -> None:
    rnd = s.rnd
    awards, qualifications = len(s.world["awards"]), len(s.world["qualifications"])
    documents = []
    for name, content in fixture("perscom", "documents"):
        documents.append(
            s.insert(
                "Document",
                {"name": name, "content": content, "author_id": 1, "description": f"{name} template."},
                s.ago(650, 700),
            )
        )
    for user in s.world["users"].values():
        joined = datetime.strptime(user["created_at"], "%Y-%m-%dT%H:%M:%S.000000Z").replace(tzinfo=s.now.tzinfo)
        span = max(1.0, (s.now - joined).total_seconds() / 86400)

        def when(fraction: float, joined: datetime = joined, span: float = span) -> datetime:
            return joined + timedelta(days=span * fraction)

        base = {"user_id": user["id"], "author_id": 1}
        s.insert(
            "ServiceRecord",
            {**base, "text": "Enlisted in the organization.", "document_id": documents[0]["id"]},
            when(0),
        )
        s.insert(
            "AssignmentRecord",
            {
                **base,
                "type": "primary",
                "status_id": user["status_id"],
                "unit_id": user["unit_id"],
                "position_id": user["position_id"],
                "specialty_id": user["specialty_id"],
                "text": "Initial assignment.",
            },
            when(0.02),
        )
        steps = list(range(2, (user["rank_id"] or 1) + 1))
        path = sorted(rnd.sample(steps, min(len(steps), 4))) if steps else []
        if path and path[-1] != user["rank_id"]:
            path[-1] = user["rank_id"]
        s.insert("RankRecord", {**base, "rank_id": 1, "type": 0, "text": "Enlisted."}, when(0.01))
        for index, rank in enumerate(path):
            rank_name = s.row("ranks", rank)["name"]
            s.insert(
                "RankRecord",
                {
                    **base,
                    "rank_id": rank,
                    "type": 0,
                    "document_id": documents[1]["id"],
                    "text": f"Promoted to {rank_name}.",
                },
                when(0.1 + 0.85 * (index + 1) / (len(path) + 1)),
            )
        for award in rnd.sample(range(1, awards + 1), rnd.randint(0, 3)):
            s.insert(
                "AwardRecord",
                {**base, "award_id": award, "document_id": documents[2]["id"], "text": "For meritorious service."},
                when(rnd.random.uniform(0.2, 1)),
            )
        for qualification in rnd.sample(range(1, qualifications + 1), rnd.randint(0, 3)):
            s.insert(
                "QualificationRecord",
                {**base, "qualification_id": qualification, "text": "Completed the course."},
                when(rnd.random.uniform(0.1, 1)),
            )
        for _ in range(rnd.randint(0, 2)):
            operation = s.rnd.faker.city()
            s.insert(
                "CombatRecord",
                {**base, "text": f"Participated in Operation {operation}."},
                when(rnd.random.uniform(0.2, 1)),
            )
        s.pivot(
            "model_has_statuses",
            {
                "status_id": user["status_id"],
                "model_type": "App\\Models\\User",
                "model_id": user["id"],
                "text": "Status set on enlistment.",
            },
            when(0.02),
        )
        if rnd.chance(0.3):
            for field in s.world["fields"].values():
                s.pivot(
                    "model_has_fields",
                    {"field_id": field["id"], "model_type": "App\\Models\\User", "model_id": user["id"]},
                    when(0.05),
                )


def _activities(s: Seeder) -> None:
    rnd, world = s.rnd, s.world
    today = s.now.replace(hour=0, minute=0, second=0)
    for name, color in fixture("perscom", "calendars"):
        calendar = s.insert(
            "Calendar", {"name": name, "color": color, "description": f"{name} calendar."}, s.ago(500, 600)
        )
        s.pivot(
            "taggables",
            {"tag_id": 1, "taggable_type": "App\\Models\\Calendar", "taggable_id": calendar["id"]},
            timestamps=False,
        )
    for name, calendar, days, hours in fixture("perscom", "events"):
        start = today + timedelta(days=days, hours=19)
        event = _event(s, name, calendar, start, hours, f"{name}.")
        if rnd.chance(0.5):
            s.insert(
                "Image",
                {
                    "name": f"{name} banner",
                    "filename": f"event-{event['id']}.png",
                    "path": f"images/event-{event['id']}.png",
                    "model_type": "App\\Models\\Event",
                    "model_id": event["id"],
                },
                min(start - 9 * DAY, s.now),
            )
    for index, (name, slug, description) in enumerate(fixture("perscom", "forms"), start=1):
        form = s.insert(
            "Form",
            {
                "name": name,
                "slug": slug,
                "description": description,
                "is_public": index == 1,
                "success_message": "Thank you, your submission was received.",
                "submission_status_id": 5,
            },
            s.ago(500, 600),
        )
        for field in world["fields"].values():
            s.pivot(
                "model_has_fields",
                {"field_id": field["id"], "model_type": "App\\Models\\Form", "model_id": form["id"]},
                s.ago(400, 500),
            )
    users = world["users"].values()
    for user in rnd.sample(users, 8):
        submitted = s.ago(1, 200)
        submission = s.insert(
            "Submission",
            {
                "form_id": rnd.randint(1, len(world["forms"])),
                "user_id": user["id"],
                "data": {"discord_username": user["name"].replace(" ", "").lower()},
            },
            submitted,
        )
        s.pivot(
            "model_has_statuses",
            {
                "status_id": rnd.choice([1, 5]),
                "model_type": "App\\Models\\Submission",
                "model_id": submission["id"],
                "text": "Received.",
            },
            submitted,
        )
    for title, form in fixture("perscom", "tasks"):
        task = s.insert("Task", {"title": title, "form_id": form, "description": f"{title}."}, s.ago(100, 200))
        for user in rnd.sample(users, 5):
            assigned = s.ago(1, 90)
            s.pivot(
                "task_assignments",
                {
                    "task_id": task["id"],
                    "user_id": user["id"],
                    "assigned_by_id": 1,
                    "assigned_at": stamp(assigned),
                    "due_at": stamp(assigned + 14 * DAY),
                    "completed_at": stamp(assigned + 3 * DAY) if rnd.chance(0.4) else None,
                    "expires_at": None,
                },
                assigned,
            )
    for title, content, color in fixture("perscom", "announcements"):
        s.insert(
            "Announcement",
            {"title": title, "content": content, "color": color, "expires_at": stamp(today + 30 * DAY)},
            s.ago(1, 20),
        )
    for name, resource, ids in fixture("perscom", "categories"):
        category = s.insert(
            "Category", {"name": name, "resource": resource, "description": f"{name}."}, s.ago(300, 400)
        )
        target = {"awards": "Award", "ranks": "Rank"}[resource]
        for related in ids:
            s.pivot(
                "model_has_categories",
                {"category_id": category["id"], "model_id": related, "model_type": f"App\\Models\\{target}"},
                s.ago(200, 300),
            )
    _recurring_events(s, today)
    for record in sorted(world["rank_records"].values(), key=lambda r: r["created_at"])[-10:]:
        user = s.row("users", record["user_id"])
        created = datetime.strptime(record["created_at"], "%Y-%m-%dT%H:%M:%S.000000Z").replace(tzinfo=s.now.tzinfo)
        item = s.insert(
            "Newsfeed",
            {
                "log_name": "newsfeed",
                "description": f"{user['name']} {record['text'].lower()}",
                "subject_type": "App\\Models\\RankRecord",
                "subject_id": record["id"],
                "event": "created",
                "causer_type": "App\\Models\\User",
                "causer_id": "1",
                "properties": {"headline": "Promotion", "text": record["text"]},
            },
            created,
        )
        for liker in rnd.sample(users, rnd.randint(0, 4)):
            s.pivot(
                "likes",
                {"model_type": "App\\Models\\Newsfeed", "model_id": item["id"], "user_id": liker["id"]},
                created + DAY,
            )


def _event(s: Seeder, name: str, calendar: int, start: datetime, hours: float, description: str, **more: Any) -> Row:
    """A seeded event: held on the main server, written by the admin (user 1) ten days before it starts."""
    fields = {
        "name": name,
        "calendar_id": calendar,
        "author_id": 1,
        "all_day": False,
        "start": stamp(start),
        "end": stamp(start + timedelta(hours=hours)),
        "description": description,
        "location": "Main server",
        "interval": 1,
    }
    return s.insert("Event", {**fields, **more}, min(start - 10 * DAY, s.now))


RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _recurring_events(s: Seeder, today: datetime) -> None:
    """Weekly events with their RRULE parts (`by_day` is a JSON list: what `all in`/`any in` filter on).
    INFERRED field values (PERSCOM's docs show none): frequency WEEKLY, end_type never. No randomness: the
    rest of the world does not move when these change."""
    for name, calendar, days, hours, offsets in fixture("perscom", "recurring_events"):
        start = today + timedelta(days=days, hours=18)
        by_day = [RRULE_DAYS[(start.weekday() + offset) % 7] for offset in offsets]
        _event(
            s,
            name,
            calendar,
            start,
            hours,
            f"{name}, weekly.",
            repeats=True,
            frequency="WEEKLY",
            end_type="never",
            by_day=by_day,
            rrule=f"FREQ=WEEKLY;INTERVAL=1;BYDAY={','.join(by_day)}",
        )


def _keys(s: Seeder, organization: dict[str, Any] | None) -> None:
    """The organisation's well-known API keys (fixed claims: the printed tokens never change)."""
    if organization is None:
        return
    issued, expires = fixture("perscom", "key_issued_at"), fixture("perscom", "key_expires_at")
    for key in organization.get("keys", []):
        auth.issue_key(
            s.world,
            key["user"],
            key["scopes"],
            name=key["label"],
            jti=key["jti"],
            issued=issued,
            expires=expires,
            lifetime=None,
        )


def _v2_era(s: Seeder) -> None:
    """The resources v2 added (APPH routes/api.php, SPEC2), a few of each, and the users' v2 columns derived from their
    records (PERSCOM keeps last_rank_change_date / last_assignment_change_date on the user)."""
    world, rnd = s.world, s.rnd
    for user in list(world["users"].values()):
        ranks = [r["created_at"] for r in world["rank_records"].values() if r["user_id"] == user["id"]]
        assignments = [a["created_at"] for a in world["assignment_records"].values() if a["user_id"] == user["id"]]
        world["users"].update(
            user["id"],
            {
                "last_rank_change_date": max(ranks, default=None),
                "last_assignment_change_date": max(assignments, default=None),
            },
        )
    issuer = s.insert("Issuer", {"name": "Training Command"}, s.ago(300, 400))
    for order, (name, kind) in enumerate(
        (
            ("Basic Rifle Marksmanship", "certification"),
            ("Combat Lifesaver", "certification"),
            ("Range Safety Officer", "license"),
        )
    ):
        s.insert(
            "Credential",
            {"name": name, "type": kind, "issuer_id": issuer["id"], "order": order, "description": f"{name}."},
            s.ago(300, 400),
        )
    for order, name in enumerate(("Land Navigation", "Radio Procedures", "First Aid")):
        s.insert("Competency", {"name": name, "order": order, "description": f"{name}."}, s.ago(300, 400))
    for order, (name, position) in enumerate((("Squad Leader", 2), ("Rifleman", 5))):
        s.insert("Slot", {"name": name, "position_id": position, "order": order}, s.ago(300, 400))
    users = list(world["users"].values())
    for user in rnd.sample(users, 5):
        when = s.ago(1, 120)
        record = s.insert(
            "TrainingRecord",
            {"user_id": user["id"], "author_id": 1, "instructor_id": 1, "text": "Completed the basic course."},
            when,
        )
        s.pivot("training_record_competencies", {"training_record_id": record["id"], "competency_id": 1}, when)
        s.pivot("training_record_credentials", {"training_record_id": record["id"], "credential_id": 1}, when)
        s.insert(
            "Comment",
            {
                "author_id": 1,
                "model_type": "App\\Models\\User",
                "model_id": user["id"],
                "comment": "Good work at the range.",
            },
            when,
        )
    s.insert(
        "Message",
        {
            "message": "Operation briefing at 1900.",
            "channels": ["database", "mail"],
            "recipients": None,
            "repeats": False,
            "sent_at": stamp(s.ago(1, 5)),
        },
        s.ago(5, 10),
    )
    attachment = s.insert(
        "Attachment",
        {"name": "Enlistment contract", "filename": "contract.pdf", "path": "attachments/contract.pdf"},
        s.ago(30, 60),
    )
    s.pivot(
        "model_has_attachments",
        {"attachment_id": attachment["id"], "model_type": "App\\Models\\User", "model_id": 1},
        s.ago(1, 30),
    )
    for group, name, payload in (
        (None, "organization", world.tenant),
        ("dashboard", "title", "PERSCOM"),
        ("registration", "enabled", 1),
    ):
        s.insert("Setting", {"group": group, "name": name, "payload": payload, "locked": False}, s.ago(300, 400))
