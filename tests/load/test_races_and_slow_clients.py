"""Concurrency over HTTP: unique values under parallel creates, distinct ids, and slow clients that do not
hold up the others."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.soak_recipes import RECIPES
from tests.load.wire import connect, head, json_body, read_response, vendor_headers

PARALLEL = 24


def _parallel(url: str, requests: list[tuple[str, dict, dict]]) -> list[httpx.Response]:
    def send(request):
        path, body, headers = request
        with httpx.Client(base_url=url, timeout=30) as client:
            return client.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(send, requests))


def test_parallel_creates_of_one_unique_name_have_exactly_one_winner(mocks, http):
    headers = vendor_headers(http, "piwik_pro")
    body = {"data": {"type": "ppms/user-group", "attributes": {"name": "Only one of us"}}}
    answers = _parallel(mocks.server.url, [("/piwik_pro/api/user-groups/v1", body, headers)] * PARALLEL)
    winners = [a for a in answers if a.status_code == 201]
    assert len(winners) == 1
    assert winners[0].json()["data"]["attributes"]["name"] == "Only one of us"
    losers = [a.json()["errors"][0]["detail"] for a in answers if a.status_code != 201]
    assert losers == ["User group with name: 'Only one of us' already exists."] * (PARALLEL - 1)
    listed = http.get("/piwik_pro/api/user-groups/v1?limit=1000", headers=headers).json()["data"]
    assert [g["attributes"]["name"] for g in listed].count("Only one of us") == 1


def test_parallel_distinct_creates_get_distinct_ids(mocks, http):
    for vendor in ("perscom", "tasq", "eloomi"):
        recipe = RECIPES[vendor]
        headers = vendor_headers(http, vendor)
        answers = _parallel(
            mocks.server.url,
            [(recipe.create_path, recipe.create_body(f"{vendor}-{n}"), headers) for n in range(PARALLEL)],
        )
        assert {a.status_code for a in answers} <= {200, 201}, [a.text for a in answers]
        ids = [recipe.created_id(a.json()) for a in answers]
        assert len(set(ids)) == PARALLEL
        for record in ids:
            assert http.get(recipe.read_path(record), headers=headers).status_code == 200


def test_a_client_trickling_its_body_does_not_hold_up_others(mocks, http):
    recipe = RECIPES["perscom"]
    headers = vendor_headers(http, "perscom")
    body = json_body(recipe.create_body("sent slowly"))
    with connect(mocks.server.url) as slow:
        slow.sendall(
            head(
                "POST",
                recipe.create_path,
                {**headers, "Content-Type": "application/json", "Content-Length": str(len(body))},
            )
        )
        for byte in body[: len(body) // 2]:  # half the body, one byte per write
            slow.sendall(bytes([byte]))
        # meanwhile every other client is served (a server blocked on the slow body would time these out)
        for _ in range(20):
            answer = http.get(recipe.list_path, headers=headers)
            assert answer.status_code == 200
            assert len(answer.json()["data"]) == 25
        slow.sendall(body[len(body) // 2 :])
        status, _, answered = read_response(slow)
    assert status == 201
    assert b'"name":"sent slowly"' in answered
