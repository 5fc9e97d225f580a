"""Two served suites sharing one Redis (`Suite(store=...)`) behave as one mock, driven over HTTP the way clients
and the admin API meet them: two uvicorn servers, each with its own event loop, worlds and connections (what two
worker processes have), against a real redis-server started by the fixture.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bench.soak_recipes import RECIPES, listed
from mocks.core.app import create_app
from mocks.core.journal import Entry
from mocks.tasq import auth as tasq_auth
from mocks.testing import MockServer
from tests.load.wire import vendor_headers
from tests.redis_server import RedisServer, RedisServerError

JSON_API = "application/vnd.api+json"
# each vendor's 503 (its Vendor.fault renderer, as for an injected fault), when Redis cannot be reached
UNAVAILABLE = {
    "tasq": {"message": "Internal server error"},
    "perscom": {"error": {"message": "Service Unavailable", "type": "HttpException"}},
    "piwik_pro": {"errors": [{"status": "503", "title": "Service Unavailable", "code": "error.default"}]},
    "personio": {"success": False, "error": {"code": 0, "message": "Service Unavailable"}},
    "eloomi": {
        "status": "Service Unavailable",
        "status_code": 503,
        "message": "Service Unavailable",
        "extended_message": "",
    },
}


def _serve(url: str) -> MockServer:
    return MockServer(create_app(validate_responses=True, store=url)).start()


@pytest.fixture(scope="module")
def workers(redis_server):
    store = redis_server.url.rsplit("/", 1)[0] + "/2"  # a database of its own: the suites use the default namespace
    first, second = _serve(store), _serve(store)
    yield first, second
    for server in (first, second):
        server.suite.shared.close()  # on the server's loop, while it runs
        server.stop()


@pytest.fixture
def a_b(workers):
    """HTTP clients on the two workers, after a full reset through both (each worker's journal and counters)."""
    clients = [httpx.Client(base_url=server.url, timeout=10) for server in workers]
    for client in clients:
        assert client.post("/_mocks/reset").status_code == 200
    yield clients
    for client in clients:
        client.close()


@pytest.mark.parametrize("vendor", sorted(RECIPES))
def test_what_one_worker_creates_the_other_reads_lists_and_deletes(a_b, vendor):
    a, b = a_b
    recipe = RECIPES[vendor]
    headers = vendor_headers(a, vendor)  # minted through worker A's admin API, used on both
    created = a.post(recipe.create_path, json=recipe.create_body("shared-1"), headers=headers)
    assert created.status_code in (200, 201), created.text
    record = recipe.created_id(created.json())
    read = b.get(recipe.read_path(record), headers=headers)
    assert read.status_code == 200 and listed(recipe, read.json(), record), read.text
    assert "shared-1" in read.text
    assert b.get(recipe.list_path, headers=headers).status_code == 200
    deleted = b.delete(recipe.delete_path(record), headers=headers)
    assert deleted.status_code in (200, 202, 204), deleted.text
    gone = a.get(recipe.read_path(record), headers=headers)
    if recipe.gone:
        assert gone.status_code == (204 if vendor == "eloomi" else recipe.gone), gone.text  # eloomi: 204 not found
    else:
        assert not listed(recipe, gone.json(), record)
    snapshots = [json.dumps(c.get("/_mocks/snapshot").json(), sort_keys=True) for c in (a, b)]
    assert snapshots[0] == snapshots[1]


def test_parallel_creates_of_one_email_through_both_workers_make_one_user(a_b):
    """The vendor's own uniqueness check holds across workers: one 201, every other request Piwik PRO's 400."""
    a, b = a_b
    headers = {**vendor_headers(a, "piwik_pro"), "Content-Type": JSON_API}
    attributes = {"email": "race@example.com", "language": "en", "password": "Secret-pass-123!"}
    body = json.dumps({"data": {"type": "ppms/user", "attributes": attributes}})

    def create(n: int) -> httpx.Response:
        return (a, b)[n % 2].post("/piwik_pro/api/users/v2", content=body, headers=headers)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(create, range(16)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201] + [400] * 15, [r.text for r in answers]
    refused = next(r for r in answers if r.status_code == 400).json()["errors"][0]
    assert refused["detail"] == "User with email: 'race@example.com' already exists."
    listing = b.get("/piwik_pro/api/users/v2?limit=100", headers=headers).json()
    assert [u["attributes"]["email"] for u in listing["data"]].count("race@example.com") == 1


def test_a_read_that_writes_on_a_replica_left_behind_runs_again_on_the_caught_up_world(a_b, monkeypatch):
    """Tasq's authorizer caches its decision in the world on a GET (a write without the world's lock). When the
    other worker writes between this GET's gate and its commit, the GET runs once more on the caught-up world
    holding the lock: the client gets one 200 that already lists the other worker's ticket (not a 503), and the
    journal holds one exchange for it."""
    a, b = a_b
    recipe, reader, writer = RECIPES["tasq"], vendor_headers(a, "tasq"), vendor_headers(b, "tasq")
    decide, meanwhile = tasq_auth._decide, []

    def decide_while_b_writes(world, token):
        if not meanwhile:  # the first decision of the GET through A: B writes before A commits the cache entry
            meanwhile.append(None)  # (B's own decision comes here too)
            body = recipe.create_body("meanwhile")
            meanwhile[0] = httpx.post(f"{b.base_url}{recipe.create_path}", json=body, headers=writer, timeout=10)
        return decide(world, token)

    monkeypatch.setattr(tasq_auth, "_decide", decide_while_b_writes)
    answer = a.get(recipe.create_path, headers=reader)  # the tickets
    assert meanwhile and meanwhile[0].status_code in (200, 201), meanwhile
    assert answer.status_code == 200, answer.text
    assert "meanwhile" in {t["TicketName"] for t in answer.json()}
    reads = a.get("/_mocks/journal", params={"vendor": "tasq", "method": "GET"}).json()
    assert len(reads) == 1 and reads[0]["status"] == 200


def test_the_clock_moved_through_one_worker_has_moved_for_the_other(a_b):
    a, b = a_b
    tasq = vendor_headers(b, "tasq")
    moved = a.post("/_mocks/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True})
    assert moved.status_code == 200, moved.text
    recipe = RECIPES["tasq"]
    created = b.post(recipe.create_path, json=recipe.create_body("dated"), headers=tasq)  # B's first look since
    ticket = b.get(recipe.read_path(recipe.created_id(created.json())), headers=tasq).json()
    assert ticket["time"].startswith("2030-01-01"), ticket
    seen = b.get("/_mocks/clock").json()
    assert seen["now"].startswith("2030-01-01T00:00:00") and seen["frozen"] is True
    refused = b.post("/_mocks/clock", json={"advance": "PT1H", "set": "not a time"})
    assert refused.status_code == 400 and a.get("/_mocks/clock").json()["now"] == seen["now"]  # all or none
    assert a.post("/_mocks/reset").status_code == 200
    assert b.get("/_mocks/clock").json()["frozen"] is False


def test_a_fault_added_through_one_worker_fires_its_times_across_both(a_b):
    a, b = a_b
    headers = vendor_headers(a, "eloomi")
    fault = {"vendor": "eloomi", "status": 503, "times": 3}
    assert a.post("/_mocks/faults", json=fault).status_code == 201
    statuses = [(b, a)[n % 2].get("/eloomi/v3/users", headers=headers).status_code for n in range(8)]
    assert statuses == [503, 503, 503, 200, 200, 200, 200, 200]  # B learns of the fault at its next request
    assert a.get("/_mocks/faults").json() == [] and b.get("/_mocks/faults").json() == []


def test_a_reset_through_one_worker_reseeds_worlds_for_both(a_b):
    a, b = a_b
    recipe = RECIPES["eloomi"]
    headers = vendor_headers(a, "eloomi")
    created = a.post(recipe.create_path, json=recipe.create_body("before-reset"), headers=headers)
    record = recipe.created_id(created.json())
    assert {"vendor": "eloomi", "tenant": "default"} in b.get("/_mocks/health").json()["worlds"]  # A's, seen on B
    reset = b.post("/_mocks/reset", json={"vendor": "eloomi"}).json()
    assert reset["reset"]["worlds_dropped"] == 1
    assert [w for w in a.get("/_mocks/health").json()["worlds"] if w["vendor"] == "eloomi"] == []
    headers = vendor_headers(b, "eloomi")  # the old token went with the world
    assert a.get(recipe.read_path(record), headers=headers).status_code == 204  # eloomi's "not found"


def test_a_seed_set_through_one_worker_reseeds_every_workers_worlds(a_b):
    a, b = a_b
    recipe = RECIPES["eloomi"]
    headers = vendor_headers(a, "eloomi")
    record = recipe.created_id(a.post(recipe.create_path, json=recipe.create_body("seeded"), headers=headers).json())
    before = a.get("/eloomi/v3/users?per_page=5", headers=headers).json()["data"]
    assert b.post("/_mocks/seed", json={"seed": 5}).json() == {"seed": 5}
    headers = vendor_headers(a, "eloomi")  # A learns of the new seed from its world's gate
    after = a.get("/eloomi/v3/users?per_page=5", headers=headers).json()["data"]
    assert after != before  # other seeded people
    assert b.get("/eloomi/v3/users?per_page=5", headers=headers).json()["data"] == after
    assert a.get(recipe.read_path(record), headers=headers).status_code == 204  # the created unit went
    assert a.get("/_mocks/seed").json() == {"seed": 5} and a.get("/_mocks/health").json()["seed"] == 5
    assert a.post("/_mocks/reset").status_code == 200
    assert b.get("/_mocks/seed").json() == {"seed": 0}  # a full reset returns to the start seed
    headers = vendor_headers(b, "eloomi")
    assert a.get("/eloomi/v3/users?per_page=5", headers=headers).json()["data"] == before


def test_a_snapshot_taken_through_one_worker_is_restored_through_the_other_for_both(a_b):
    a, b = a_b
    recipe = RECIPES["tasq"]
    tasq = a.post("/_mocks/tokens", json={"vendor": "tasq", "tenant": "acme"}).json()["headers"]
    created = a.post(recipe.create_path, json=recipe.create_body("kept"), headers=tasq)
    record = recipe.created_id(created.json())
    snapshot = a.get("/_mocks/snapshot").json()
    assert {(w["vendor"], w["tenant"]) for w in snapshot["worlds"]} >= {("tasq", "acme")}
    assert b.post("/_mocks/reset").status_code == 200
    assert a.get(recipe.read_path(record), headers=tasq).status_code == 403  # the token went with its world
    restored = b.put("/_mocks/snapshot", json=snapshot)
    assert restored.status_code == 200, restored.text
    assert json.dumps(restored.json(), sort_keys=True) == json.dumps(snapshot, sort_keys=True)
    for client in (a, b, a):  # the restored token routes to tenant acme on every worker
        read = client.get(recipe.read_path(record), headers=tasq)
        assert read.status_code == 200 and read.json()["TicketName"] == "kept", read.text
    refused = a.put("/_mocks/snapshot", json={"seed": 0, "worlds": [{"vendor": "nobody"}]})
    assert refused.status_code == 400
    assert a.get(recipe.read_path(record), headers=tasq).status_code == 200  # a refused snapshot changed nothing


def test_redis_lost_mid_run_answers_each_vendors_503_and_service_resumes_when_it_returns():
    try:
        redis = RedisServer()
    except RedisServerError as error:
        pytest.fail(str(error))
    server = _serve(redis.url)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            headers = vendor_headers(client, "tasq")
            assert client.get("/tasq/v1/users", headers=headers).status_code == 200
            redis.kill()
            for vendor, body in UNAVAILABLE.items():
                answer = client.get(RECIPES[vendor].list_path, headers=headers)
                assert (answer.status_code, answer.json()) == (503, body), vendor
            health = client.get("/_mocks/health")
            assert health.status_code == 503 and "shared store redis://127.0.0.1:" in health.json()["error"]
            redis.start()  # back, empty (no persistence): the world re-seeds, tokens must be minted again
            for _ in range(50):
                answer = client.get("/_mocks/health")
                if answer.status_code == 200:
                    break
                time.sleep(0.1)
            assert answer.status_code == 200, answer.text
            headers = vendor_headers(client, "tasq")
            assert client.get("/tasq/v1/users", headers=headers).status_code == 200
    finally:
        server.suite.shared.close()
        server.stop()
        redis.stop()


def test_parallel_requests_through_both_workers_count_one_rate_limit_and_draw_distinct_ids(a_b):
    """Counters under a race: 24 parallel requests spread over both workers against eloomi's throttle set to 10
    pass exactly 10 times, the remaining counts 9..0 each given once; 12 parallel creates through both workers draw
    12 consecutive ids."""
    a, b = a_b
    assert a.put("/_mocks/ratelimits", json={"vendor": "eloomi", "limit": 10}).status_code == 200
    eloomi = vendor_headers(a, "eloomi")

    def read(n: int) -> httpx.Response:
        return (a, b)[n % 2].get("/eloomi/v3/users", headers=eloomi)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(read, range(24)))
    passed = [r for r in answers if r.status_code == 200]
    assert len(passed) == 10 and sum(r.status_code == 429 for r in answers) == 14
    assert sorted(int(r.headers["X-RateLimit-Remaining"]) for r in passed) == list(range(10))

    recipe, perscom = RECIPES["perscom"], vendor_headers(a, "perscom")

    def create(n: int) -> httpx.Response:
        return (a, b)[n % 2].post(recipe.create_path, json=recipe.create_body(f"rank {n}"), headers=perscom)

    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(create, range(12)))
    assert {r.status_code for r in created} == {201}, [r.text for r in created]
    ids = sorted(recipe.created_id(r.json()) for r in created)
    assert ids == list(range(ids[0], ids[0] + 12))  # PERSCOM's auto-increment: no id drawn twice, none skipped
    for rank_id in ids[::5]:
        assert b.get(recipe.read_path(rank_id), headers=perscom).json()["data"]["name"].startswith("rank ")


