"""eloomi operations, one function per operationId of specs/eloomi.yaml.

Connexion has routed, authenticated (auth.verify) and schema-checked the request; these read the input as
Laravel would (laravel.py), call the domain (domain*.py) and render the answer through wire.py. Operations
with a body are also kept as plain functions, so that a body Laravel reads as no input is answered by the
operation run on none (`without_input`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mocks.core.context import current
from mocks.core.errors import VendorProblem
from mocks.core.store import Row, World

from . import auth, wire
from . import domain as d
from . import domain_courses as courses
from . import domain_teams as teams
from . import domain_units as units
from . import domain_users as users
from .laravel import Input, laravel_input, query_flag, query_integer


def _world() -> World:
    return current().world


# -- bodies Laravel cannot read -------------------------------------------------------------------------

_READS_BODY: dict[str, Callable[..., Any]] = {}


def _reads_body(function: Callable[..., Any]):
    """An operation with a request body. Its work is a plain function, kept so that a body Laravel reads as
    no input can be answered by the same operation on no input (`without_input`); the engine awaits the
    coroutine around it."""
    _READS_BODY[function.__name__] = function

    @functools.wraps(function)
    async def handler(*args: Any, **kwargs: Any):
        return function(*args, **kwargs)

    return handler


def without_input(operation: str, path_parameters: dict[str, str]) -> VendorProblem:
    """The answer to a body Laravel reads as no input (JSON that does not decode, or decodes to no object:
    `{bad`, `[1]`, `null`; an unparsable form): the operation run without a body, as an error renders it.
    A PATCH changes nothing and answers 200 (or 204 for a missing record); a create answers its
    missing-field 400. Query parameters keep their defaults (only POST /v3/units has one, and it fails
    on the missing name first)."""
    try:
        response = _READS_BODY[operation](**path_parameters)
    except VendorProblem as problem:
        return problem
    if response.status_code == 204:
        return VendorProblem(204, None)
    return VendorProblem(
        response.status_code,
        response.body,
        media_type=response.content_type,
        headers={k: v for k, v in response.headers.items() if k.lower() != "content-type"},
    )


def reads_body(operation: str | None) -> bool:
    return operation in _READS_BODY


# -- token --------------------------------------------------------------------------------------------


async def issue_token(body: Any = None):
    ctx = current()
    return wire.token(auth.token_response(ctx.world, Input.of(body).data, ctx.header("authorization")))


# -- users --------------------------------------------------------------------------------------------


async def list_users(
    per_page: str | None = None, page: str | None = None, mode: str | None = None, employee_id: str | None = None
):
    ctx = current()
    world = ctx.world
    # Laravel's TrimStrings and ConvertEmptyStringsToNull clean the query too: `?mode=` is no mode
    per_page, page, mode, employee_id = (laravel_input(v) for v in (per_page, page, mode, employee_id))
    size, number = query_integer("per_page", per_page), query_integer("page", page)
    rows = users.listed(world, mode, employee_id)
    if size is None:
        size = ctx.vendor.settings_of(world)["users_default_per_page"]
    return wire.ok(wire.user_listing(world, rows, size, number), "Showing all users.")


@_reads_body
def create_user(body: Any = None):
    row = users.create(_world(), Input.of(body))
    return wire.ok(wire.user_resource(row, created=True), "The user was created.")


def _user_answer(row: Row | None):
    return wire.found(row, wire.user_fragment, "Showing user details.")


def _update_user(row: Row | None, body: Any):
    if row is None:
        return wire.missing()
    return wire.ok(wire.user_fragment(users.change(_world(), row, Input.of(body))), "The user was updated.")


def _delete_user(row: Row | None):
    if row is None:
        return wire.missing()
    users.remove(_world(), row)
    return wire.done("The user was deleted.")


async def get_user(pk: str):
    return _user_answer(d.by_pk(_world(), "users", pk))


@_reads_body
def update_user(pk: str, body: Any = None):
    return _update_user(d.by_pk(_world(), "users", pk), body)


async def delete_user(pk: str):
    return _delete_user(d.by_pk(_world(), "users", pk))


async def get_user_by_employee_id(employee_id: str):
    return _user_answer(d.user_by_employee_id(_world(), employee_id))


@_reads_body
def update_user_by_employee_id(employee_id: str, body: Any = None):
    return _update_user(d.user_by_employee_id(_world(), employee_id), body)


async def delete_user_by_employee_id(employee_id: str):
    return _delete_user(d.user_by_employee_id(_world(), employee_id))


async def get_user_by_email(email: str):
    return _user_answer(d.user_by_email(_world(), email))


@_reads_body
def update_user_by_email(email: str, body: Any = None):
    return _update_user(d.user_by_email(_world(), email), body)


async def delete_user_by_email(email: str):
    return _delete_user(d.user_by_email(_world(), email))


async def update_user_team_by_employee_id(employee_id: str, team_id: str):
    world = _world()
    users.join_team(world, d.user_by_employee_id(world, employee_id), d.by_pk(world, "teams", team_id))
    return wire.done("User teams updated")


# -- units --------------------------------------------------------------------------------------------


def _unit(row: Row) -> dict[str, Any]:
    return wire.unit_resource(_world(), row)


async def list_units():
    return wire.ok([_unit(u) for u in d.every(_world(), "units")], "Showing all units.")


@_reads_body
def create_unit(body: Any = None, unique: str | None = None):
    unit = units.create(_world(), Input.of(body), laravel_input(unique))  # `?unique=` is no unique column
    return wire.ok(_unit(unit), "New unit created.")


def _unit_answer(row: Row | None):
    return wire.found(row, _unit, "Showing the unit.")


def _update_unit(row: Row | None, body: Any):
    if row is None:
        return wire.missing()
    return wire.ok(_unit(units.change(_world(), row, Input.of(body))), "Unit was updated.")


def _delete_unit(row: Row | None):
    if row is None:
        return wire.missing()
    units.remove(_world(), row)
    return wire.done("The unit was deleted.")


async def get_unit(pk: str):
    return _unit_answer(d.by_pk(_world(), "units", pk))


@_reads_body
def update_unit(pk: str, body: Any = None):
    return _update_unit(d.by_pk(_world(), "units", pk), body)


async def delete_unit(pk: str):
    return _delete_unit(d.by_pk(_world(), "units", pk))


async def get_unit_by_code(code: str):
    return _unit_answer(d.unit_by_code(_world(), code))


@_reads_body
def update_unit_by_code(code: str, body: Any = None):
    return _update_unit(d.unit_by_code(_world(), code), body)


async def delete_unit_by_code(code: str):
    return _delete_unit(d.unit_by_code(_world(), code))


# -- teams --------------------------------------------------------------------------------------------


def _team(row: Row) -> dict[str, Any]:
    return wire.team_resource(_world(), row)


async def list_teams():
    return wire.ok([_team(t) for t in d.every(_world(), "teams")], "Showing all teams.")


@_reads_body
def create_team(body: Any = None):
    return wire.ok(_team(teams.create(_world(), Input.of(body))), "Team created")


async def get_team(team_id: str):
    return wire.found(d.by_pk(_world(), "teams", team_id), _team, "Showing the team.")


@_reads_body
def update_team(team_id: str, body: Any = None):
    world = _world()
    row = d.by_pk(world, "teams", team_id)
    if row is None:
        return wire.missing()
    return wire.ok(_team(teams.change(world, row, Input.of(body))), "Team updated")


async def delete_team(team_id: str):
    world = _world()
    row = d.by_pk(world, "teams", team_id)
    if row is None:
        return wire.missing()
    teams.remove(world, row)
    return wire.done("The team was deleted.")


# -- courses ------------------------------------------------------------------------------------------


async def list_courses():
    return wire.ok([wire.course_resource(c) for c in d.every(_world(), "courses")], "Showing all courses.")


async def get_course(course_id: str):
    return wire.found(d.by_pk(_world(), "courses", course_id), wire.course_resource, "Showing the course.")


async def list_course_participants(course_id: str, extended_mode: str | None = None):
    world = _world()
    course = d.by_pk(world, "courses", course_id)
    if course is None:
        return wire.missing()
    extended = query_flag(extended_mode)
    rows = courses.participants_of(world, course["id"])
    return wire.ok([wire.participant_resource(p, extended) for p in rows], "Showing all participants.")


@_reads_body
def create_course_assignment(course_id: str, user_id: str, body: Any = None):
    row = courses.assign(_world(), course_id, user_id, Input.of(body))
    return wire.ok(wire.participant_resource(row, False), "Course assignment created.")


# -- OPTIONS (Laravel's router answers it itself) -------------------------------------------------------


async def route_options(**_path: str):
    """Illuminate\\Routing\\RouteCollection: OPTIONS on a path some route matches is `200`, an empty body
    and `Allow` with the routes' methods, no route middleware run (no auth, no throttle)."""
    from . import allowed  # the package's route helpers (it imports this module first)

    ctx = current()
    local = ctx.path[len(ctx.vendor.mount) :] if ctx.path.startswith(ctx.vendor.mount + "/") else ctx.path
    return wire.options(allowed(local, ","))


options_token = options_users = options_user = options_user_team_by_employee_id = route_options
options_user_by_employee_id = options_user_by_email = options_units = options_unit = route_options
options_unit_by_code = options_teams = options_team = options_courses = options_course = route_options
options_course_participants = options_course_assignment = route_options
