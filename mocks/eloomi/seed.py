"""How an eloomi platform is seeded: the documented records of fixtures/eloomi.yaml, and around them a
department tree, users with managers, teams, courses and participants, all from the world's RNG."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mocks.core.paths import fixture
from mocks.core.store import Row, World

from .domain import (
    USER_STATES,
    access_group_refs,
    assign_team_courses,
    blank_custom_attributes,
    members,
    new_participant,
    new_user,
    timestamp,
)

EMAIL_DOMAIN = "northwind-learning.example"
_DEPARTMENTS = [  # (name, code, parent: a fixture unit id or the index of an earlier entry as "#n")
    ("Leadership Team", "leadership", 6),
    ("Sales Denmark", "sales-dk", 7),
    ("Marketing", "marketing", 7),
    ("Engineering", "engineering", 7),
    ("People & Culture", "people", 7),
    ("Finance", "finance", 7),
    ("Platform", "platform", "#3"),
    ("Mobile", "mobile", "#3"),
    ("Sales APAC", "sales-apac", 8),
    ("Customer Success APAC", "cs-apac", 8),
    ("Sales MEA", "sales-mea", 9),
    ("Operations MEA", "ops-mea", 9),
]
_TEAMS = [
    "Onboarding 2024",
    "Safety champions",
    "Mentors",
    "First-aid responders",
    "Managers forum",
    "GDPR ambassadors",
    "Graduate programme",
    "Sustainability group",
    "Hybrid work pilots",
    "Sales academy",
    "New managers",
]
_COURSES = [  # (name, description, renews yearly)
    ("Welcome to the company", "Your first days: who we are, how we work, where to find help.", False),
    ("GDPR essentials", "Personal data, lawful processing and what to do about a breach.", True),
    ("Information security basics", "Passwords, phishing and keeping devices safe.", True),
    ("Code of conduct", "How we do business and treat each other.", True),
    ("Anti-bribery and corruption", "Recognising and refusing improper advantages.", True),
    ("Giving feedback", "Making feedback specific, timely and kind.", False),
    ("Leading hybrid teams", "Rituals and tools for teams that are rarely in one room.", False),
    ("Fire safety", "Evacuation routes, extinguishers and assembly points.", True),
    ("Customer service excellence", "Listening, owning the problem and following up.", False),
    ("Negotiation skills", "Preparing, anchoring and closing a negotiation.", False),
    ("Time management", "Planning the week and protecting focus time.", False),
    ("Diversity and inclusion", "Everyday inclusion and unconscious bias.", False),
]
_LANGUAGES = ["en"] * 6 + ["da", "da", "sv", "de"]
_PROGRESS = ["16.67", "33.33", "50.00", "66.67", "83.33"]


def seed(world: World) -> None:
    """A company: the documented records, a department tree, ~90 users with managers, teams, courses and
    participants at every stage of progress."""
    world["company"].insert({"id": "company", "custom_attributes": fixture("eloomi", "custom_attributes")})
    for record in fixture("eloomi", "clients"):
        world["clients"].insert({"id": str(record["client_id"]), "secret": record["client_secret"]})
    for record in fixture("eloomi", "access_groups"):
        world["access_groups"].insert(dict(record))
    _seed_units(world)
    _seed_users(world)
    _seed_teams(world)
    _seed_courses(world)


def _seed_anchor(world: World) -> datetime:
    """Seeded dates count back from the start of today (virtual clock): two worlds seeded the same day
    from the same seed are identical, whatever the second they were seeded at."""
    return world.clock.now().replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)


def _seed_units(world: World) -> None:
    rnd, units = world.rnd, world["units"]
    documented = {u["id"]: u for u in fixture("eloomi", "units")}
    generated: dict[int, Row] = {}
    first_id = 10
    for index, (name, code, parent) in enumerate(_DEPARTMENTS):
        parent_id = first_id + int(parent[1:]) if isinstance(parent, str) else parent
        generated[first_id + index] = {
            "id": first_id + index,
            "name": name,
            "code": code,
            "parent_id": parent_id,
            "access_group_ids": [24] if rnd.chance(0.25) else [],
        }
    rows = {**{k: {**v, "access_group_ids": []} for k, v in documented.items()}, **generated}
    for unit_id in sorted(rows):
        units.insert({**rows[unit_id], "leader_ids": [], "managers": {}})


def _seed_users(world: World) -> None:
    rnd, fake, users = world.rnd, world.rnd.faker, world["users"]
    now = _seed_anchor(world)
    documented = {u["id"]: u for u in fixture("eloomi", "users")}
    documented_members: dict[int, list[int]] = {}
    for unit_id, user_ids in (fixture("eloomi", "unit_members") or {}).items():
        for user_id in user_ids:
            documented_members.setdefault(user_id, []).append(int(unit_id))
    departments = [u["id"] for u in world["units"].values() if 10 <= u["id"] < 10 + len(_DEPARTMENTS)]
    taken = {u["email"].lower() for u in documented.values()}
    blank = blank_custom_attributes(world)

    for user_id in range(1, fixture("eloomi", "user_count") + 1):
        if user_id in documented:
            record = documented[user_id]
            groups = access_group_refs(world, record.pop("access_group_ids"))
            users.insert(
                {
                    **new_user(world, user_id, record["email"]),
                    **record,
                    "access_groups": groups,
                    "created_at": "2017-07-01 09:30:11",
                }
            )
            continue
        first, last = fake.first_name(), fake.last_name()
        email = rnd.unique_email(f"{first}.{last}", taken, EMAIL_DOMAIN)
        start = now - timedelta(days=rnd.randint(40, 3000), seconds=rnd.randint(0, 86399))
        state = rnd.random.choices(USER_STATES, weights=[75, 10, 10, 5])[0]
        activated = (
            None if state == "pending" else start + timedelta(days=rnd.randint(0, 20), seconds=rnd.randint(0, 86399))
        )
        end = None
        if state == "inactive":
            end = now - timedelta(days=rnd.randint(1, 30))
        elif state == "active" and rnd.chance(0.05):
            end = now + timedelta(days=rnd.randint(10, 120))
        home = documented_members.get(user_id) or rnd.sample(departments, 2 if rnd.chance(0.15) else 1)
        unit = world["units"].get(home[0])
        if unit is None:  # departments are seeded first; unit_members may only name seeded units
            raise LookupError(f"eloomi fixture puts user {user_id} in unknown unit {home[0]}")
        row = {
            **new_user(world, user_id, email),
            "first_name": first,
            "last_name": last,
            "employee_id": f"E{user_id:04d}" if rnd.chance(0.9) else None,
            "username": f"{first}{last}".lower() if rnd.chance(0.1) else None,
            "activated_at": timestamp(activated) if activated else None,
            "gender": rnd.choice(["M", "F", None]),
            "birthday": fake.date_of_birth(minimum_age=20, maximum_age=64).isoformat(),
            "department_ids": sorted(home),
            "start_of_employment_at": timestamp(start),
            "end_of_employment_at": timestamp(end) if end else None,
            "title": fake.job(),
            "phone": fake.numerify("+45 ## ## ## ##"),
            "mobile_phone": fake.numerify("+45 ## ## ## ##") if rnd.chance(0.5) else None,
            "language": rnd.choice(_LANGUAGES),
            "access_groups": access_group_refs(world, [3, 5] if rnd.chance(0.1) else [3]),
            "country": "",
            "location": unit["name"],
            "legal": "",
            "level": rnd.randint(0, 5),
            "initials": (first[0] + last[0]).upper(),
            "salary_id": rnd.randint(1000, 9999) if rnd.chance(0.3) else None,
            "custom_attributes": dict(blank),
            "state": state,
            "created_at": timestamp(start),
        }
        users.insert(row)

    # a leader for every generated department, and each of its members' direct manager
    for unit_id in departments:
        staff = [u for u in users.values() if unit_id in u["department_ids"] and u["id"] not in documented]
        if not staff:
            continue
        leader = rnd.choice(staff)["id"]
        world["units"].update(unit_id, {"leader_ids": [leader]})
        for row in staff:
            if row["id"] != leader and not row["manager_ids"] and rnd.chance(0.85):
                users.update(row["id"], {"manager_ids": [leader]})


def _seed_teams(world: World) -> None:
    rnd, fake, teams, users = world.rnd, world.rnd.faker, world["teams"], world["users"]
    documented = {t["id"]: t for t in fixture("eloomi", "teams")}
    names = iter(_TEAMS)
    total = len(documented) + len(_TEAMS)
    for team_id in range(1, total + 1):
        record = documented.get(team_id) or {
            "id": team_id,
            "name": next(names),
            "description": fake.sentence(nb_words=6) if rnd.chance(0.6) else None,
        }
        teams.insert({**record, "leader_ids": [], "custom_attributes": {}, "course_map": {}, "program_map": {}})
    fixed = {u["id"] for u in fixture("eloomi", "users")}
    team_ids = list(range(1, total + 1))
    for row in users.values():
        if row["id"] not in fixed and rnd.chance(0.6):
            users.update(row["id"], {"team_ids": sorted(rnd.sample(team_ids, rnd.randint(1, 2)))})
    for team_id in team_ids:
        staff = members(world, "team_ids").get(team_id, [])
        changes: dict[str, Any] = {"leader_ids": [rnd.choice(staff)] if staff else []}
        if rnd.chance(0.3):
            changes["custom_attributes"] = {"cost_center": f"CC-{rnd.randint(100, 999)}"}
        teams.update(team_id, changes)


def _seed_courses(world: World) -> None:
    rnd, courses, participants = world.rnd, world["courses"], world["participants"]
    now = _seed_anchor(world)
    for course_id, (name, description, renews) in enumerate(_COURSES, start=1):
        created = now - timedelta(days=rnd.randint(400, 1500), seconds=rnd.randint(0, 86399))
        updated = created + timedelta(days=rnd.randint(0, 300), seconds=rnd.randint(0, 86399))
        courses.insert(
            {
                "id": course_id,
                "name": name,
                "description": description,
                "active": 0 if rnd.chance(0.1) else 1,
                "cover": rnd.randint(100, 999) if rnd.chance(0.7) else None,
                "created_at": timestamp(created),
                "updated_at": timestamp(updated),
                "due_date": None,
                "expected_duration": rnd.choice([15, 20, 30, 45, 60, 90]),
                "inform_leader_deadline": int(rnd.chance(0.3)),
                "lock_after_deadline": int(rnd.chance(0.2)),
                "points": rnd.choice([0, 10, 25, 50]),
                "price": "0.00",
                "reference_number": f"C-{1000 + course_id}" if rnd.chance(0.5) else None,
                "reward": int(rnd.chance(0.3)),
                "voluntary": int(not renews and rnd.chance(0.5)),
                "renews": renews,
            }
        )

    learners = [u["id"] for u in world["users"].values() if u["state"] != "pending"]
    for course in courses.values():
        for user_id in sorted(rnd.sample(learners, rnd.randint(6, 20))):
            participants.insert(_seeded_participant(world, course, user_id, now))

    # the first team's onboarding: everyone in "All employees" takes the welcome course
    welcome = {"1": {"deadline": None, "required": 1}}
    team = world["teams"].update(6, {"course_map": welcome})
    assign_team_courses(world, team, assigned_at=timestamp(now - timedelta(days=1)))


def _seeded_participant(world: World, course: Row, user_id: int, now: datetime) -> Row:
    rnd = world.rnd
    assigned = now - timedelta(days=rnd.randint(10, 400), seconds=rnd.randint(0, 86399))
    row = new_participant(
        world,
        course["id"],
        user_id,
        assigned_at=timestamp(assigned),
        required=int(not course["voluntary"]),
        deadline=(assigned + timedelta(days=rnd.randint(30, 90))).date().isoformat() if rnd.chance(0.5) else None,
    )
    stage = rnd.random.choices(["not_started", "started", "completed"], weights=[3, 4, 3])[0]
    if stage == "not_started":
        return row
    started = assigned + timedelta(days=rnd.randint(0, 9), seconds=rnd.randint(0, 86399))
    row.update(
        started_at=timestamp(started),
        attempts=rnd.randint(1, 2),
        time_spent=rnd.randint(60, 5400),
        progress=rnd.choice(_PROGRESS),
    )
    if stage == "completed":
        completed = min(started + timedelta(days=rnd.randint(0, 9), seconds=rnd.randint(0, 86399)), now)
        row.update(
            completed_at=timestamp(completed),
            progress="100.00",
            score=f"{rnd.randint(60, 100)}.00",
            renewal_at=timestamp(completed + timedelta(days=365)) if course["renews"] else None,
        )
    return row
