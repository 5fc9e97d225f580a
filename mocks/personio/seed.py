"""Seeding a company: the documented records of fixtures/personio.yaml plus a generated organisation around
the virtual "today" — a supervisor tree under the CEO, time-offs and hourly absences on working days before and
after today, attendances of the last working days, projects, reports, and a recruiting pipeline whose hires are
employees. Deterministic per (seed, tenant) and virtual time: only world.rnd and world.clock are used.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from mocks.core.clock import parse_instant
from mocks.core.paths import fixture
from mocks.core.store import Row, World

from . import dates
from . import domain as m

GENERATED_EMPLOYEES = 55
DEFAULT_TENANT = "default"
_COLOURS = ["Red", "Blue", "Green", "Yellow", "Black", "Orange", "Purple"]
# when the seeded org units, legal entities and compensation types were set up (v2 shows `create_time`/`created_at`;
# the records carry none): before the earliest documented hire date (2014-11-09); INFERRED
ORG_CREATED = 1414800000.0  # 2014-11-01T00:00:00Z
_TECH_DEPARTMENTS = {401, 281530, 281521}  # report to the CTO, track their time


def _fx(key: str) -> Any:
    return fixture("personio", key)


def _epoch(text: str) -> float:
    return parse_instant(text).timestamp()


def ascii_slug(text: str) -> str:
    """'Jürgen Groß' → 'juergen.gross' for email local parts."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join(part for part in "".join(c if c.isalnum() else " " for c in text).split())


def seed(world: World) -> None:
    now = world.clock.time()
    today = dates.today(now)
    _company(world)
    _org(world)
    employees = _employees(world, now, today)
    _time_offs(world, employees, now, today)
    _absence_periods(world, employees, now, today)
    _attendances(world, employees, now, today)
    _reports(world)
    _recruiting(world, employees, now, today)


# -- company, credentials, org units -------------------------------------------------------------
def _company(world: World) -> None:
    rnd = world.rnd
    record = _fx("company")
    default = world.tenant == DEFAULT_TENANT
    world[m.COMPANY].insert(
        {
            "id": "company",
            "company_id": record["company_id"] if default else rnd.randint(100000, 999999),
            "name": record["name"] if default else f"{world.tenant.title()} GmbH",
            "subdomain": record["subdomain"] if default else world.tenant.lower(),
            "email_domain": record["email_domain"],
            "recruiting_api_key": record["recruiting_api_key"],
            "language": record["language"],
        }
    )
    for credential in _fx("credentials"):
        world[m.CREDENTIALS].insert(
            {
                "id": credential["client_id"],
                "secret": credential["client_secret"],
                "label": credential["label"],
                "created_at": _epoch(credential["created_at"]),
                "v1_scopes": list(credential["v1_scopes"]),
                "v2_scopes": list(credential["v2_scopes"]),
                "attributes": None if credential["attributes"] == "all" else list(credential["attributes"]),
                "v1_token": None,
            }
        )


def _org(world: World) -> None:
    for key, collection in [
        ("subcompanies", m.SUBCOMPANIES),
        ("holiday_calendars", m.HOLIDAY_CALENDARS),
        ("offices", m.OFFICES),
        ("departments", m.DEPARTMENTS),
        ("teams", m.TEAMS),
        ("cost_centers", m.COST_CENTERS),
        ("work_schedules", m.WORK_SCHEDULES),
        ("document_categories", m.DOCUMENT_CATEGORIES),
    ]:
        for record in _fx(key):
            stamped = collection in (m.SUBCOMPANIES, m.OFFICES, m.DEPARTMENTS, m.TEAMS, m.COST_CENTERS)
            world[collection].insert({**record, "created_at": ORG_CREATED} if stamped else dict(record))
    for record in _fx("custom_attributes"):
        world[m.CUSTOM_ATTRIBUTES].insert(
            {
                "id": record["key"],
                "label": record["label"],
                "type": record["type"],
                "global_id": record["global_id"],
                "options": record.get("options", []),
            }
        )
    for record in _fx("time_off_types"):
        world[m.TIME_OFF_TYPES].insert(
            {
                "id": record["id"],
                "name": record["name"],
                "category": record["category"],
                "unit": record["unit"],
                "approval_required": record["approval_required"],
                "entitlement": record.get("entitlement"),
                "absence_type_id": record.get("absence_type_id"),
                "id_v2": record.get("absence_type_id") or m.stable_uuid(world.tenant, "time-off-type", record["id"]),
            }
        )
    for record in _fx("compensation_types"):
        world[m.COMPENSATION_TYPES].insert({**record, "created_at": ORG_CREATED})
    for record in _fx("projects"):
        created = _epoch(record["created_at"])
        world[m.PROJECTS].insert(
            {
                "id": record["id"],
                "name": record["name"],
                "active": record["active"],
                "created_at": created,
                "updated_at": created,
            }
        )


