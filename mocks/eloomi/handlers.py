"""eloomi operations, one function per operationId of specs/eloomi.yaml.

Connexion has routed, authenticated (auth.verify) and schema-checked the request; these read the input as
Laravel would, call the resource module and wrap the answer in eloomi's envelope. A record that does not
exist is 204 No Content, as eloomi documents for every lookup.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mocks.core.context import current
from mocks.core.errors import Invalid, RequestInvalid, VendorProblem
from mocks.core.pagination import offset_page
from mocks.core.responses import no_content, raw_response
from mocks.core.store import Row, World

from . import auth, courses, teams, units, users
from . import errors as e
from . import models as m
from .fields import Input, ascii_number, laravel_input


def _json(body: Any, **options: Any):
    return raw_response(e.php_json(body), media_type=options.pop("media_type", "application/json"), **options)


def _ok(data: Any, extended_message: str):
    """A success with data: message null, the text in extended_message (users/get.md and the rest)."""
    return _json(e.envelope(200, None, extended_message, data=data))


def _done(message: str):
    """A success without data: the text in message (users/pk/delete.md)."""
    return _json(e.envelope(200, message, ""))


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
    with ctx.world.transaction():
        token = auth.token_response(ctx.world, Input.of(body).data, ctx.header("authorization"))
    return _json(
        token, media_type="application/json; charset=UTF-8", headers={"Cache-Control": "no-store", "Pragma": "no-cache"}
    )


# -- users --------------------------------------------------------------------------------------------


def _query_integer(name: str, value: str | None) -> int | None:
    """A query parameter the spec lets through as text (so that an empty one is no parameter): None when
    empty, else its integer."""
    if value is None:
        return None
    number = ascii_number(value)
    if number is None:  # only a number too long for Python's int() gets past the spec's pattern
        raise RequestInvalid([Invalid("query", name, "integer", value)])
    return number


async def list_users(
    per_page: str | None = None, page: str | None = None, mode: str | None = None, employee_id: str | None = None
):
    ctx = current()
    world = ctx.world
    # Laravel's TrimStrings and ConvertEmptyStringsToNull clean the query too: `?mode=` is no mode
    per_page, page, mode, employee_id = (laravel_input(v) for v in (per_page, page, mode, employee_id))
    size, number, mode = _query_integer("per_page", per_page), _query_integer("page", page), mode or "all"
    if mode not in m.USER_MODES:  # the spec's pattern allows Unicode blanks, which PHP's trim keeps
        raise RequestInvalid([Invalid("query", "mode", "enum", mode)])
    rows = world["users"]
    if mode == "all" and employee_id is None:  # what clients poll: rendered once per change of the users
        listing = rows.derived("listing", lambda: [m.user_fragment(u) for u in rows.values()])
    else:
        now = m.now_text(world)
        wanted = None if employee_id is None else employee_id.casefold()
        listing = [
            m.user_fragment(u)
            for u in rows.values()
            if (mode == "all" or m.user_status(u, now) == mode)
            and (wanted is None or (u["employee_id"] or "").strip().casefold() == wanted)
        ]
    if size is None:
        size = ctx.vendor.settings_of(world)["users_default_per_page"]
    if size and size > 0:
        listing = offset_page(listing, (max(1, number or 1) - 1) * size, size).items
    return _ok(listing, "Showing all users.")


@_reads_body
def create_user(body: Any = None):
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


@_reads_body
def update_user(pk: str, body: Any = None):
    return _update_user(m.by_pk(_world(), "users", pk), body)


async def delete_user(pk: str):
    return _delete_user(m.by_pk(_world(), "users", pk))


async def get_user_by_employee_id(employee_id: str):
    return _user_answer(m.user_by_employee_id(_world(), employee_id))


@_reads_body
def update_user_by_employee_id(employee_id: str, body: Any = None):
    return _update_user(m.user_by_employee_id(_world(), employee_id), body)


async def delete_user_by_employee_id(employee_id: str):
    return _delete_user(m.user_by_employee_id(_world(), employee_id))


async def get_user_by_email(email: str):
    return _user_answer(m.user_by_email(_world(), email))


@_reads_body
def update_user_by_email(email: str, body: Any = None):
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


@_reads_body
def create_unit(body: Any = None, unique: str | None = None):
    world = _world()
    unit = units.create(world, Input.of(body), laravel_input(unique))  # `?unique=` is no unique column
    return _ok(m.unit_resource(world, unit), "New unit created.")


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


@_reads_body
def update_unit(pk: str, body: Any = None):
    return _update_unit(m.by_pk(_world(), "units", pk), body)


async def delete_unit(pk: str):
    return _delete_unit(m.by_pk(_world(), "units", pk))


async def get_unit_by_code(code: str):
    return _unit_answer(m.unit_by_code(_world(), code))


@_reads_body
def update_unit_by_code(code: str, body: Any = None):
    return _update_unit(m.unit_by_code(_world(), code), body)


async def delete_unit_by_code(code: str):
    return _delete_unit(m.unit_by_code(_world(), code))


# -- teams --------------------------------------------------------------------------------------------


async def list_teams():
    world = _world()
    return _ok([m.team_resource(world, t) for t in world["teams"].values()], "Showing all teams.")


@_reads_body
def create_team(body: Any = None):
    world = _world()
    return _ok(m.team_resource(world, teams.create(world, Input.of(body))), "Team created")


async def get_team(team_id: str):
    world = _world()
    row = m.by_pk(world, "teams", team_id)
    return no_content() if row is None else _ok(m.team_resource(world, row), "Showing the team.")


@_reads_body
def update_team(team_id: str, body: Any = None):
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


@_reads_body
def create_course_assignment(course_id: str, user_id: str, body: Any = None):
    world = _world()
    row = courses.assign(world, course_id, user_id, Input.of(body))
    return _ok(m.participant_resource(row, False), "Course assignment created.")


# -- OPTIONS (Laravel's router answers it itself) -------------------------------------------------------


async def route_options(**_path: str):
    """Illuminate\\Routing\\RouteCollection: OPTIONS on a path some route matches is `200`, an empty body
    and `Allow` with the routes' methods, no route middleware run (no auth, no throttle)."""
    from . import allowed  # the package's route helpers (it imports this module first)

    ctx = current()
    local = ctx.path[len(ctx.vendor.mount) :] if ctx.path.startswith(ctx.vendor.mount + "/") else ctx.path
    return raw_response(b"", media_type="text/html; charset=UTF-8", headers={"Allow": allowed(local, ",")})


options_token = options_users = options_user = options_user_team_by_employee_id = route_options
options_user_by_employee_id = options_user_by_email = options_units = options_unit = route_options
options_unit_by_code = options_teams = options_team = options_courses = options_course = route_options
options_course_participants = options_course_assignment = route_options
