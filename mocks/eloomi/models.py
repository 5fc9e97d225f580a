"""eloomi resources: how rows look on the wire, the lookups the API offers, and how a platform is seeded.

Memberships live on the user row (`department_ids`, `team_ids`, `manager_ids`), as the user object shows
them; a unit's or team's `users` are derived from them, so there is one truth for both directions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mocks.core.paths import fixture
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

TIMESTAMP = "%Y-%m-%d %H:%M:%S"   # eloomi's "yyyy-mm-dd hh:mm:ss" (UTC in the mock; eloomi does not say)
DEFAULT_ACCESS_GROUP = 3          # {"id": 3, "name": "user"}: every created user's (users/post.md)
USER_STATES = ("active", "pending", "inactive", "suspended")


def timestamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP)


def now_text(world: World) -> str:
    return timestamp(world.clock.now())


# -- users ----------------------------------------------------------------------------------------------

def user_resource(row: Row, *, created: bool = False) -> dict[str, Any]:
    """The user object of the 2018 docs, fields in their order. `created`: the create response, where
    relations not set yet are null rather than [] (users/post.md)."""
    departments = row["department_ids"]
    teams = row["team_ids"]
    return {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "employee_id": row["employee_id"],
        "email": row["email"],
        "username": row["username"],
        "activated_at": row["activated_at"],
        "gender": row["gender"],
        "birthday": row["birthday"],
        "department_id": sorted(departments) if departments or not created else None,
        "user_permission": row["user_permission"],
        "start_of_employment_at": row["start_of_employment_at"],
        "end_of_employment_at": row["end_of_employment_at"],
        "personal_email": row["personal_email"],
        "title": row["title"],
        "phone": row["phone"],
        "mobile_phone": row["mobile_phone"],
        "language": row["language"],
        "access_groups": row["access_groups"],
        "country": row["country"],
        "location": row["location"],
        "legal": row["legal"],
        "level": row["level"],
        "initials": row["initials"],
        "sub_company": None,
        "skill_level": None,
        "salary_id": row["salary_id"],
        "team_id": sorted(teams) if teams or not created else None,
        "direct_manager_ids": list(row["manager_ids"]) or None,   # null when none, in every sample
        "custom_attributes": row["custom_attributes"],
    }


@row_memo
def user_fragment(row: Row):
    """A user serialized once per row version (listings embed these)."""
    return fragment(user_resource(row))


def user_status(row: Row, now: str) -> str:
    """How `mode` sees a user: a past end of employment deactivates (the C# wrapper's docs say so)."""
    if row["state"] != "suspended" and row["end_of_employment_at"] and row["end_of_employment_at"] <= now:
        return "inactive"
    return row["state"]


def new_user(world: World, user_id: int, email: str) -> Row:
    """A freshly created user: what users/post.md's sample shows for fields not sent."""
    return {
        "id": user_id, "first_name": "", "last_name": "", "employee_id": None, "email": email, "username": None,
        "activated_at": None, "gender": None, "birthday": None, "user_permission": "user",
        "start_of_employment_at": None, "end_of_employment_at": None, "personal_email": None, "title": None,
        "phone": None, "mobile_phone": None, "language": "en", "language_iso": None, "generic_role": None,
        "access_groups": access_group_refs(world, [DEFAULT_ACCESS_GROUP]), "country": None, "location": None,
        "legal": None, "level": None, "initials": None, "salary_id": None, "department_ids": [], "team_ids": [],
        "manager_ids": [], "custom_attributes": blank_custom_attributes(world), "state": "pending",
        "created_at": now_text(world),
    }


def blank_custom_attributes(world: World) -> dict[str, Any]:
    return {key: None for key in world["company"].get("company")["custom_attributes"]}


def access_group_refs(world: World, ids: list[int]) -> list[dict[str, Any]]:
    groups = world["access_groups"]
    return [{"id": i, "name": groups.get(i)["name"]} for i in dict.fromkeys(ids) if i in groups]


# -- lookups (each computed once per change of the users collection) ------------------------------------

def _first_by(world: World, name: str, key) -> dict[str, Row]:
    users = world["users"]

    def index() -> dict[str, Row]:
        found: dict[str, Row] = {}
        for row in users.values():          # id order: the lowest id wins a shared value
            value = key(row)
            if value is not None:
                found.setdefault(value, row)
        return found

    return users.derived(name, index)


def by_pk(world: World, collection: str, pk: Any) -> Row | None:
    """A row by its integer id as sent in a path; anything that is no id finds nothing."""
    text = str(pk).strip()
    return world[collection].get(int(text)) if text.isdigit() else None


def user_by_employee_id(world: World, employee_id: str) -> Row | None:
    return _first_by(world, "by_employee_id", lambda u: _fold(u["employee_id"])).get(_fold(employee_id))


def user_by_email(world: World, email: str) -> Row | None:
    """Emails compare case-insensitively (MySQL's default collation)."""
    return _first_by(world, "by_email", lambda u: _fold(u["email"])).get(_fold(email))


def _fold(value: str | None) -> str | None:
    return None if value is None else value.strip().casefold()


def members(world: World, field: str) -> dict[int, list[int]]:
    """unit id → user ids (field "department_ids") or team id → user ids ("team_ids")."""
    users = world["users"]

    def index() -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for row in users.values():
            for key in row[field]:
                found.setdefault(key, []).append(row["id"])
        return found

    return users.derived(("members", field), index)


# -- units, teams, courses ------------------------------------------------------------------------------

def unit_resource(world: World, row: Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "code": row["code"], "parent_id": row["parent_id"],
            "users": members(world, "department_ids").get(row["id"], []), "leaders": list(row["leader_ids"]),
            "access_groups": access_group_refs(world, row["access_group_ids"])}


def unit_by_code(world: World, code: str) -> Row | None:
    """Codes are not unique: the lowest id wins (inferred)."""
    units = world["units"]
    index = units.derived("by_code", lambda: _first_code(units.values()))
    return index.get(_fold(code))


def _first_code(rows: list[Row]) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for row in rows:
        if row["code"] is not None:
            found.setdefault(_fold(row["code"]), row)
    return found


def team_resource(world: World, row: Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "description": row["description"],
            "users": members(world, "team_ids").get(row["id"], []), "leaders": list(row["leader_ids"]),
            "custom_attributes": row["custom_attributes"]}


COURSE_FIELDS = ("id", "name", "description", "active", "cover", "created_at", "updated_at", "due_date",
                 "expected_duration", "inform_leader_deadline", "lock_after_deadline", "points", "price",
                 "reference_number", "reward", "voluntary")


@row_memo
def course_resource(row: Row) -> dict[str, Any]:
    return {field: row[field] for field in COURSE_FIELDS}


def participant_status(row: Row) -> str:
    if row["completed_at"]:
        return "completed"
    return "started" if row["started_at"] else "not_started"


@row_memo
def participant_resource(row: Row, extended: bool) -> dict[str, Any]:
    """ParticipantsSuccess fields in the reference's (alphabetical) order; `renewal_at` and `status` only
    with extended_mode."""
    item: dict[str, Any] = {"assigned_at": row["assigned_at"], "attempts": row["attempts"],
                            "completed_at": row["completed_at"], "course_id": row["course_id"],
                            "deadline": row["deadline"], "progress": row["progress"]}
    if extended:
        item["renewal_at"] = row["renewal_at"]
    item.update({"required": row["required"], "score": row["score"], "started_at": row["started_at"]})
    if extended:
        item["status"] = participant_status(row)
    item.update({"time_spent": row["time_spent"], "user_id": row["user_id"]})
    return item


def participant_key(course_id: int, user_id: int) -> str:
    return f"{course_id}:{user_id}"


def new_participant(world: World, course_id: int, user_id: int, *, deadline: str | None = None,
                    required: int = 0, assigned_at: str | None = None) -> Row:
    return {"id": participant_key(course_id, user_id), "course_id": course_id, "user_id": user_id,
            "assigned_at": assigned_at or now_text(world), "attempts": 0, "completed_at": None,
            "deadline": deadline, "progress": "0.00", "renewal_at": None, "required": required, "score": "0.00",
            "started_at": None, "time_spent": 0, "custom_attributes": {}}


def assign_team_courses(world: World, team: Row, user_ids: list[int] | None = None, *,
                        assigned_at: str | None = None) -> None:
    """Members of a team take its courses (with the team's deadline and required flag); existing
    participations are left as they are."""
    participants = world["participants"]
    targets = user_ids if user_ids is not None else members(world, "team_ids").get(team["id"], [])
    for course_key, terms in team["course_map"].items():
        course_id = int(course_key)
        if course_id not in world["courses"]:
            continue
        for user_id in targets:
            key = participant_key(course_id, user_id)
            if key not in participants:
                participants.insert(new_participant(world, course_id, user_id, deadline=terms.get("deadline"),
                                                    required=terms.get("required", 0), assigned_at=assigned_at))


# -- seeding --------------------------------------------------------------------------------------------

EMAIL_DOMAIN = "northwind-learning.example"
_DEPARTMENTS = [  # (name, code, parent: a fixture unit id or the index of an earlier entry as "#n")
    ("Leadership Team", "leadership", 6), ("Sales Denmark", "sales-dk", 7), ("Marketing", "marketing", 7),
    ("Engineering", "engineering", 7), ("People & Culture", "people", 7), ("Finance", "finance", 7),
    ("Platform", "platform", "#3"), ("Mobile", "mobile", "#3"), ("Sales APAC", "sales-apac", 8),
    ("Customer Success APAC", "cs-apac", 8), ("Sales MEA", "sales-mea", 9), ("Operations MEA", "ops-mea", 9),
]
_TEAMS = ["Onboarding 2024", "Safety champions", "Mentors", "First-aid responders", "Managers forum",
          "GDPR ambassadors", "Graduate programme", "Sustainability group", "Hybrid work pilots",
          "Sales academy", "New managers"]
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
        generated[first_id + index] = {"id": first_id + index, "name": name, "code": code, "parent_id": parent_id,
                                       "access_group_ids": [24] if rnd.chance(0.25) else []}
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
            users.insert({**new_user(world, user_id, record["email"]), **record, "access_groups": groups,
                          "created_at": "2017-07-01 09:30:11"})
            continue
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}@{EMAIL_DOMAIN}".lower()
        while email in taken:
            email = f"{first}.{last}{rnd.randint(2, 99)}@{EMAIL_DOMAIN}".lower()
        taken.add(email)
        start = now - timedelta(days=rnd.randint(40, 3000), seconds=rnd.randint(0, 86399))
        state = rnd.random.choices(USER_STATES, weights=[75, 10, 10, 5])[0]
        activated = None if state == "pending" else start + timedelta(days=rnd.randint(0, 20), seconds=rnd.randint(0, 86399))
        end = None
        if state == "inactive":
            end = now - timedelta(days=rnd.randint(1, 30))
        elif state == "active" and rnd.chance(0.05):
            end = now + timedelta(days=rnd.randint(10, 120))
        home = documented_members.get(user_id) or rnd.sample(departments, 2 if rnd.chance(0.15) else 1)
        unit = world["units"].get(home[0])
        row = {**new_user(world, user_id, email),
               "first_name": first, "last_name": last,
               "employee_id": f"E{user_id:04d}" if rnd.chance(0.9) else None,
               "username": f"{first}{last}".lower() if rnd.chance(0.1) else None,
               "activated_at": timestamp(activated) if activated else None,
               "gender": rnd.choice(["M", "F", None]),
               "birthday": fake.date_of_birth(minimum_age=20, maximum_age=64).isoformat(),
               "department_ids": sorted(home),
               "start_of_employment_at": timestamp(start),
               "end_of_employment_at": timestamp(end) if end else None,
               "title": fake.job(), "phone": fake.numerify("+45 ## ## ## ##"),
               "mobile_phone": fake.numerify("+45 ## ## ## ##") if rnd.chance(0.5) else None,
               "language": rnd.choice(_LANGUAGES),
               "access_groups": access_group_refs(world, [3, 5] if rnd.chance(0.1) else [3]),
               "country": "", "location": unit["name"], "legal": "", "level": rnd.randint(0, 5),
               "initials": (first[0] + last[0]).upper(),
               "salary_id": rnd.randint(1000, 9999) if rnd.chance(0.3) else None,
               "custom_attributes": dict(blank), "state": state, "created_at": timestamp(start)}
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
        record = documented.get(team_id) or {"id": team_id, "name": next(names),
                                             "description": fake.sentence(nb_words=6) if rnd.chance(0.6) else None}
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
        courses.insert({
            "id": course_id, "name": name, "description": description, "active": 0 if rnd.chance(0.1) else 1,
            "cover": rnd.randint(100, 999) if rnd.chance(0.7) else None, "created_at": timestamp(created),
            "updated_at": timestamp(updated), "due_date": None, "expected_duration": rnd.choice([15, 20, 30, 45, 60, 90]),
            "inform_leader_deadline": int(rnd.chance(0.3)), "lock_after_deadline": int(rnd.chance(0.2)),
            "points": rnd.choice([0, 10, 25, 50]), "price": "0.00",
            "reference_number": f"C-{1000 + course_id}" if rnd.chance(0.5) else None,
            "reward": int(rnd.chance(0.3)), "voluntary": int(not renews and rnd.chance(0.5)), "renews": renews})

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
    row = new_participant(world, course["id"], user_id, assigned_at=timestamp(assigned),
                          required=int(not course["voluntary"]),
                          deadline=(assigned + timedelta(days=rnd.randint(30, 90))).date().isoformat()
                          if rnd.chance(0.5) else None)
    stage = rnd.random.choices(["not_started", "started", "completed"], weights=[3, 4, 3])[0]
    if stage == "not_started":
        return row
    started = assigned + timedelta(days=rnd.randint(0, 9), seconds=rnd.randint(0, 86399))
    row.update(started_at=timestamp(started), attempts=rnd.randint(1, 2), time_spent=rnd.randint(60, 5400),
               progress=rnd.choice(_PROGRESS))
    if stage == "completed":
        completed = min(started + timedelta(days=rnd.randint(0, 9), seconds=rnd.randint(0, 86399)), now)
        row.update(completed_at=timestamp(completed), progress="100.00", score=f"{rnd.randint(60, 100)}.00",
                   renewal_at=timestamp(completed + timedelta(days=365)) if course["renews"] else None)
    return row