# -- employees -------------------------------------------------------------------------------------
def _entitlements(world: World) -> list[list[int]]:
    return [[t["id"], t["entitlement"]] for t in world[m.TIME_OFF_TYPES].values() if t["entitlement"]]


def employee_defaults(world: World, row: Row) -> Row:
    """Fill what follows from the rest: calendar from the office, schedule from the hours, cost center."""
    office = world[m.OFFICES].get(row["office_id"])
    if row["holiday_calendar_id"] is None and office is not None:
        row["holiday_calendar_id"] = office["holiday_calendar"]
    if row["work_schedule_id"] is None:
        row["work_schedule_id"] = m.working_schedule_for(world, row["weekly_working_hours"])
    if not row["cost_centers"]:
        default = 1000 if row["department_id"] in _TECH_DEPARTMENTS else 1002
        row["cost_centers"] = [[default, 100]]
    if not row["absence_entitlement"]:
        row["absence_entitlement"] = _entitlements(world)
    return row


def _employees(world: World, now: float, today: str) -> list[Row]:
    rnd = world.rnd
    table = world[m.EMPLOYEES]
    for record in _fx("employees"):
        created, updated = _epoch(record["created_at"]), _epoch(record["updated_at"])
        row = m.new_employee(
            id=record["id"],
            first_name=record["first_name"],
            last_name=record["last_name"],
            preferred_name=record.get("preferred_name"),
            email=record["email"],
            gender=record["gender"],
            position=record["position"],
            supervisor_id=record.get("supervisor"),
            employment_type=record.get("employment_type", "internal"),
            department_id=record["department"],
            office_id=record["office"],
            subcompany_id=record["subcompany"],
            team_id=record.get("team"),
            cost_centers=[list(c) for c in record.get("cost_centers", [])],
            hire_date=record["hire_date"],
            probation_period_end=record.get("probation_period_end"),
            weekly_working_hours=record["weekly_working_hours"],
            fix_salary=record["fix_salary"],
            created_at=created,
            updated_at=updated,
            has_picture=True,
            custom=dict(record.get("custom", {})),
            employment_id=record.get("employment_id") or rnd.uuid4(),
            job_id=record.get("job_id") or rnd.uuid4(),
            employment_created_at=created,
            employment_updated_at=updated,
        )
        table.insert(employee_defaults(world, row))

    departments = [d for d in world[m.DEPARTMENTS].values() if d["id"] != 281580]
    heads = {401: 3003, 281550: 4567, 281580: 2, 281560: 5}
    teams_of: dict[int, list[int]] = {}
    for team in world[m.TEAMS].values():
        teams_of.setdefault(team["department"], []).append(team["id"])
    taken = {r["email"] for r in table.values()}
    domain = m.company(world)["email_domain"]
    fake = rnd.faker
    next_id = 5006
    for index in range(GENERATED_EMPLOYEES):
        department = departments[index % len(departments)]
        head = heads.get(department["id"])
        gender = rnd.choice(["male"] * 10 + ["female"] * 10 + ["diverse"])
        first = fake.first_name_female() if gender == "female" else fake.first_name_male()
        last = fake.last_name()
        email = rnd.unique_email(f"{ascii_slug(first)}.{ascii_slug(last)}", taken, domain)
        roll = rnd.random.random()
        status = "active"
        hire = dates.add_days(today, -rnd.randint(60, 3650))
        if head is None:  # the first of a department leads it
            position = department["positions"][-1] if len(department["positions"]) > 1 else department["positions"][0]
            supervisor = 1 if department["id"] in _TECH_DEPARTMENTS else 2
        else:
            position = rnd.choice(department["positions"][:-1] or department["positions"])
            supervisor = head
            if roll < 0.08:
                status, hire = "onboarding", dates.add_days(today, rnd.randint(5, 60))
            elif roll < 0.16:
                status = "inactive"
            elif roll < 0.21:
                status = "leave"
        hours = rnd.choice([40] * 6 + [32, 20])
        created = dates.local_midnight(hire) - rnd.randint(7, 45) * 86400 - rnd.randint(0, 36000)
        created = int(min(created, now - rnd.randint(3600, 30 * 86400)))
        updated = int(created + rnd.random.random() * max(0.0, now - created - 60))
        office = rnd.choice([131014] * 5 + [60302] * 3 + [131020])
        teams = teams_of.get(department["id"], [])
        row = m.new_employee(
            id=next_id,
            first_name=first,
            last_name=last,
            email=email,
            gender=gender,
            status=status,
            position=position,
            supervisor_id=supervisor,
            employment_type=rnd.choice(["internal"] * 9 + ["external"]),
            department_id=department["id"],
            office_id=office,
            subcompany_id=rnd.choice([7033, 7033, 47, 7040]),
            team_id=rnd.choice(teams) if teams and rnd.chance(0.7) else None,
            hire_date=hire,
            probation_period_end=dates.add_days(hire, 182),
            weekly_working_hours=hours,
            fix_salary=round(rnd.randint(3200, 9000) * hours / 40 / 50) * 50,
            created_at=created,
            updated_at=updated,
            has_picture=rnd.chance(0.75),
            employment_id=rnd.uuid4(),
            job_id=rnd.uuid4(),
            employment_created_at=created,
            employment_updated_at=updated,
        )
        if row["employment_type"] == "external":
            row["contract_end_date"] = dates.add_days(today, rnd.randint(30, 400))
        if status == "inactive":
            end = dates.add_days(today, -rnd.randint(10, 200))
            kind = rnd.choice(list(m.TERMINATION_TYPES))
            row.update(
                termination_date=end,
                last_working_day=end,
                termination_type=kind,
                termination_reason=rnd.choice(["New job", "Relocation", "Restructuring", "Career change"]),
                updated_at=max(updated, dates.local_midnight(end) - 30 * 86400),
            )
        row["custom"] = _custom_values(world, row, today)
        attributes = rnd.sample(
            ["position", "office", "department", "weekly_working_hours", "last_name", "team", "fix_salary", "status"],
            rnd.randint(1, 3),
        )
        row["changes"] = m.changed(row, attributes, row["updated_at"])
        if status == "active" and rnd.chance(0.07):  # a rehire: an earlier, ended employment
            row["past_employments"] = [_past_employment(world, row)]
        if head is None:
            heads[department["id"]] = next_id
        table.insert(employee_defaults(world, row))
        next_id += 1
    if not any(r["past_employments"] for r in table.values()):  # every company has a rehire (v2 employments)
        rehire = next(r for r in table.values() if r["id"] >= 5006 and r["status"] == "active")
        table.update(rehire["id"], {"past_employments": [_past_employment(world, rehire)]})
    return table.values()


