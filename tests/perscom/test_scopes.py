"""`<action>:<resource>` scopes per operation (APP1 `app/Policies/*`, `config/permissions.php`;
ORION `HandlesRelation*Operations`), the nested-relation rules and the self-access
exceptions, checked across every operation of the route table."""

from __future__ import annotations

import pytest

from mocks.perscom.auth import operation_ability, scope_of
from mocks.perscom.domain_routes import operations

from .conftest import FORBIDDEN, JANE, JOHN

# (method, path, body, scope that allows it)
CASES = [
    ("GET", "/users", None, "view:user"),
    ("POST", "/users/search", {}, "view:user"),
    ("POST", "/ranks", {"name": "General"}, "create:rank"),
    ("POST", "/ranks/batch", {"resources": [{"name": "General"}]}, "create:rank"),
    ("PATCH", "/ranks/2", {"name": "Private E-2"}, "update:rank"),
    ("PUT", "/ranks/2", {"name": "Private E-2"}, "update:rank"),
    ("PATCH", "/ranks/batch", {"resources": {"2": {"order": 3}}}, "update:rank"),
    ("DELETE", "/ranks/2", None, "delete:rank"),
    ("DELETE", "/ranks/batch", {"resources": [2]}, "delete:rank"),
    ("GET", "/users/4/rank-records", None, "view:rankrecord"),  # nested index: the child's scope
    ("POST", "/users/4/rank-records", {"rank_id": 2, "type": 0}, "create:rankrecord"),
    ("POST", "/users/4/service-records/associate", {"related_key": 1}, "update:servicerecord view:user"),
    ("DELETE", "/users/1/service-records/1/dissociate", None, "update:servicerecord"),
    ("POST", "/users/4/tasks/attach", {"resources": [1]}, "update:user"),  # many-to-many: update on the parent
    ("DELETE", "/users/4/tasks/detach", {"resources": [1]}, "update:user"),
    ("PATCH", "/users/4/tasks/sync", {"resources": [1]}, "update:user"),
    ("PATCH", "/users/4/tasks/toggle", {"resources": [1]}, "update:user"),
    ("PATCH", "/users/4/tasks/1/pivot", {"pivot": {}}, "update:user"),
    ("GET", "/users/4/tasks", None, "view:task"),
    ("PATCH", "/categories/1/ranks/sync", {"resources": [1]}, "update:category"),
    ("GET", "/users/4/rank", None, "view:rank"),  # belongsTo: the related model's
    ("POST", "/ranks/17/image", {"name": "x"}, "create:image"),  # ImagePolicy
    ("GET", "/ranks/1/image", None, "view:rank"),
    ("PATCH", "/ranks/1/image", {"name": "x"}, "update:rank"),
    ("GET", "/newsfeed", None, "manage:newsfeed"),
    ("PATCH", "/newsfeed/1/likes/sync", {"resources": [1]}, "manage:newsfeed"),
    ("GET", "/me", None, "view:user"),
    ("GET", "/users/4/fields", None, "view:field"),
    ("GET", "/users/4/status-records", None, "view:status"),
    ("GET", "/events/1/images", None, "view:event"),
]


@pytest.mark.parametrize("method, path, body, scope", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_scope_is_required(api, method, path, body, scope):
    """`scope`: what the call needs (the first scope is the operation's own; others it also checks)."""
    needed = scope.split()
    action, resource = needed[0].split(":")
    other = f"{'create' if action != 'create' else 'view'}:{resource}"
    denied = api([other, *needed[1:]]).request(method, path, body)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    if len(needed) > 1:
        assert api(needed[:1]).request(method, path, body).json() == FORBIDDEN
    allowed = api(needed).request(method, path, body)
    assert allowed.status_code in (200, 201, 422), allowed.text
    if method != "DELETE":
        assert api(["*"]).request(method, path, body).status_code == allowed.status_code


def test_every_operation_names_a_scope():
    """The table above samples; the rule holds for all ~550 operations."""
    for op in operations():
        ability, model = operation_ability(op)
        scope = scope_of(ability, model)
        assert scope.split(":")[0] in ("view", "create", "update", "delete", "manage"), op.operation_id


def test_a_key_may_view_and_update_its_own_user(api):
    member = api([], user_id=JANE)
    assert member.get(f"/users/{JANE}").status_code == 200
    assert member.patch(f"/users/{JANE}", {"name": "Jane Q. Smith"}).json()["data"]["name"] == "Jane Q. Smith"
    assert member.put(f"/users/{JANE}", {"name": "Jane Smith"}).status_code == 200
    assert member.post(f"/users/{JANE}/tasks/attach", {"resources": [1]}).status_code == 200
    for method, path in (
        ("GET", f"/users/{JOHN}"),
        ("PATCH", f"/users/{JOHN}"),
        ("DELETE", f"/users/{JANE}"),
        ("GET", "/users"),
        ("GET", "/me"),
        ("GET", "/users/999"),
        ("POST", f"/users/{JOHN}/tasks/attach"),
    ):
        response = member.request(method, path, {"name": "x", "resources": [1]})
        assert response.json() == FORBIDDEN, (method, path)


def test_policy_comes_before_validation_for_ones_own_user(api):
    member = api([], user_id=JANE)
    other = member.patch(f"/users/{JOHN}", {"email": "bad"})
    assert (other.status_code, other.json()) == (403, FORBIDDEN)
    own = member.patch(f"/users/{JANE}", {"email": "bad"})
    assert (own.status_code, own.json()["error"]["type"]) == (422, "ValidationException")
    assert own.json()["error"]["message"] == "The email field must be a valid email address."


def test_a_key_may_view_its_own_records(api, admin):
    member = api([], user_id=JANE)
    own = admin.get(f"/users/{JANE}/rank-records").json()["data"][0]["id"]
    others = admin.get(f"/users/{JOHN}/rank-records").json()["data"][0]["id"]
    assert member.get(f"/rank-records/{own}").json()["data"]["user_id"] == JANE
    assert member.get(f"/users/{JANE}/rank-records/{own}").status_code == 200
    assert member.get(f"/rank-records/{others}").json() == FORBIDDEN
    assert member.get(f"/users/{JANE}/rank-records").json() == FORBIDDEN  # listing needs the scope
    assert member.patch(f"/rank-records/{own}", {"text": "x"}).json() == FORBIDDEN


def test_attach_only_links_what_the_key_may_view(api, admin):
    admin.patch("/users/12/tasks/sync", {"resources": []})
    updater = api(["update:user"])
    assert updater.post("/users/12/tasks/attach", {"resources": [1, 2]}).json() == {"attached": []}
    assert api(["update:user", "view:task"]).post("/users/12/tasks/attach", {"resources": [1, 2]}).json() == {
        "attached": [1, 2]
    }
