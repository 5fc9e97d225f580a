"""eloomi operations, one function per operationId of specs/eloomi.yaml.

Connexion has routed, authenticated (auth.verify) and schema-checked the request; these read the input as
Laravel would, call the resource module and wrap the answer in eloomi's envelope. A record that does not
exist is 204 No Content, as eloomi documents for every lookup.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content
from mocks.core.store import Row, World

from . import auth, courses, teams, units, users
from . import errors as e
from . import models as m
from .fields import Input


def _ok(data: Any, extended_message: str):
    """A success with data: message null, the text in extended_message (users/get.md and the rest)."""
    return json_response(e.envelope(200, None, extended_message, data=data))


def _done(message: str):
    """A success without data: the text in message (users/pk/delete.md)."""
    return json_response(e.envelope(200, message, ""))


def _world() -> World:
    return current().world


# -- token --------------------------------------------------------------------------------------------

async def issue_token(body: Any = None):
    ctx = current()
    with ctx.world.transaction():
        token = auth.token_response(ctx.world, Input.of(body).data, ctx.header("authorization"))
    return json_response(token, media_type="application/json; charset=UTF-8",
                         headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


# -- users --------------------------------------------------------------------------------------------

async def list_users(per_page: int | None = None, page: int | None = None, mode: str = "all",
                     employee_id: str | None = None):
    ctx = current()
    world = ctx.world
    rows = world["users"]
    if mode == "all" and employee_id is None:   # what clients poll: rendered once per change of the users
        listing = rows.derived("listing", lambda: [m.user_fragment(u) for u in rows.values()])
    else:
        now = m.now_text(world)
        wanted = None if employee_id is None else employee_id.strip().casefold()
        listing = [m.user_fragment(u) for u in rows.values()
                   if (mode == "all" or m.user_status(u, now) == mode)
                   and (wanted is None or (u["employee_id"] or "").strip().casefold() == wanted)]
    if per_page is None:
        per_page = ctx.vendor.settings_of(world)["users_default_per_page"]
    if per_page and per_page > 0:
        start = (max(1, page or 1) - 1) * per_page
        listing = listing[start:start + per_page]
    return _ok(listing, "Showing all users.")


async def create_user(body: Any = None):
    row = users.create(_world(), Input.of(body))
    return _ok(m.user_resource(row, created=True), "The user was created.")


def _user_answer(row: Row | None):
    return no_content() if row is None else _ok(m.user_fragment(row), "Showing user details.")


def _update_user(row: Row | None, body: Any):
    if row is None:
        return no_content()
    return _ok(m.user_fragment(users.update(_world(), row, Input.of(body))), "The user was updated.")


def _delete_user(row: Row | None):
    if row is None:
        return no_content()
    users.delete(_world(), row)
    return _done("The user was deleted.")


async def get_user(pk: str):
    return _user_answer(m.by_pk(_world(), "users", pk))


async def update_user(pk: str, body: Any = None):
    return _update_user(m.by_pk(_world(), "users", pk), body)


async def delete_user(pk: str):
    return _delete_user(m.by_pk(_world(), "users", pk))


async def get_user_by_employee_id(employee_id: str):
    return _user_answer(m.user_by_employee_id(_world(), employee_id))


async def update_user_by_employee_id(employee_id: str, body: Any = None):
    return _update_user(m.user_by_employee_id(_world(), employee_id), body)


async def delete_user_by_employee_id(employee_id: str):
    return _delete_user(m.user_by_employee_id(_world(), employee_id))


async def get_user_by_email(email: str):
    return _user_answer(m.user_by_email(_world(), email))


async def update_user_by_email(email: str, body: Any = None):
    return _update_user(m.user_by_email(_world(), email), body)


async def delete_user_by_email(email: str):
    return _delete_user(m.user_by_email(_world(), email))


async def update_user_team_by_employee_id(employee_id: str, team_id: str):
    world = _world()
    user, team = m.user_by_employee_id(world, employee_id), m.by_pk(world, "teams", team_id)
    if user is None or team is None:
        raise e.no_user_or_team()
    users.join_team(world, user, team)
    return _done("User teams updated")


# -- units --------------------------------------------------------------------------------------------

async def list_units():
    world = _world()
    return _ok([m.unit_resource(world, u) for u in world["units"].values()], "Showing all units.")


async def create_unit(body: Any = None, unique: str | None = None):
    world = _world()
    return _ok(m.unit_resource(world, units.create(world, Input.of(body), unique)), "New unit created.")


def _unit_answer(row: Row | None):
    return no_content() if row is None else _ok(m.unit_resource(_world(), row), "Showing the unit.")


def _update_unit(row: Row | None, body: Any):
    if row is None:
        return no_content()
    world = _world()
    return _ok(m.unit_resource(world, units.update(world, row, Input.of(body))), "Unit was updated.")


def _delete_unit(row: Row | None):
    if row is None:
        return no_content()
    units.delete(_world(), row)
    return _done("The unit was deleted.")


async def get_unit(pk: str):
    return _unit_answer(m.by_pk(_world(), "units", pk))


async def update_unit(pk: str, body: Any = None):
    return _update_unit(m.by_pk(_world(), "units", pk), body)


async def delete_unit(pk: str):
    return _delete_unit(m.by_pk(_world(), "units", pk))


async def get_unit_by_code(code: str):
    return _unit_answer(m.unit_by_code(_world(), code))


async def update_unit_by_code(code: str, body: Any = None):
    return _update_unit(m.unit_by_code(_world(), code), body)


async def delete_unit_by_code(code: str):
    return _delete_unit(m.unit_by_code(_world(), code))


# -- teams --------------------------------------------------------------------------------------------

async def list_teams():
    world = _world()
    return _ok([m.team_resource(world, t) for t in world["teams"].values()], "Showing all teams.")


async def create_team(body: Any = None):
    world = _world()
    return _ok(m.team_resource(world, teams.create(world, Input.of(body))), "Team created")


async def get_team(team_id: str):
    world = _world()
    row = m.by_pk(world, "teams", team_id)
    return no_content() if row is None else _ok(m.team_resource(world, row), "Showing the team.")


async def update_team(team_id: str, body: Any = None):
    world = _world()
    row = m.by_pk(world, "teams", team_id)
    if row is None:
        return no_content()
    return _ok(m.team_resource(world, teams.update(world, row, Input.of(body))), "Team updated")


async def delete_team(team_id: str):
    world = _world()
    row = m.by_pk(world, "teams", team_id)
    if row is None:
        return no_content()
    teams.delete(world, row)
    return _done("The team was deleted.")


# -- courses ------------------------------------------------------------------------------------------

async def list_courses():
    return _ok([m.course_resource(c) for c in _world()["courses"].values()], "Showing all courses.")


async def get_course(course_id: str):
    row = m.by_pk(_world(), "courses", course_id)
    return no_content() if row is None else _ok(m.course_resource(row), "Showing the course.")


async def list_course_participants(course_id: str, extended_mode: str | None = None):
    world = _world()
    course = m.by_pk(world, "courses", course_id)
    if course is None:
        return no_content()
    extended = courses.extended(extended_mode)
    rows = courses.participants_of(world, course["id"])
    return _ok([m.participant_resource(p, extended) for p in rows], "Showing all participants.")


async def create_course_assignment(course_id: str, user_id: str, body: Any = None):
    world = _world()
    row = courses.assign(world, course_id, user_id, Input.of(body))
    return _ok(m.participant_resource(row, False), "Course assignment created.")