def _custom_values(world: World, row: Row, today: str) -> dict[str, Any]:
    rnd = world.rnd
    values: dict[str, Any] = {}
    if rnd.chance(0.1):
        values["dynamic_24407"] = "Dr"
    iban = rnd.faker.iban()
    values["dynamic_21827"] = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    anniversary = dates.add_days(row["hire_date"], 5 * 365 + 1)
    if anniversary <= today:
        values["dynamic_33400"] = anniversary
    values["dynamic_180883"] = dates.add_days(today, -rnd.randint(21 * 365, 63 * 365))
    values["dynamic_305"] = rnd.choice(_COLOURS)
    values["dynamic_2"] = rnd.choice(["married", "single"])
    values["dynamic_3"] = ",".join(sorted(rnd.sample(["English", "French", "Spanish", "German"], rnd.randint(1, 3))))
    return values


def _past_employment(world: World, row: Row) -> dict[str, Any]:
    rnd = world.rnd
    end = dates.add_days(row["hire_date"], -rnd.randint(90, 700))
    start = dates.add_days(end, -rnd.randint(300, 1500))
    created = dates.local_midnight(start) - 14 * 86400
    return {
        "id": rnd.uuid4(),
        "position": row["position"],
        "start": start,
        "end": end,
        "weekly_working_hours": 40,
        "office_id": row["office_id"],
        "department_id": row["department_id"],
        "supervisor_id": row["supervisor_id"],
        "termination_type": "QUIT",
        "termination_reason": "New job",
        "created_at": created,
        "updated_at": dates.local_midnight(end),
        "job_id": rnd.uuid4(),
    }


