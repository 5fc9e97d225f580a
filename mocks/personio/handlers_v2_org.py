"""The v2 legal entities, org units, cost centers, compensations, projects (and members) and webhooks (and their
events) of specs/personio_v2.yaml.

Everything reads and writes the company's v1 records (see wire_v2_org): a project created here is a v1 attendance
project at once, a v1 salary is a v2 compensation. Lists paginate with the cursors of persons (wire_v2.page).
Rules and lookups: domain_v2_org, domain_v2_projects, domain_v2_webhooks.
"""

from __future__ import annotations

from typing import Any

from mocks.core.context import current
from mocks.core.responses import json_response, no_content

from . import dates
from . import domain as m
from . import domain_v2_org as org
from . import domain_v2_projects as projects
from . import domain_v2_webhooks as hooks
from . import wire_v2 as pages
from . import wire_v2_org as w


# -- legal entities (https://developer.personio.de/reference/listlegalentities, getlegalentitybyid) ---------------
async def list_legal_entities(limit: int = 20, **_: Any):
    world = current().world
    return json_response(
        pages.page(
            "/personio/v2/legal-entities",
            pages.list_query(),
            lambda filters: org.legal_entities_matching(world, filters),
            limit,
            100,
            w.LEGAL_ENTITY_FILTERS,
            w.legal_entity,
        )
    )


async def get_legal_entity(id: str):  # noqa: A002 (the official parameter name)
    return json_response(w.legal_entity(org.legal_entity(current().world, id)))


# -- org units (https://developer.personio.de/reference/getorgunit) --------------------------------------------
async def get_org_unit(id: int, type: str, include_parent_chain: bool = False):  # noqa: A002
    ctx = current()
    row = org.org_unit(ctx.world, type, id)
    return json_response(w.org_unit(ctx.world, type, row, ctx.url, chain=include_parent_chain))


# -- cost centers (https://developer.personio.de/reference/listcostcenters) ------------------------------------
async def list_cost_centers(limit: int = 50, **_: Any):
    world = current().world
    return json_response(
        pages.page(
            "/personio/v2/cost-centers",
            pages.list_query(),
            lambda filters: org.cost_centers_matching(world, filters),
            limit,
            100,
            w.COST_CENTER_FILTERS,
            w.cost_center,
        )
    )


# -- compensations (https://developer.personio.de/reference/get_v2-compensations-types, post_v2-compensations) --
async def list_compensation_types(limit: int = 100, **_: Any):
    world = current().world
    return json_response(
        pages.page(
            "/personio/v2/compensations/types",
            pages.list_query(),
            lambda filters: org.compensation_types(world),
            limit,
            100,
            (),
            w.compensation_type,
        )
    )


async def create_compensation_type(body: Any = None):
    ctx = current()
    row = org.create_compensation_type(ctx.world, body if isinstance(body, dict) else {}, ctx.clock.time())
    return json_response(w.compensation_type(row))


async def list_compensations(limit: int = 100, **_: Any):
    ctx = current()
    world = ctx.world
    today = dates.today(ctx.clock.time())
    return json_response(
        pages.page(
            "/personio/v2/compensations",
            pages.list_query(),
            lambda filters: org.compensations_matching(world, filters, today),
            limit,
            100,
            w.COMPENSATION_FILTERS,
            lambda item: w.compensation(world, item),
        )
    )


async def create_compensation(body: Any = None):
    world = current().world
    row = org.create_compensation(world, body if isinstance(body, dict) else {})
    return json_response(w.compensation(world, row), 201)


# -- projects (https://developer.personio.de/reference/get_v2-projects, get_v2-projects-id) --------------------
async def list_projects_v2(limit: int = 100, **_: Any):
    world = current().world
    query = pages.list_query()
    include = projects.includes(query.get("include"))
    return json_response(
        pages.page(
            "/personio/v2/projects",
            query,
            lambda filters: projects.projects_matching(world, filters),
            limit,
            100,
            w.PROJECT_FILTERS,
            lambda row: w.project(world, row, include),
        )
    )


async def get_project_v2(id: str, include: str | None = None):  # noqa: A002
    world = current().world
    row = projects.project(world, id)
    return json_response(w.project(world, row, projects.includes(include)))


async def create_project_v2(body: Any = None):
    ctx = current()
    row = projects.create_project(ctx.world, body if isinstance(body, dict) else {}, ctx.clock.time())
    return json_response(w.project_created(row), 201)


async def update_project_v2(id: str, body: Any = None):  # noqa: A002
    ctx = current()
    row = projects.project(ctx.world, id)
    projects.update_project(ctx.world, row, body if isinstance(body, dict) else {}, ctx.clock.time())
    return no_content()