def test_rate_limits_count_across_workers_and_an_override_through_one_holds_on_both(a_b):
    """eloomi's Laravel throttle (counted after routing) set to 3 through worker A: three requests in all pass,
    spread over both workers, with the remaining count going down across them; the fourth is eloomi's 429."""
    a, b = a_b
    headers = vendor_headers(a, "eloomi")
    override = a.put("/_mocks/ratelimits", json={"vendor": "eloomi", "limit": 3})
    assert override.status_code == 200, override.text
    seen_by_b = {r["rule"]: r["limit"] for r in b.get("/_mocks/ratelimits").json()["vendors"]["eloomi"]}
    assert set(seen_by_b.values()) == {3}
    answers = [(a, b)[n % 2].get("/eloomi/v3/users", headers=headers) for n in range(5)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    assert [r.headers["X-RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0", "0"]
    assert answers[3].headers["Retry-After"] == answers[4].headers["Retry-After"]
    assert answers[3].text == "Too Many Attempts."  # eloomi's throttle answers plain text
    assert b.delete("/_mocks/ratelimits?vendor=eloomi").status_code == 200  # defaults again, counters restarted
    assert a.get("/eloomi/v3/users", headers=headers).status_code == 200
    assert b.put("/_mocks/ratelimits", json={"enabled": False}).status_code == 200
    assert "X-RateLimit-Remaining" not in a.get("/eloomi/v3/users", headers=headers).headers


def test_the_journal_through_either_worker_holds_every_workers_exchanges_in_one_sequence(a_b):
    a, b = a_b
    assert a.delete("/_mocks/journal").status_code == 204
    headers = vendor_headers(a, "piwik_pro")
    for n in range(4):
        answer = (a, b)[n % 2].get(f"/piwik_pro/api/users/v2?limit={n + 1}", headers=headers)
        assert answer.status_code == 200
        seen = b.get("/_mocks/journal", params={"vendor": "piwik_pro"}).json()  # the entry is there on return
        assert seen[-1]["query"] == f"limit={n + 1}" and seen[-1]["status"] == 200
    entries = a.get("/_mocks/journal", params={"vendor": "piwik_pro", "path": "/users/v2"}).json()
    assert [e["query"] for e in entries] == ["limit=1", "limit=2", "limit=3", "limit=4"]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries) and len({e["seq"] for e in entries}) == 4
    assert json.loads(entries[0]["response_body"])["meta"]["total"] >= 1
    later = a.get("/_mocks/journal", params={"since": entries[1]["seq"], "limit": 1}).json()
    assert [e["seq"] for e in later] == [max(e["seq"] for e in b.get("/_mocks/journal").json())]
    assert b.get("/_mocks/health").json()["journal_entries"] == len(a.get("/_mocks/journal").json())
    assert b.delete("/_mocks/journal").status_code == 204 and a.get("/_mocks/journal").json() == []


def test_requests_refused_as_unauthenticated_never_push_a_real_world_out(redis_server):
    """As in the embedded store: a made-up tenant of a request that fails authentication takes no place among
    max_worlds (its world is provisional in Redis and expires), so a flood of them cannot evict real worlds."""
    store = redis_server.url.rsplit("/", 1)[0] + "/5"
    server = MockServer(create_app(store=store, max_worlds=2)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            assert client.post("/_mocks/reset").status_code == 200
            recipe = RECIPES["eloomi"]
            headers = vendor_headers(client, "eloomi")
            created = client.post(recipe.create_path, json=recipe.create_body("kept"), headers=headers)
            record = recipe.created_id(created.json())
            for n in range(6):
                refused = client.get("/eloomi/v3/users", headers={"X-Mock-Tenant": f"made-up-{n}"})
                assert refused.status_code == 401, refused.text
            assert client.get("/_mocks/health").json()["worlds"] == [{"vendor": "eloomi", "tenant": "default"}]
            assert client.get(recipe.read_path(record), headers=headers).status_code == 200
    finally:
        server.suite.shared.close()
        server.stop()


def test_a_webhook_delivery_journalled_from_the_dispatchers_thread_reaches_the_shared_journal(workers, a_b):
    """The webhook dispatcher records deliveries from its own thread (no event loop there): the entry still reaches
    Redis, through the store's loop, and every worker lists it."""
    a, b = a_b
    journal = workers[0].suite.journal
    delivery = Entry(journal.next_seq(), 0.0, "perscom", "1", "POST", "http://127.0.0.1:9/hook", "", {}, b'{"x":1}')
    delivery.kind, delivery.status, delivery.raw_response_body = "webhook", 204, b""
    journal.add(delivery)  # this test's thread is not the server's
    for _ in range(50):
        listed = b.get("/_mocks/journal", params={"kind": "webhook"}).json()
        if listed:
            break
        time.sleep(0.05)
    assert [(e["vendor"], e["path"], e["request_body"], e["status"]) for e in listed] == [
        ("perscom", "http://127.0.0.1:9/hook", '{"x":1}', 204)
    ]