# -- absences and attendances ----------------------------------------------------------------------
def days_count(start: str, end: str, half_start: bool, half_end: bool) -> float:
    """Working days of a time-off, halves counted as 0.5 (on one day, either half makes it 0.5)."""
    count = float(len(dates.working_days(start, end)))
    if start == end:
        return 0.5 if (half_start or half_end) and count else count
    if half_start and dates.is_working_day(start):
        count -= 0.5
    if half_end and dates.is_working_day(end):
        count -= 0.5
    return count


def overlaps(periods: list[tuple[str, str]], start: str, end: str) -> bool:
    return any(not (end < s or start > e) for s, e in periods)


def _time_offs(world: World, employees: list[Row], now: float, today: str) -> None:
    rnd = world.rnd
    table = world[m.TIME_OFFS]
    for record in _fx("time_offs"):
        created = _epoch(record["created_at"])
        table.insert(
            time_off_row(
                record["id"],
                m.stable_uuid(world.tenant, "time-off", record["id"]),
                record["employee"],
                record["type"],
                record["start_date"],
                record["end_date"],
                False,
                False,
                record["status"],
                None,
                created,
                "API",
            )
        )
    next_id = 12346
    for employee in employees:
        if employee["status"] in ("inactive", "onboarding"):
            continue
        taken: list[tuple[str, str]] = []
        plans: list[tuple[int, str, int, str]] = []  # type, start, working days, status
        if employee["status"] == "leave":
            plans.append((1238, dates.add_days(today, -rnd.randint(20, 120)), rnd.randint(120, 200), "approved"))
        if rnd.chance(0.6):
            plans.append(
                (
                    1234,
                    dates.add_days(today, rnd.randint(3, 60)),
                    rnd.randint(1, 10),
                    rnd.choice(["approved", "approved", "pending"]),
                )
            )
        if rnd.chance(0.5):
            plans.append((1234, dates.add_days(today, -rnd.randint(10, 90)), rnd.randint(1, 8), "approved"))
        if rnd.chance(0.25):
            plans.append((1236, dates.add_days(today, -rnd.randint(1, 30)), rnd.randint(1, 3), "approved"))
        if rnd.chance(0.05):
            plans.append((1240, dates.add_days(today, -rnd.randint(1, 60)), 1, "rejected"))
        for type_id, start, length, status in plans:
            while not dates.is_working_day(start):
                start = dates.add_days(start, 1)
            end, counted = start, 1
            while counted < length:
                end = dates.add_days(end, 1)
                counted += dates.is_working_day(end)
            if overlaps(taken, start, end):
                continue
            taken.append((start, end))
            half_end = length > 1 and rnd.chance(0.1)
            created = min(now - 3600, dates.local_midnight(start) - rnd.randint(3, 40) * 86400)
            table.insert(
                time_off_row(
                    next_id,
                    m.stable_uuid(world.tenant, "time-off", next_id),
                    employee["id"],
                    type_id,
                    start,
                    end,
                    False,
                    half_end,
                    status,
                    None,
                    created + rnd.randint(0, 36000),
                    "API",
                )
            )
            next_id += 1


def time_off_row(
    period_id: int,
    id_v2: str,
    employee_id: int,
    type_id: int,
    start: str,
    end: str,
    half_start: bool,
    half_end: bool,
    status: str,
    comment: str | None,
    created_at: float,
    created_by: str,
) -> Row:
    return {
        "id": period_id,
        "id_v2": id_v2,
        "employee_id": employee_id,
        "time_off_type_id": type_id,
        "start_date": start,
        "end_date": end,
        "half_day_start": half_start,
        "half_day_end": half_end,
        "days_count": days_count(start, end, half_start, half_end),
        "status": status,
        "comment": comment,
        "certificate_status": "not-required",
        "created_at": created_at,
        "created_by": created_by,
        "updated_at": created_at,
    }


