from __future__ import annotations

from mocks.core.context import current
from mocks.core.errors import VendorProblem
from mocks.core.responses import json_response, no_content, raw_response
from mocks.core.uploads import read_upload


async def list_items(limit: int = 10, ids: list | None = None, tags: list | None = None, created_atgt=None):
    world = current().world
    return json_response(
        {
            "limit": limit,
            "ids": ids,
            "tags": tags,
            "created_at_gt": created_atgt,
            "count": len(world["items"]),
            "tenant": current().tenant,
            "principal": current().principal,
        }
    )


async def create_item(body: dict):
    world = current().world
    with world.transaction():
        row = world["items"].insert({"id": world["items"].next_id(), **body})
    return json_response(row, 201)


async def get_item(item_id: int):
    row = current().world["items"].get(item_id)
    if row is None:
        raise VendorProblem(404, {"error": "missing", "id": item_id})
    return json_response(row)


async def delete_item(item_id: int):
    world = current().world
    if item_id not in world["items"]:
        raise VendorProblem(404, {"error": "missing", "id": item_id})
    with world.transaction():
        world["items"].delete(item_id)
    return no_content()


async def upload_file(body: dict, file):
    upload = await read_upload(file)
    return json_response(
        {
            "note": body.get("note"),
            "filename": upload.filename,
            "size": upload.size,
            "content_type": upload.content_type,
        }
    )


async def strict_query(known: str | None = None):
    return json_response({"known": known})


async def public_ping():
    return raw_response("pong", media_type="text/plain")
