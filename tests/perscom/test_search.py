"""POST …/search: Orion's filters (every operator, nesting), keyword search, sort and their validation."""

from __future__ import annotations

import pytest

from .conftest import invalid


def _ids(admin, body: dict, path: str = "/ranks/search") -> list[int]:
    response = admin.post(path, body, params={"limit": 100})
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


# Ranks 1..18 in fixture order: order 0..17, paygrades E-1 … O-6, abbreviations PVT … COL.
@pytest.mark.parametrize(
    "operator, value, expected",
    [
        ("=", 5, [5]),
        ("=", "5", [5]),
        ("!=", 5, [i for i in range(1, 19) if i != 5]),
        ("<", 3, [1, 2]),
        ("<=", 3, [1, 2, 3]),
        (">", 16, [17, 18]),
        (">=", 17, [17, 18]),
        ("in", [1, 3, 99], [1, 3]),
        ("not in", list(range(3, 19)), [1, 2]),
    ],
)
def test_numeric_operators(admin, operator, value, expected):
    assert _ids(admin, {"filters": [{"field": "id", "operator": operator, "value": value}]}) == expected


@pytest.mark.parametrize(
    "operator, value, expected",
    [
        ("=", "corporal", [5]),  # MySQL's case-insensitive collation
        ("like", "%sergeant%", [6, 7, 8, 9, 10, 11]),
        ("like", "Private%", [1, 2, 3]),
        ("like", "_ajor", [16]),
        ("not like", "%e%", [5, 15, 16]),
        ("ilike", "%LIEUTENANT", [13, 14]),
        ("not ilike", "%a%", [18]),
    ],
)
def test_string_operators(admin, operator, value, expected):
    assert _ids(admin, {"filters": [{"field": "name", "operator": operator, "value": value}]}) == expected


def test_default_operator_is_equals_and_null_becomes_is_null(admin):
    assert _ids(admin, {"filters": [{"field": "abbreviation", "value": "CPL"}]}) == [5]
    assert _ids(admin, {"filters": [{"field": "description", "operator": "=", "value": None}]}) == []
    assert len(_ids(admin, {"filters": [{"field": "description", "operator": "!=", "value": None}]})) == 18


def _recurring(admin) -> dict[int, list[str]]:
    events = admin.get("/events", limit=100).json()["data"]
    return {e["id"]: e["by_day"] for e in events if isinstance(e["by_day"], list)}


def test_json_operators(admin):
    """`any in`/`all in` are whereJsonContains per value, OR-ed/AND-ed (the seeded weekly events carry
    `by_day` lists: Staff Meeting on two days, Range Day on one)."""
    recurring = _recurring(admin)
    (staff, staff_days), (range_day, range_days) = sorted(recurring.items())
    assert len(staff_days) == 2 and len(range_days) == 1 and staff_days[0] not in range_days

    def search(operator, value):
        return _ids(admin, {"filters": [{"field": "by_day", "operator": operator, "value": value}]}, "/events/search")

    def having(day):
        return sorted(i for i, days in recurring.items() if day in days)

    assert search("any in", [staff_days[0]]) == [staff]
    assert search("any in", [staff_days[0], range_days[0]]) == sorted({staff, range_day} | set(having(range_days[0])))
    assert search("all in", staff_days) == [staff]
    assert search("all in", [staff_days[0], range_days[0]]) == sorted(
        set(having(staff_days[0])) & set(having(range_days[0]))
    )
    assert search("all in", [staff_days[1]]) == having(staff_days[1]) and staff in having(staff_days[1])
    assert search("any in", ["XX"]) == [] and search("all in", staff_days + ["XX"]) == []
    assert search("any in", staff_days[0]) == [staff]  # a single value: one whereJsonContains
    assert len(search("all in", [])) == len(admin.get("/events", limit=100).json()["data"])  # empty: no constraint
    assert (
        _ids(
            admin, {"filters": [{"field": "name", "operator": "all in", "value": ["Staff Meeting"]}]}, "/events/search"
        )
        == []
    )  # only JSON columns hold lists


def test_search_body_includes(admin):
    """The search body's `includes` (orion-docs 06.search.md): merged with `?include=`, same whitelist."""

    def users(body, **params):
        response = admin.post("/users/search", body, params={"limit": 3, **params})
        assert response.status_code == 200, response.text
        return response.json()["data"]

    plain = users({})
    assert "rank" not in plain[0] and "unit" not in plain[0]
    with_rank = users({"includes": [{"relation": "rank"}]})
    assert [u["rank"]["id"] for u in with_rank] == [u["rank_id"] for u in plain]
    both = users(
        {"includes": [{"relation": "rank"}, {"relation": "password"}, "unit", {"relation": 5}]}, include="unit"
    )
    assert [(u["rank"]["id"], u["unit"]["id"] if u["unit"] else None) for u in both] == [
        (u["rank_id"], u["unit_id"]) for u in plain
    ]
    assert "password" not in both[0]
    nested = users({"includes": {"0": {"relation": "rank_records.rank"}}})[0]["rank_records"]
    assert nested and all(r["rank"]["id"] == r["rank_id"] for r in nested)
    created = admin.post("/ranks", {"name": "Marshal", "includes": [{"relation": "image"}]}).json()["data"]
    assert created["image"] is None and "includes" not in created  # Orion reads `includes` on every action