def breakdowns(
    start: str,
    end: str,
    start_time: str | None,
    end_time: str | None,
    half_start: bool,
    half_end: bool,
    day_minutes: int = 480,
) -> list[dict[str, Any]]:
    """Minutes of absence per working day: a same-day period from its times, else full (or half) days."""
    if start == end and start_time and end_time:
        return [{"date": start, "effective_duration": max(0, dates.minutes(end_time) - dates.minutes(start_time))}]
    result = []
    for day in dates.working_days(start, end):
        duration = day_minutes
        if (day == start and half_start) or (day == end and half_end):
            duration = day_minutes // 2
        result.append({"date": day, "effective_duration": duration})
    return result


def absence_period_row(
    world: World,
    period_id: str,
    employee_id: int,
    type_id: int,
    start: str,
    end: str,
    start_time: str | None,
    end_time: str | None,
    half_start: bool,
    half_end: bool,
    status: str,
    comment: str | None,
    origin: str,
    created_by: int | None,
    created_at: float,
) -> Row:
    first = dates.local_instant(start, start_time) if start_time else dates.local_midnight(start)
    last = dates.local_instant(end, end_time) if end_time else dates.local_midnight(dates.add_days(end, 1))
    parts = breakdowns(start, end, start_time, end_time, half_start, half_end)
    return {
        "id": period_id,
        "employee_id": employee_id,
        "time_off_type_id": type_id,
        "start_date": start,
        "end_date": end,
        "start": first,
        "end": last,
        "half_day_start": half_start,
        "half_day_end": half_end,
        "comment": comment,
        "origin": origin,
        "status": status,
        "timezone": dates.COMPANY_TIMEZONE,
        "created_by": created_by,
        "created_at": created_at,
        "updated_at": created_at,
        "approved_at": created_at if status == "approved" else None,
        "breakdowns": parts,
        "effective_duration": sum(p["effective_duration"] for p in parts),
        "certificate_status": "not-required",
    }


def _absence_periods(world: World, employees: list[Row], now: float, today: str) -> None:
    rnd = world.rnd
    table = world[m.ABSENCE_PERIODS]
    for record in _fx("absence_periods"):
        table.insert(
            absence_period_row(
                world,
                record["id"],
                record["employee"],
                record["type"],
                record["start_date"],
                record["end_date"],
                None,
                None,
                record.get("half_day_start", False),
                False,
                record["status"],
                record.get("comment"),
                record.get("origin", "web"),
                record.get("created_by"),
                _epoch(record["created_at"]),
            )
        )
    working = [e for e in employees if e["status"] == "active"]
    for employee in rnd.sample(working, min(14, len(working))):
        for _ in range(rnd.randint(1, 2)):
            day = dates.add_days(today, rnd.randint(-30, 30))
            while not dates.is_working_day(day):
                day = dates.add_days(day, 1)
            if rnd.chance(0.6):  # a home-office day, or two days in a row
                type_id, end = 1235, day
                times: tuple[str | None, str | None] = ("09:00", "17:00")
                if rnd.chance(0.3):
                    end = dates.add_days(day, 1)
                    while not dates.is_working_day(end):
                        end = dates.add_days(end, 1)
                    times = (None, None)
            else:  # a doctor's appointment
                begin = rnd.choice(["08:00", "10:30", "14:00", "15:30"])
                type_id, end, times = 1241, day, (begin, dates.hhmm(dates.minutes(begin) + rnd.choice([60, 90, 120])))
            status = "approved" if day <= today or type_id == 1241 else rnd.choice(["approved", "pending"])
            created = min(now - 600, dates.local_midnight(day) - rnd.randint(1, 20) * 86400)
            table.insert(
                absence_period_row(
                    world,
                    rnd.uuid4(),
                    employee["id"],
                    type_id,
                    day,
                    end,
                    times[0],
                    times[1],
                    False,
                    False,
                    status,
                    None,
                    rnd.choice(["web", "mobile"]),
                    employee["supervisor_id"],
                    created + rnd.randint(0, 30000),
                )
            )


