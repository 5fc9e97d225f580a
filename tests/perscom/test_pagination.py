"""Laravel's paginated resource response, byte for byte (Laravel 10's
`PaginatedResourceResponse` and `LengthAwarePaginator`, as APP1 runs it; ORION `BuildsResponses`)."""

from __future__ import annotations

import pytest


def _links(base: str, page: int, last: int) -> list[dict]:
    def url(n: int) -> str:
        return f"{base}?page={n}"

    items = [{"url": url(page - 1) if page > 1 else None, "label": "&laquo; Previous", "active": False}]
    items += [{"url": url(n), "label": str(n), "active": n == page} for n in range(1, last + 1)]
    items.append({"url": url(page + 1) if page < last else None, "label": "Next &raquo;", "active": False})
    return items


@pytest.mark.parametrize(
    "page, ids, prev, next_",
    [
        (1, list(range(1, 16)), None, 2),
        (2, list(range(16, 31)), 1, 3),
        (3, list(range(31, 41)), 2, None),
    ],
)
def test_pages_of_the_users(admin, mocks, page, ids, prev, next_):
    base = f"{mocks.server.url}/perscom/v1/users"
    body = admin.get("/users", page=page).json()
    assert [u["id"] for u in body["data"]] == ids
    assert list(body) == ["data", "links", "meta"]
    assert body["links"] == {
        "first": f"{base}?page=1",
        "last": f"{base}?page=3",
        "prev": f"{base}?page={prev}" if prev else None,
        "next": f"{base}?page={next_}" if next_ else None,
    }
    assert body["meta"] == {
        "current_page": page,
        "from": ids[0],
        "last_page": 3,
        "links": _links(base, page, 3),
        "path": base,
        "per_page": 15,
        "to": ids[-1],
        "total": 40,
    }


def test_empty_page(admin, mocks):
    base = f"{mocks.server.url}/perscom/v1/users"
    body = admin.get("/users", page=9).json()
    assert body["data"] == []
    assert body["meta"]["from"] is None and body["meta"]["to"] is None
    assert body["meta"]["current_page"] == 9 and body["links"]["next"] is None
    assert body["links"]["prev"] == f"{base}?page=8"


def test_empty_collection(admin):
    body = admin.post("/users/search", {"filters": [{"field": "name", "value": "Nobody"}]}).json()
    assert body["data"] == [] and body["meta"]["total"] == 0 and body["meta"]["last_page"] == 1
    assert (body["meta"]["from"], body["meta"]["to"]) == (None, None)


@pytest.mark.parametrize(
    "params, per_page, page",
    [
        ({"limit": 5}, 5, 1),
        ({"limit": "0"}, 15, 1),
        ({"limit": "abc"}, 15, 1),
        ({"limit": "-3"}, 15, 1),
        ({"limit": "1000"}, 1000, 1),
        ({"page": "abc"}, 15, 1),
        ({"page": "0"}, 15, 1),
        ({"page": "2", "limit": "20"}, 20, 2),
        ({"page": "99999999999999999999999"}, 15, 1),
        ({"limit": "99999999999999999999"}, 2**63 - 1, 1),
    ],
)
def test_page_and_limit_parameters(admin, params, per_page, page):
    meta = admin.get("/users", **params).json()["meta"]
    assert (meta["per_page"], meta["current_page"]) == (per_page, page)


def test_links_drop_other_parameters_like_laravel(admin, mocks):
    body = admin.get("/users", limit=10, include="rank").json()
    assert body["links"]["next"] == f"{mocks.server.url}/perscom/v1/users?page=2"


def test_links_use_the_host_the_client_called(http, mocks):
    token = mocks.token("perscom", "1")["access_token"]
    body = http.get(
        "/v1/users", headers={"Host": "api.perscom.io", "Authorization": f"Bearer {token}", "X-Perscom-Id": "1"}
    ).json()
    assert body["links"]["first"] == "http://api.perscom.io/v1/users?page=1"
    assert body["meta"]["path"] == "http://api.perscom.io/v1/users"


def test_long_page_lists_use_laravels_window(admin, mocks):
    """Laravel 8-10's UrlWindow (onEachSide 3): all pages up to 13; then the first 10 pages near the start
    (page <= 7), the last 10 near the end (page > last - 7), else 1 2 … a slider of 7 … last-1 last."""
    base = f"{mocks.server.url}/perscom/v1/rank-records"
    last = admin.get("/rank-records", limit=2).json()["meta"]["last_page"]
    assert last >= 22, "the seeded rank records give a long page list"

    def labels(page: int) -> list[str]:
        meta = admin.get("/rank-records", limit=2, page=page).json()["meta"]
        assert meta["current_page"] == page
        assert {"url": f"{base}?page={page}", "label": str(page), "active": True} in meta["links"]
        assert [link["label"] for link in meta["links"] if link["active"]] == [str(page)]
        gaps = [link for link in meta["links"] if link["label"] == "..."]
        assert all(gap == {"url": None, "label": "...", "active": False} for gap in gaps)
        return [link["label"] for link in meta["links"]][1:-1]

    def pages(*numbers) -> list[str]:
        return [str(n) for n in numbers]

    start = pages(*range(1, 11)) + ["..."] + pages(last - 1, last)
    finish = pages(1, 2) + ["..."] + pages(*range(last - 9, last + 1))
    assert labels(1) == start and labels(2) == start and labels(7) == start  # first, near-first
    assert labels(8) == pages(1, 2) + ["..."] + pages(*range(5, 12)) + ["..."] + pages(last - 1, last)
    middle = last // 2
    assert labels(middle) == pages(1, 2) + ["..."] + pages(*range(middle - 3, middle + 4)) + ["..."] + pages(
        last - 1, last
    )  # middle
    assert labels(last - 7) == pages(1, 2) + ["..."] + pages(*range(last - 10, last - 3)) + ["..."] + pages(
        last - 1, last
    )  # near-last, still a slider
    assert labels(last - 6) == finish and labels(last) == finish  # near-last, last
    first = admin.get("/rank-records", limit=2, page=1).json()["meta"]["links"]
    assert first[0] == {"url": None, "label": "&laquo; Previous", "active": False}
    assert first[-1] == {"url": f"{base}?page=2", "label": "Next &raquo;", "active": False}
    few = admin.get("/rank-records", limit=-(-admin.get("/rank-records").json()["meta"]["total"] // 13)).json()
    assert [link["label"] for link in few["meta"]["links"]][1:-1] == pages(*range(1, few["meta"]["last_page"] + 1))


def test_search_pages_and_nested_listings(admin, mocks):
    body = admin.post("/users/search", {"sort": [{"field": "id", "direction": "desc"}]}, params={"page": 3}).json()
    assert [u["id"] for u in body["data"]] == list(range(10, 0, -1))
    assert body["meta"]["path"] == f"{mocks.server.url}/perscom/v1/users/search"
    nested = admin.get("/users/1/rank-records").json()
    assert nested["meta"]["path"] == f"{mocks.server.url}/perscom/v1/users/1/rank-records"
