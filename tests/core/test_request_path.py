"""The request path is the ordered list in core/app.py, one middleware per module of core/middleware/, and
docs/ENGINE.md lists the same modules in the same order."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx

from mocks.core.app import REQUEST_PATH, create_app

ROOT = Path(__file__).parents[2]


def test_every_middleware_module_is_on_the_path_once_and_documented_in_order():
    modules = [m.__module__.rsplit(".", 1)[1] for m in REQUEST_PATH]
    on_disk = {p.stem for p in (ROOT / "mocks/core/middleware").glob("*.py")} - {"__init__", "exchange", "path"}
    assert sorted(modules) == sorted(on_disk) and len(set(modules)) == len(modules)
    documented = re.findall(r"^  (\w+)\.py ", (ROOT / "docs/ENGINE.md").read_text(), re.M)
    assert documented == modules


def test_an_answer_before_routing_is_journalled_as_the_client_saw_it():
    """A fault's 503 (faults.py, before routing) passes journal.py on its way out like a routed answer."""
    suite = create_app(["piwik_pro"])
    suite.faults.add({"vendor": "piwik_pro", "status": 503, "times": 1}, known_vendors={"piwik_pro"})

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=suite)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            return await client.get("/piwik_pro/api/users/v2", headers={"Authorization": "Bearer x"})

    response = asyncio.run(call())
    entry = suite.journal.query(vendor="piwik_pro")[-1]
    assert (entry.status, entry.path, entry.response_body) == (503, "/piwik_pro/api/users/v2", response.text)
    assert response.headers["content-type"] == dict(entry.response_headers)["content-type"]