def _attendances(world: World, employees: list[Row], now: float, today: str) -> None:
    rnd = world.rnd
    table = world[m.ATTENDANCES]
    projects = [p["id"] for p in world[m.PROJECTS].values() if p["active"]]
    away = _days_off(world)
    days: list[str] = []
    day = dates.add_days(today, -1)
    while len(days) < 10:
        if dates.is_working_day(day):
            days.append(day)
        day = dates.add_days(day, -1)
    trackers = [e for e in employees if e["status"] == "active" and e["department_id"] in _TECH_DEPARTMENTS]
    next_id = 1236
    for day in sorted(days):
        for employee in trackers:
            if day < (employee["hire_date"] or day) or (employee["id"], day) in away:
                continue
            start = rnd.choice(range(8 * 60, 9 * 60 + 31, 15))
            length = rnd.choice([450, 480, 510, 540])
            pause = rnd.choice([30, 45, 60])
            recent = day >= days[1]
            status = rnd.choice(["confirmed", "pending"]) if recent else "confirmed"
            updated = dates.local_instant(day, dates.hhmm(min(start + length + pause, 23 * 60))) + rnd.randint(0, 600)
            table.insert(
                {
                    "id": next_id,
                    "id_v2": m.stable_uuid(world.tenant, "attendance", next_id),
                    "employee_id": employee["id"],
                    "date": day,
                    "start_time": dates.hhmm(start),
                    "end_time": dates.hhmm(min(start + length + pause, 23 * 60 + 59)),
                    "break": pause,
                    "comment": rnd.choice([None, None, None, "Sprint planning", "Customer call", "Release"]),
                    "status": status,
                    "project_id": rnd.choice(projects) if projects and rnd.chance(0.3) else None,
                    "created_at": min(updated, now),
                    "updated_at": min(updated, now),
                }
            )
            next_id += 1


def _days_off(world: World) -> set[tuple[int, str]]:
    away: set[tuple[int, str]] = set()
    for period in world[m.TIME_OFFS].values():
        if period["status"] != "rejected":
            for day in dates.days_between(period["start_date"], period["end_date"]):
                away.add((period["employee_id"], day))
    return away


# -- reports ---------------------------------------------------------------------------------------
def _reports(world: World) -> None:
    for record in _fx("custom_reports"):
        created = _epoch(record["created_at"])
        world[m.CUSTOM_REPORTS].insert(
            {
                "id": record["id"],
                "name": record["name"],
                "description": record["description"],
                "author_first_name": record["author"][0],
                "author_last_name": record["author"][1],
                "type": record["type"],
                "status": "up_to_date",
                "columns": list(record["columns"]),
                "period_type": record["period_type"],
                "created_at": created,
                "updated_at": created,
            }
        )


# -- recruiting ------------------------------------------------------------------------------------
_JOB_TEMPLATES = {
    401: ("Senior Software Engineer (m/w/d)", "experienced", "5-7", "software_development", "it"),
    281521: ("Customer Support Agent (m/w/d)", "entry-level", "1-2", "customer_service", "customer_service"),
    281540: ("Content Marketing Manager (m/w/d)", "experienced", "2-5", "marketing", "marketing_and_advertising"),
    281550: ("Account Executive DACH (m/w/d)", "experienced", "2-5", "sales", "sales"),
    281560: ("Working Student Recruiting (m/w/d)", "student", "lt-1", "human_resources", "human_resources"),
    281570: ("Head of Finance (m/w/d)", "executive", "10-15", "finance", "finance"),
    281530: ("IT Administrator (m/w/d)", "experienced", "2-5", "it_administration", "it"),
}


