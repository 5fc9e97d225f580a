"""Request sizes are bounded (core/limits.py): headers, query strings and bodies over the limit are refused
before any vendor code runs; deep JSON and invalid UTF-8 get the vendor's validation answer; the journal
keeps a bounded number of bytes."""

from __future__ import annotations

import httpx
import pytest

from bench.soak_recipes import RECIPES
from mocks.core.journal import Entry, Journal
from mocks.core.limits import Limits, front_server_page
from tests.load.wire import connect, head, json_body, read_response, vendor_headers

VENDORS = sorted(RECIPES)
NGINX_413 = front_server_page(413, "Request Entity Too Large")


def _rows(mocks, vendor: str) -> dict:
    world = mocks.world(vendor, RECIPES[vendor].token.get("tenant"))
    return {name: c for name, c in world.dump()["collections"].items() if "cache" not in name}


@pytest.mark.parametrize("vendor", VENDORS)
def test_headers_over_the_limit_get_431_and_are_journalled_cut(mocks, http, vendor):
    headers = vendor_headers(http, vendor)
    answer = http.get(RECIPES[vendor].list_path, headers={**headers, "X-Padding": "x" * (70 * 1024)})
    assert answer.status_code == 431
    assert answer.headers["content-type"] == "text/html"
    assert answer.text == front_server_page(431, "Request Header Fields Too Large").decode()
    entry = mocks.journal(vendor=vendor)[-1]
    assert entry.status == 431
    assert entry.request_headers["x-padding"] == "x" * 2048 + f"…[{70 * 1024 - 2048} more characters]"


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_query_string_over_the_limit_gets_414(http, vendor):
    headers = vendor_headers(http, vendor)
    answer = http.get(RECIPES[vendor].list_path.split("?")[0] + "?q=" + "a" * (33 * 1024), headers=headers)
    assert answer.status_code == 414
    assert answer.text == front_server_page(414, "Request-URI Too Large").decode()


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_declared_body_over_the_limit_gets_413_before_it_is_read(mocks, http, vendor):
    recipe = RECIPES[vendor]
    headers = vendor_headers(http, vendor)
    before = _rows(mocks, vendor)
    with connect(mocks.server.url) as sock:  # only the head: the server answers without waiting for the body
        sock.sendall(
            head(
                "POST",
                recipe.create_path,
                {**headers, "Content-Type": "application/json", "Content-Length": str(Limits().body_bytes + 1)},
            )
        )
        status, answer_headers, body = read_response(sock)
    assert status == 413
    assert answer_headers["connection"] == "close"
    if vendor == "tasq":  # API Gateway's REQUEST_TOO_LARGE gateway response
        assert (answer_headers["content-type"], body) == ("application/json", b'{"message":"Request Too Long"}')
    else:
        assert (answer_headers["content-type"], body) == ("text/html", NGINX_413)
    assert _rows(mocks, vendor) == before


@pytest.mark.parametrize("vendor", ["perscom", "tasq"])
def test_a_streamed_body_growing_over_the_limit_gets_413_and_changes_nothing(mocks, http, monkeypatch, vendor):
    recipe = RECIPES[vendor]
    headers = vendor_headers(http, vendor)
    monkeypatch.setattr(mocks.suite, "limits", Limits(body_bytes=4096))
    before = _rows(mocks, vendor)
    big = json_body(recipe.create_body("x" * 8000))

    def chunks():  # no Content-Length: chunked, so only counting the stream finds the size
        for start in range(0, len(big), 1000):
            yield big[start : start + 1000]

    answer = http.post(recipe.create_path, content=chunks(), headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == 413
    assert mocks.journal(vendor=vendor)[-1].extra == {"aborted": "body larger than the limit: not executed"}
    assert _rows(mocks, vendor) == before
    small = http.post(recipe.create_path, json=recipe.create_body("small"), headers=headers)
    assert small.status_code in (200, 201)


def _unreadable(http, vendor: str, headers: dict, content: bytes) -> httpx.Response:
    return http.post(
        RECIPES[vendor].create_path, content=content, headers={**headers, "Content-Type": "application/json"}
    )


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize(
    "content",
    [
        b"[" * 129 + b"]" * 129,
        b"[" * 100_000 + b"]" * 100_000,
        b'{"name": "' + b"a" * 10 + b'", "deep": ' + b"[" * 128 + b"]" * 128 + b"}",
        b'{"name": "caf\xe9"}',
    ],
    ids=["129-deep", "100k-deep", "deep-field", "latin-1"],
)
def test_deep_json_and_invalid_utf8_get_the_vendors_answer_to_an_unreadable_body(mocks, http, vendor, content):
    headers = vendor_headers(http, vendor)
    before = _rows(mocks, vendor)
    unreadable = _unreadable(http, vendor, headers, b"{")
    answer = _unreadable(http, vendor, headers, content)
    assert answer.status_code == unreadable.status_code != 500
    assert answer.headers["content-type"] == unreadable.headers["content-type"]
    assert _rows(mocks, vendor) == before


def test_json_nested_up_to_the_limit_is_accepted(http):
    headers = vendor_headers(http, "perscom")
    nested = b'{"name": "deep", "description": null, "x": ' + b"[" * 127 + b"]" * 127 + b"}"
    answer = http.post("/perscom/v1/ranks", content=nested, headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == 201
    assert answer.json()["data"]["name"] == "deep"


def test_the_journal_keeps_a_bounded_number_of_bytes():
    journal = Journal(capacity=1000, max_bytes=100_000)
    for seq in range(50):
        journal.add(Entry(seq, 0.0, "v", "t", "POST", "/x", "", {}, b"b" * 10_000, 200, [], b"r" * 10_000))
    kept = journal.query()
    assert 0 < journal.bytes <= 100_000
    assert [e.seq for e in kept] == list(range(50 - len(kept), 50))  # the newest ones
    assert len(kept) == 4


def test_the_journal_cuts_bodies_with_a_marker():
    journal = Journal(body_limit=4)
    journal.add(Entry(1, 0.0, "v", "t", "POST", "/x", "", {}, b"abcdef", 200, [], b"xy"))
    assert journal.query()[0].to_dict()["request_body"] == "abcd…"


def test_limits_must_be_positive_integers():
    with pytest.raises(ValueError, match="body_bytes"):
        Limits(body_bytes=0)
