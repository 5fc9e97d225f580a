"""Laravel's paginator (LengthAwarePaginator + UrlWindow of Laravel 8–10), page by page."""

from __future__ import annotations

import pytest

from mocks.core.pagination import decode_cursor, encode_cursor, laravel_page, offset_page


def labels(page: int, last: int) -> list[str]:
    body = laravel_page(list(range(last * 2)), page=page, per_page=2, url="http://h/v1/users")
    return [link["label"] for link in body["meta"]["links"][1:-1]]


@pytest.mark.parametrize(
    "page, expected",
    [
        (1, "1 2 3 4 5 6 7 8 9 10 ... 19 20"),
        (7, "1 2 3 4 5 6 7 8 9 10 ... 19 20"),
        (8, "1 2 ... 5 6 7 8 9 10 11 ... 19 20"),
        (13, "1 2 ... 10 11 12 13 14 15 16 ... 19 20"),
        (14, "1 2 ... 11 12 13 14 15 16 17 18 19 20"),
        (20, "1 2 ... 11 12 13 14 15 16 17 18 19 20"),
    ],
)
def test_url_window_of_laravel_10(page, expected):
    assert " ".join(labels(page, 20)) == expected


def test_small_page_counts_list_every_page():
    assert labels(5, 13) == [str(n) for n in range(1, 14)]


def test_envelope_first_middle_last_and_empty_pages():
    rows = list(range(5))
    first = laravel_page(rows, page=1, per_page=2, url="http://h/v1/users", query={"include": "rank"})
    assert first["links"] == {
        "first": "http://h/v1/users?include=rank&page=1",
        "last": "http://h/v1/users?include=rank&page=3",
        "prev": None,
        "next": "http://h/v1/users?include=rank&page=2",
    }
    assert first["meta"]["links"][0] == {"url": None, "label": "&laquo; Previous", "active": False}
    assert first["meta"]["links"][1] == {"url": "http://h/v1/users?include=rank&page=1", "label": "1", "active": True}
    assert (first["meta"]["from"], first["meta"]["to"], first["meta"]["total"]) == (1, 2, 5)
    last = laravel_page(rows, page=3, per_page=2, url="http://h/v1/users")
    assert (last["data"], last["links"]["next"], last["meta"]["links"][-1]["url"]) == ([4], None, None)
    empty = laravel_page(rows, page=9, per_page=2, url="http://h/v1/users")
    assert (empty["data"], empty["meta"]["from"], empty["meta"]["to"]) == ([], None, None)


def test_offset_page_and_cursors():
    assert offset_page(list(range(10)), 8, 5).items == [8, 9]
    cursor = encode_cursor({"after": 42}, prefix="cur_")
    assert decode_cursor(cursor, prefix="cur_") == {"after": 42}
    assert decode_cursor("cur_!!!", prefix="cur_") is None and decode_cursor(cursor) is None


def test_serialization_survives_big_integers_and_reads_ascii_digits_only():
    from mocks.core.serialization import ascii_int, dumps

    assert dumps({"n": 10**30}) == b'{"n":1000000000000000000000000000000}'
    assert [ascii_int(v) for v in ("12", " -3 ", "²", "١", "1.0", True, 7)] == [12, -3, None, None, None, None, 7]
