"""Tasq operations, one function per operationId of specs/tasq.yaml.

By the time these run, the gateway part is done: the route exists, the authorizer allowed the token and the
body matched the spec. They apply what a schema cannot say (users exist, usernames are unique), change the
world atomically and answer 200 with the README's shapes — API Gateway's integrations map every Lambda
answer to 200, creations included (every `IntegrationResponses` in
tests/reference/tasq/backend-api-gateway/api_gateway.2020-07-17.yml is `StatusCode: 200`).
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response
from mocks.core.store import Row, World

from . import errors as e
from . import models as m
from .rules import check_phone, ticket_fields


def _world() -> World:
    return current().world


def _user(username: str) -> Row:
    row = m.user_named(_world(), username)
    if row is None:
        raise e.user_not_found(username)
    return row


def _tasq(tasq_id: str) -> Row:
    row = _world()["tasqs"].get(tasq_id)
    if row is None:
        raise e.tasq_not_found(tasq_id)
    return row


def _ticket(ticket_id: str) -> Row:
    row = _world()["tickets"].get(int(ticket_id)) if ticket_id.isascii() and ticket_id.isdigit() else None
    if row is None:
        raise e.ticket_not_found(ticket_id)
    return row


def _save_user(user: Row, changes: dict[str, Any]):
    """Apply a profile change; a new username (email) must be free, and everything that names the user by
    username follows: the tasqs assigned to it and the tickets it filed."""
    world = _world()
    old: str = user["username"]
    username: str = changes["username"] if "username" in changes else old
    if username != old and m.user_named(world, username) is not None:
        raise e.user_already_exists(username)
    with world.transaction():
        world["users"].update(user["id"], changes)
        if username != old:
            for collection, field in (("tasqs", "assign_to_user"), ("tickets", "username")):
                for row in world[collection].values():
                    if row[field] == old:
                        world[collection].update(row["id"], {field: username})
    return json_response(e.user_saved(username))


def _present(body: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """Row changes for the body keys sent (`mapping`: body key → row field). A phone number is checked as
    E.164; an empty one counts as not sent (Tasq's profile Lambda skips a falsy PhoneNumber)."""
    changes = {}
    for key, field in mapping.items():
        if key not in body:
            continue
        if field == "user_phone_number":
            if body[key] == "":
                continue
            check_phone(key, body[key])
        changes[field] = body[key]
    return changes


# -- Profile (README) -----------------------------------------------------------------------------------
async def get_profile(user_email: str):
    return json_response(m.profile(_user(user_email)))


PROFILE_KEYS = {
    "Roles": "roles",
    "PhoneNumber": "user_phone_number",
    "AcceptingTasqs": "accepting_tasqs",
    "Team": "teams",
}


async def update_profile(body: dict[str, Any]):
    return _save_user(_user(body["username"]), _present(body, PROFILE_KEYS))


# -- Users (gateway routes from 2020-07-17; shapes inferred) ------------------------------------------------
USER_KEYS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "phone_number": "user_phone_number",
    "roles": "roles",
    "accepting_tasqs": "accepting_tasqs",
}


async def list_users():
    users = _world()["users"]
    return json_response(users.derived("list", lambda: [m.user_fragment(u) for u in users.values()]))


async def create_user(body: dict[str, Any]):
    world, username = _world(), body["email"]
    if m.user_named(world, username) is not None:
        raise e.user_already_exists(username)
    fields = _present(body, USER_KEYS)
    with world.transaction():
        world["users"].insert(m.new_user(world, username=username, **fields))
    return json_response(e.user_saved(username))


async def get_user(username: str):
    return json_response(m.user(_user(username)))


async def update_user(username: str, body: dict[str, Any]):
    changes = _present(body, {**USER_KEYS, "team": "teams", "email": "username"})
    return _save_user(_user(username), changes)


# -- Tasqs (gateway routes, active until 2022; shapes inferred) -----------------------------------------
async def list_tasqs(team: str = "", username: str = ""):
    world = _world()
    items = [m.tasq(world, t) for t in world["tasqs"].values() if not username or t["assign_to_user"] == username]
    return json_response([t for t in items if not team or t["team"] == team])


async def create_tasq(body: dict[str, Any]):
    assignee = _user(body["assign_to_user"])
    world = _world()
    with world.transaction():
        row = world["tasqs"].insert(m.new_tasq(world, node_id=body["node_id"], type_=body["type"], assignee=assignee))
    return json_response(e.done(TasqId=row["id"]))


async def get_tasq(tasq_id: str):
    return json_response(m.tasq(_world(), _tasq(tasq_id)))


async def update_tasq(tasq_id: str, body: dict[str, Any]):
    row = _tasq(tasq_id)
    changes = _present(body, {"node_id": "node_id", "type": "type"})
    if "assign_to_user" in body:
        assignee = _user(body["assign_to_user"])
        changes["assign_to_user"] = assignee["username"]
    world = _world()
    with world.transaction():
        world["tasqs"].update(row["id"], changes)
    return json_response(e.done(TasqId=row["id"]))


async def delete_tasq(tasq_id: str):
    row = _tasq(tasq_id)
    world = _world()
    with world.transaction():
        world["tasqs"].delete(row["id"])
    return json_response(e.done(TasqId=row["id"]))


# -- Tickets (POST documented; the rest gateway routes, inferred) ---------------------------------------
async def create_ticket(body: dict[str, Any]):
    fields = ticket_fields(body)
    _user(fields["Username"])
    world = _world()
    with world.transaction():
        row = world["tickets"].insert(m.new_ticket(world, fields))
    return json_response(e.done(TicketName=row["title"], TicketId=row["id"]))


async def list_tickets(ticket_id: str = ""):
    rows = _world()["tickets"].values()
    if ticket_id:
        rows = [t for t in rows if str(t["id"]) == ticket_id]
    return json_response([m.ticket(t) for t in rows])


async def get_ticket(ticket_id: str):
    return json_response(m.ticket(_ticket(ticket_id)))


async def delete_ticket(ticket_id: str):
    row = _ticket(ticket_id)
    world = _world()
    with world.transaction():
        world["tickets"].delete(row["id"])
    return json_response(e.done(TicketId=row["id"]))
