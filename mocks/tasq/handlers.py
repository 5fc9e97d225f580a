"""Tasq operations, one function per operationId of specs/tasq.yaml: read the request, call `domain`, answer
through `wire`.

By the time these run, the gateway part is done: the route exists, the authorizer allowed the token and the
body matched the spec. Every answer is a 200 with the README's shapes — API Gateway's integrations map every
Lambda answer to 200, creations included (every `IntegrationResponses` in
tests/reference/tasq/backend-api-gateway/api_gateway.2020-07-17.yml is `StatusCode: 200`).
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response

from . import domain as d
from . import wire as w


# -- Profile (README) -----------------------------------------------------------------------------------
async def get_profile(user_email: str):
    return json_response(w.profile(d.user_of(current().world, user_email)))


async def update_profile(body: dict[str, Any]):
    world = current().world
    username = d.save_user(world, d.user_of(world, body["username"]), d.changes(body, w.PROFILE_KEYS))
    return json_response(w.user_saved(username))


# -- Users (gateway routes from 2020-07-17; shapes inferred) ------------------------------------------------
async def list_users():
    return json_response(w.users(current().world))


async def create_user(body: dict[str, Any]):
    world, username = current().world, body["email"]
    d.check_username_free(world, username)  # before the fields' own checks
    d.create_user(world, username, d.changes(body, w.USER_KEYS))
    return json_response(w.user_saved(username))


async def get_user(username: str):
    return json_response(w.user(d.user_of(current().world, username)))


async def update_user(username: str, body: dict[str, Any]):
    world = current().world
    username = d.save_user(world, d.user_of(world, username), d.changes(body, w.USER_UPDATE_KEYS))
    return json_response(w.user_saved(username))


# -- Tasqs (gateway routes, active until 2022; shapes inferred) -----------------------------------------
async def list_tasqs(team: str = "", username: str = ""):
    world = current().world
    return json_response([w.tasq(world, t) for t in d.tasqs(world, team=team, username=username)])


async def create_tasq(body: dict[str, Any]):
    row = d.create_tasq(
        current().world, node_id=body["node_id"], type_=body["type"], assign_to_user=body["assign_to_user"]
    )
    return json_response(w.done(TasqId=row["id"]))


async def get_tasq(tasq_id: str):
    world = current().world
    return json_response(w.tasq(world, d.tasq_of(world, tasq_id)))


async def update_tasq(tasq_id: str, body: dict[str, Any]):
    world = current().world
    row = d.tasq_of(world, tasq_id)
    d.update_tasq(world, row, d.changes(body, w.TASQ_KEYS))
    return json_response(w.done(TasqId=row["id"]))


async def delete_tasq(tasq_id: str):
    world = current().world
    row = d.tasq_of(world, tasq_id)
    d.delete_tasq(world, row)
    return json_response(w.done(TasqId=row["id"]))


# -- Tickets (POST documented; the rest gateway routes, inferred) ---------------------------------------
async def create_ticket(body: dict[str, Any]):
    row = d.create_ticket(current().world, w.ticket_fields(body))
    return json_response(w.done(TicketName=row["title"], TicketId=row["id"]))


async def list_tickets(ticket_id: str = ""):
    return json_response([w.ticket(t) for t in d.tickets(current().world, ticket_id)])


async def get_ticket(ticket_id: str):
    return json_response(w.ticket(d.ticket_of(current().world, ticket_id)))


async def delete_ticket(ticket_id: str):
    world = current().world
    row = d.ticket_of(world, ticket_id)
    d.delete_ticket(world, row)
    return json_response(w.done(TicketId=row["id"]))