def _recruiting(world: World, employees: list[Row], now: float, today: str) -> None:
    rnd = world.rnd
    for record in _fx("recruiting_channels"):
        world[m.RECRUITING_CHANNELS].insert(dict(record))
    for name in _fx("recruiting_tags"):
        world[m.RECRUITING_TAGS].insert({"id": name, "created_at": now})
    for record in _fx("recruiting_phases"):
        world[m.RECRUITING_PHASES].insert(dict(record))
    for record in _fx("applicant_attributes"):
        world[m.APPLICANT_ATTRIBUTES].insert(
            {"id": record["id"], "label": record["label"], "type": record["type"], "options": record.get("options", [])}
        )
    positions = world[m.JOB_POSITIONS]
    for record in _fx("job_positions"):
        positions.insert(
            {**{k: v for k, v in record.items() if k != "created_at"}, "created_at": _epoch(record["created_at"])}
        )
    statuses = ["published"] * 5 + ["unpublished", "archived"]
    for index, (department, template) in enumerate(_JOB_TEMPLATES.items()):
        name, seniority, years, occupation, category = template
        english = name.replace("(m/w/d)", "(m/f/d)")
        positions.insert(
            {
                "id": positions.next_id(),
                "name": name,
                "subcompany": rnd.choice(["", "CS Demo GmbH"]),
                "office": rnd.choice([131014, 60302]),
                "department": department,
                "recruiting_category": "Various",
                "employment_type": "intern" if seniority == "student" else "permanent",
                "seniority": seniority,
                "schedule": "part-time" if seniority == "student" else "full-time",
                "years_of_experience": years,
                "keywords": ",".join(name.lower().split()[:2]),
                "occupation": occupation,
                "occupation_category": category,
                "created_at": now - rnd.randint(5, 200) * 86400,
                "status": statuses[index % len(statuses)],
                "descriptions": {
                    "de": [
                        {"name": "Deine Aufgaben", "value": f"<p>Als {name} gestaltest du unser Wachstum mit.</p>"},
                        {"name": "Dein Profil", "value": "<ul><li>Teamgeist</li><li>Neugier</li></ul>"},
                    ],
                    "en": [
                        {"name": "Your tasks", "value": f"<p>As {english} you shape our growth.</p>"},
                        {"name": "Your profile", "value": "<ul><li>Team spirit</li><li>Curiosity</li></ul>"},
                    ],
                },
            }
        )
    for position in positions.values():
        if position["status"] == "published":
            for channel in (3, 4):
                posting = f"ext-{position['id']}-{channel}"
                world[m.EXTERNAL_POSTINGS].insert(
                    {"id": posting, "job_position_id": position["id"], "recruiting_channel_id": channel}
                )
    _applications(world, employees, now, today)


def _applications(world: World, employees: list[Row], now: float, today: str) -> None:
    rnd, fake = world.rnd, world.rnd.faker
    applications = world[m.APPLICATIONS]
    positions = world[m.JOB_POSITIONS].values()
    tags = world[m.RECRUITING_TAGS].keys()
    custom_phases = [p["id"] for p in world[m.RECRUITING_PHASES].values()]
    for position in positions:
        if position["status"] == "unpublished":
            continue
        for _ in range(rnd.randint(2, 5)):
            first, last = fake.first_name(), fake.last_name()
            phase = rnd.choice(
                [
                    {"type": "system", "id": "unassigned"},
                    {"type": "system", "id": "rejected"},
                    {"type": "custom", "id": rnd.choice(custom_phases)},
                ]
            )
            applied = dates.add_days(today, -rnd.randint(1, 60))
            applications.insert(
                application_row(
                    applications.next_id(),
                    position["id"],
                    first,
                    last,
                    f"{ascii_slug(first)}.{ascii_slug(last)}@{fake.free_email_domain()}",
                    phase,
                    sorted(rnd.sample(tags, rnd.randint(0, 2))),
                    rnd.choice([1, 2, 3, None]),
                    None,
                    None,
                    applied,
                    dates.local_midnight(applied) + rnd.randint(28800, 64800),
                )
            )
    # hires: the accepted application of every employee who joined in the last two years
    recent = [
        e
        for e in employees
        if e["hire_date"] and e["hire_date"] >= dates.add_days(today, -730) and e["status"] != "inactive"
    ]
    for employee in recent:
        position = next((p for p in positions if p["department"] == employee["department_id"]), positions[0])
        applied = dates.add_days(employee["hire_date"], -rnd.randint(30, 75))
        row = application_row(
            applications.next_id(),
            position["id"],
            employee["first_name"],
            employee["last_name"],
            employee["email"],
            {"type": "system", "id": "accepted"},
            [],
            1,
            None,
            None,
            applied,
            min(now, dates.local_midnight(applied) + 36000),
        )
        applications.insert({**row, "employee_id": employee["id"]})


def application_row(
    application_id: int,
    position_id: int,
    first: str,
    last: str,
    email: str,
    phase: dict[str, Any],
    tags: list[str],
    channel: int | None,
    posting: str | None,
    message: str | None,
    applied: str,
    created_at: float,
    *,
    files: list | None = None,
    attributes: list | None = None,
    source: str = "seed",
) -> Row:
    return {
        "id": application_id,
        "job_position_id": position_id,
        "first_name": first,
        "last_name": last,
        "email": email,
        "phase": phase,
        "tags": tags,
        "recruiting_channel_id": channel,
        "external_posting_id": posting,
        "message": message,
        "application_date": applied,
        "files": files or [],
        "attributes": attributes or [],
        "employee_id": None,
        "created_at": created_at,
        "source": source,
    }