def test_dates_compare_as_dates(admin, mocks):
    mocks.clock.freeze()
    created = admin.post("/ranks", {"name": "General", "created_at": "2001-02-03 04:05:06"}).json()["data"]
    assert created["created_at"] == "2001-02-03T04:05:06.000000Z"
    assert _ids(admin, {"filters": [{"field": "created_at", "operator": "<", "value": "2001-02-04"}]}) == [
        created["id"]
    ]
    assert _ids(admin, {"filters": [{"field": "created_at", "operator": "like", "value": "2001-02-03%"}]}) == [
        created["id"]
    ]


def test_and_or_and_nested_filters(admin):
    body = {
        "filters": [
            {"field": "paygrade", "operator": "like", "value": "O-%"},
            {"field": "order", "operator": ">", "value": 15},
            {
                "type": "or",
                "nested": [
                    {"field": "abbreviation", "value": "PVT"},
                    {"type": "or", "field": "abbreviation", "value": "PV2"},
                ],
            },
        ]
    }
    assert _ids(admin, body) == [1, 2, 17, 18]  # (O-% AND order > 15) OR (PVT OR PV2)


def test_relation_fields(admin):
    users = _ids(admin, {"filters": [{"field": "rank.abbreviation", "value": "CPL"}]}, "/users/search")
    assert 1 in users
    for user in admin.post("/users/search", {"filters": [{"field": "rank.abbreviation", "value": "CPL"}]}).json()[
        "data"
    ]:
        assert user["rank_id"] == 5


def test_keyword_search(admin):
    assert _ids(admin, {"search": {"value": "Lieutenant"}}) == [13, 14, 17]
    assert _ids(admin, {"search": {"value": "lieutenant"}}) == []  # case-sensitive by default
    assert _ids(admin, {"search": {"value": "lieutenant", "case_sensitive": False}}) == [13, 14, 17]
    users = admin.post("/users/search", {"search": {"value": "john@example"}}).json()["data"]
    assert [u["id"] for u in users] == [1]


def test_sort(admin):
    assert _ids(admin, {"sort": [{"field": "paygrade", "direction": "desc"}, {"field": "id"}]})[:3] == [12, 18, 17]
    assert _ids(
        admin, {"filters": [{"field": "paygrade", "value": "E-4"}], "sort": [{"field": "name", "direction": "desc"}]}
    ) == [4, 5]
    users = admin.post("/users/search", {"sort": [{"field": "rank.order", "direction": "desc"}]}).json()["data"]
    orders = [u["rank_id"] for u in users]
    assert orders == sorted(orders, reverse=True)


@pytest.mark.parametrize(
    "body, message",
    [
        ({"filters": [{"field": "password", "value": "x"}]}, "The password field is not whitelisted."),
        ({"filters": [{"field": 5, "value": "x"}]}, "The 5 field is not whitelisted."),
        ({"filters": [{"nested": [{"field": "author.name"}]}]}, "The author.name field is not whitelisted."),
        (
            {"filters": [{"field": "name", "operator": "~", "value": "x"}]},
            "The selected filters.0.operator is invalid.",
        ),
        (
            {"filters": [{"operator": "="}]},
            "The filters.0.field field is required when filters.0.nested is not present.",
        ),
        ({"filters": [{"field": "name", "type": "xor"}]}, "The selected filters.0.type is invalid."),
        ({"filters": "name"}, "The filters field must be an array."),
        ({"sort": [{"field": "secret"}]}, "The secret field is not whitelisted."),
        ({"sort": [{"field": True}]}, "The sort.0.field field format is invalid. (and 1 more error)"),
        ({"sort": [{"field": "naïve"}]}, "The sort.0.field field format is invalid. (and 1 more error)"),
        ({"sort": [{"field": "name", "direction": "up"}]}, "The selected sort.0.direction is invalid."),
        ({"search": {"value": 5}}, "The search.value field must be a string."),
        ({"scopes": [{"name": "active"}]}, "The selected scopes.0.name is invalid."),
        (
            {"filters": [{"field": "a b", "value": 1}]},
            "The filters.0.field field format is invalid. (and 1 more error)",
        ),
    ],
)
def test_validation(admin, body, message):
    response = admin.post("/ranks/search", body)
    assert response.status_code == 422 and response.json() == invalid(message)


def test_nesting_deeper_than_one_level(admin):
    body = {"filters": [{"nested": [{"nested": [{"field": "id", "value": 1}]}]}]}
    response = admin.post("/ranks/search", body)
    assert response.status_code == 422
    assert response.json() == {"error": {"message": "Max nested depth 1 is exceeded", "type": "HttpException"}}


def test_search_respects_the_route_and_trash(admin):
    assert admin.delete("/ranks/1").status_code == 200
    assert 1 not in _ids(admin, {})
    assert admin.post("/ranks/search", {}, params={"with_trashed": "true", "limit": 100}).json()["meta"]["total"] == 18
    records = admin.post("/users/2/rank-records/search", {"sort": [{"field": "id", "direction": "desc"}]}).json()[
        "data"
    ]
    assert records and all(r["user_id"] == 2 for r in records)