async def delete_project_v2(id: str):  # noqa: A002
    world = current().world
    projects.delete_project(world, projects.project(world, id))
    return no_content()


# -- project members (https://developer.personio.de/reference/get_v2-projects-id-members, post_..., delete_...) ----
async def list_project_members(id: str, limit: int = projects.MAX_MEMBERS_PAGE, **_: Any):  # noqa: A002
    world = current().world
    row = projects.project(world, id)
    projects.members_limit(limit)
    return json_response(
        pages.page(
            f"/personio/v2/projects/{row['id']}/members",
            pages.list_query(),
            lambda filters: m.project_members(world, row["id"]),
            limit,
            projects.MAX_MEMBERS_PAGE,
            (),
            w.project_member,
        )
    )


async def add_project_members(id: str, body: Any = None):  # noqa: A002
    """Body: a list of ProjectMember (x-inferred); 201 without a body."""
    ctx = current()
    row = projects.member_project(ctx.world, id)
    projects.add_members(ctx.world, row, body if isinstance(body, list) else [], ctx.clock.time)
    return no_content(201)


async def remove_project_members(id: str, person_id: list[str] | None = None):  # noqa: A002
    """No `person_id`: every member goes; an id that is not a member is a no-op (documented)."""
    world = current().world
    row = projects.member_project(world, id)
    wanted = {v.strip() for value in person_id or [] for v in value.split(",") if v.strip()}
    projects.remove_members(world, row, wanted)
    return no_content()


# -- webhooks (https://developer.personio.de/reference/get_v2-webhooks and siblings) ---------------------------
async def list_webhooks(limit: int = 100, **_: Any):
    world = current().world
    return json_response(
        pages.page(
            "/personio/v2/webhooks",
            pages.list_query(),
            lambda filters: hooks.webhooks_matching(world, filters),
            limit,
            200,
            w.WEBHOOK_FILTERS,
            w.webhook,
        )
    )


async def get_webhook(id: str):  # noqa: A002
    return json_response(w.webhook(hooks.webhook(current().world, id)))


async def create_webhook(body: Any = None):
    ctx = current()
    row = hooks.create_webhook(ctx.world, body if isinstance(body, dict) else {}, ctx.clock.time())
    return json_response(w.webhook(row), 201)


async def update_webhook(id: str, body: Any = None):  # noqa: A002
    ctx = current()
    row = hooks.webhook(ctx.world, id)
    updated = hooks.update_webhook(ctx.world, row, body if isinstance(body, dict) else {}, ctx.clock.time())
    return json_response(w.webhook(updated))


async def delete_webhook(id: str):  # noqa: A002
    world = current().world
    hooks.delete_webhook(world, hooks.webhook(world, id))
    return no_content()


# -- webhook events: ping, test events, their deliveries, redelivery (domain_v2_webhooks) ------------------------
async def ping_webhook(id: str):  # noqa: A002
    ctx = current()
    hook = hooks.webhook(ctx.world, id)
    return json_response(w.webhook_event(hooks.ping(ctx, hook)))


async def send_webhook_test_event(id: str, body: Any = None):  # noqa: A002
    ctx = current()
    hook = hooks.webhook(ctx.world, id)
    event = hooks.send_test_event(ctx, hook, body if isinstance(body, dict) else {})
    return json_response(w.webhook_event(event))


async def list_webhook_events(id: str, limit: int = 100, **_: Any):  # noqa: A002
    ctx = current()
    hook = hooks.webhook(ctx.world, id)
    now = ctx.clock.time()
    return json_response(
        pages.page(
            f"/personio/v2/webhooks/{hook['id']}/events",
            pages.list_query(),
            lambda filters: hooks.events_matching(ctx.world, hook, filters, now),
            limit,
            200,
            w.EVENT_FILTERS,
            w.webhook_event,
        )
    )


async def list_webhook_activity(id: str, limit: int = 100, **_: Any):  # noqa: A002
    ctx = current()
    hook = hooks.webhook(ctx.world, id)
    now = ctx.clock.time()
    sent = hooks.dispatched(ctx)
    return json_response(
        pages.page(
            f"/personio/v2/webhooks/{hook['id']}/activity",
            pages.list_query(),
            lambda filters: hooks.activity_matching(ctx.world, hook, filters, now, sent),
            limit,
            200,
            w.ACTIVITY_FILTERS,
            w.without_private,
        )
    )


async def redeliver_webhook_events(id: str, **_: Any):  # noqa: A002
    """Every selected event of the last 30 days is sent again (a new delivery with its own activity)."""
    ctx = current()
    hook = hooks.webhook(ctx.world, id)
    return json_response(w.redelivered(hooks.redeliver(ctx, hook, pages.list_query())))
