"""Orion's relation routes (APP1 routes/api.php; ORION `src/Http/Routing/*`, orion-docs 04.relationships.md):
 hasMany with associate/dissociate, belongsTo with an optional id,
hasOne images, belongsToMany/morphToMany with attach/detach/sync/toggle/pivot, and the batch actions."""

from __future__ import annotations

import pytest

from .conftest import invalid, not_found

RECORD_ROUTES = [
    ("assignment-records", "AssignmentRecord", {"type": "secondary", "unit_id": 4}),
    ("award-records", "AwardRecord", {"award_id": 2}),
    ("combat-records", "CombatRecord", {"text": "Operation Dawn"}),
    ("qualification-records", "QualificationRecord", {"qualification_id": 2}),
    ("rank-records", "RankRecord", {"rank_id": 6, "type": 0}),
    ("service-records", "ServiceRecord", {"text": "Transferred"}),
]


# -- hasMany ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("segment, model, body", RECORD_ROUTES, ids=[r[0] for r in RECORD_ROUTES])
def test_records_under_a_user(admin, segment, model, body):
    listing = admin.get(f"/users/2/{segment}", limit=100).json()
    assert all(r["user_id"] == 2 for r in listing["data"])
    created = admin.post(f"/users/2/{segment}", {**body, "user_id": 7})  # the parent wins over the body
    assert created.status_code == 201, created.text
    record = created.json()["data"]
    assert record["user_id"] == 2
    assert admin.get(f"/users/2/{segment}").json()["meta"]["total"] == listing["meta"]["total"] + 1
    assert admin.get(f"/users/2/{segment}/{record['id']}").json()["data"] == record
    assert admin.get(f"/users/3/{segment}/{record['id']}").json() == not_found(model)  # not that user's
    assert admin.get(f"/users/999/{segment}").json() == not_found("User")

    dissociated = admin.delete(f"/users/2/{segment}/{record['id']}/dissociate")
    assert dissociated.status_code == 200 and dissociated.json()["data"]["user_id"] is None
    associated = admin.post(f"/users/3/{segment}/associate", {"related_key": record["id"]})
    assert associated.status_code == 200 and associated.json()["data"]["user_id"] == 3
    assert admin.post(f"/users/3/{segment}/associate", {}).json() == invalid("The related key field is required.")
    assert admin.post(f"/users/3/{segment}/associate", {"related_key": 10**6}).json() == not_found(model)


def test_top_level_records_require_a_user(admin):
    assert admin.post("/users/1/service-records", {}).json() == invalid("The text field is required.")
    assert admin.post("/service-records", {}).json() == invalid("The user id field is required. (and 1 more error)")


def test_form_submissions_and_event_images(admin):
    submission = admin.post("/forms/2/submissions", {"user_id": 4}).json()["data"]
    assert (submission["form_id"], submission["user_id"]) == (2, 4)
    assert all(s["form_id"] == 2 for s in admin.get("/forms/2/submissions").json()["data"])
    image = admin.post(
        "/events/1/images", files={"image": ("flyer.png", b"\x89PNG...", "image/png")}, data={"name": "Flyer"}
    )
    assert image.status_code == 201, image.text
    data = image.json()["data"]
    assert (data["model_type"], data["model_id"], data["filename"]) == ("App\\Models\\Event", 1, "flyer.png")
    assert data["path"].startswith("images/") and data["image_url"].endswith(data["path"])


# -- belongsTo --------------------------------------------------------------------------------------------
def test_belongs_to_with_optional_id(admin):
    rank = admin.get("/users/1/rank").json()["data"]
    assert rank["id"] == 5 and rank["name"] == "Corporal"
    assert admin.get("/users/1/rank/5").json()["data"] == rank
    assert admin.get("/users/1/rank/6").json() == not_found("Rank")
    assert admin.get("/users/3/unit").json() == not_found("Unit")  # the recruit has no unit
    updated = admin.patch("/users/1/rank", {"paygrade": "E-4P"}).json()["data"]
    assert updated["paygrade"] == "E-4P" and admin.get("/ranks/5").json()["data"]["paygrade"] == "E-4P"
    batch = admin.patch("/users/1/status/batch", {"resources": {"1": {"name": "Active"}, "2": {"name": "Nope"}}})
    assert [s["id"] for s in batch.json()["data"]] == [1]  # only the user's own status
    assert admin.get("/statuses/2").json()["data"]["name"] == "Reserve"


def test_belongs_to_has_no_store(admin):
    response = admin.post("/users/1/rank", {"name": "X"})
    assert response.status_code == 405
    assert response.json()["error"]["message"] == (
        "The POST method is not supported for route v1/users/1/rank. Supported methods: GET, HEAD, PUT, PATCH, DELETE."
    )


# -- hasOne (images) ----------------------------------------------------------------------------------------
def test_rank_image(admin):
    image = admin.get("/ranks/1/image").json()["data"]
    assert (image["model_type"], image["model_id"]) == ("App\\Models\\Rank", 1)
    assert admin.get(f"/ranks/1/image/{image['id']}").json()["data"] == image
    assert admin.get("/ranks/17/image").json() == not_found("Image")
    assert admin.post("/ranks/17/image", {"name": "x"}).json() == invalid("The image field is required.")
    upload = admin.post(
        "/ranks/17/image", data={"name": "Oak leaf"}, files={"image": ("ltc.svg", b"<svg/>", "image/svg+xml")}
    )
    assert upload.status_code == 201, upload.text
    assert admin.get("/ranks/17/image").json()["data"]["name"] == "Oak leaf"
    not_image = admin.post("/awards/8/image", data={"name": "x"}, files={"image": ("a.txt", b"hi", "text/plain")})
    assert not_image.json() == invalid("The image field must be an image.")
    assert admin.patch("/ranks/17/image", {"description": "Silver"}).json()["data"]["description"] == "Silver"
    assert admin.delete("/ranks/17/image").json()["data"]["deleted_at"] is not None
    assert admin.get("/ranks/17/image").status_code == 404


# -- many-to-many -------------------------------------------------------------------------------------------
def _task_ids(admin, user: int) -> list[int]:
    return [t["id"] for t in admin.get(f"/users/{user}/tasks").json()["data"]]


def test_attach_detach_sync_toggle(admin):
    before = _task_ids(admin, 10)
    admin.patch("/users/10/tasks/sync", {"resources": []})
    assert _task_ids(admin, 10) == []
    assert admin.post("/users/10/tasks/attach", {"resources": [3, 1, 99]}).json() == {"attached": [1, 3]}
    assert admin.post("/users/10/tasks/attach", {"resources": [1]}).json() == {"attached": []}
    assert admin.post("/users/10/tasks/attach", {"resources": [1], "duplicates": True}).json() == {"attached": [1]}
    assert _task_ids(admin, 10) == [1, 3, 1]
    assert admin.delete("/users/10/tasks/detach", {"resources": [1, 2, 99]}).json() == {"detached": [1, 2]}
    assert _task_ids(admin, 10) == [3]
    assert admin.patch("/users/10/tasks/sync", {"resources": {"2": {"due_at": "2031-01-01"}}}).json() == {
        "attached": [2],
        "detached": [3],
        "updated": [],
    }
    assert admin.patch("/users/10/tasks/sync", {"resources": [1], "detaching": False}).json() == {
        "attached": [1],
        "detached": [],
        "updated": [],
    }
    assert admin.patch("/users/10/tasks/toggle", {"resources": [1, 3]}).json() == {"attached": [3], "detached": [1]}
    assert admin.patch("/users/10/tasks/2/pivot", {"pivot": {"completed_at": "2031-02-01"}}).json() == {"updated": [2]}
    assert admin.get("/users/10/tasks/2").json()["data"]["assignment"]["completed_at"] == "2031-02-01"
    assert admin.post("/users/10/tasks/attach", {}).json() == invalid("The resources field must be present.")
    assert admin.patch("/users/10/tasks/2/pivot", {}).json() == invalid("The pivot field is required.")
    _ = before


def test_pivot_accessors(admin):
    admin.patch("/users/10/tasks/sync", {"resources": {"2": {"due_at": "2031-01-01 12:00:00", "secret": "no"}}})
    task = admin.get("/users/10/tasks/2").json()["data"]
    assignment = task["assignment"]  # belongsToMany(...)->as('assignment')
    assert (assignment["user_id"], assignment["task_id"]) == (10, 2)
    assert assignment["due_at"] == "2031-01-01 12:00:00" and "secret" not in assignment
    assert list(assignment)[:2] == ["user_id", "task_id"] and list(assignment)[-2:] == ["created_at", "updated_at"]
    status = admin.get("/users/1/status-records").json()["data"][0]
    assert status["record"]["model_type"] == "App\\Models\\User" and status["record"]["text"]
    ranks = admin.get("/categories/2/ranks").json()["data"]
    assert ranks[0]["pivot"]["category_id"] == 2 and ranks[0]["pivot"]["model_type"] == "App\\Models\\Rank"


def test_store_update_destroy_under_many_to_many(admin):
    created = admin.post("/users/10/tasks", {"title": "Qualify", "pivot": {"due_at": "2031-03-01"}})
    assert created.status_code == 201
    task = created.json()["data"]
    assert task["assignment"]["user_id"] == 10 and task["assignment"]["due_at"] == "2031-03-01"
    changed = admin.patch(f"/users/10/tasks/{task['id']}", {"title": "Qualify now", "pivot": {"due_at": "2031-04-01"}})
    assert changed.json()["data"]["title"] == "Qualify now"
    assert changed.json()["data"]["assignment"]["due_at"] == "2031-04-01"
    assert admin.get(f"/users/11/tasks/{task['id']}").json() == not_found("Task")
    gone = admin.delete(f"/users/10/tasks/{task['id']}")
    assert gone.json()["data"]["deleted_at"] is not None
    assert admin.get(f"/tasks/{task['id']}").status_code == 404  # destroy deletes the task, not the link


def test_categories_and_submission_statuses(admin):
    assert admin.post("/categories/1/awards/attach", {"resources": [6, 7]}).json() == {"attached": [6, 7]}
    assert [a["id"] for a in admin.get("/categories/1/awards").json()["data"]] == [1, 2, 3, 4, 5, 6, 7]
    assert admin.post("/submissions/1/statuses/attach", {"resources": {"3": {"text": "On leave"}}}).json() == {
        "attached": [3]
    }
    statuses = admin.get("/submissions/1/statuses").json()["data"]
    assert statuses[-1]["id"] == 3 and statuses[-1]["record"]["text"] == "On leave"
    submission = admin.get("/submissions/1", include="statuses").json()["data"]
    assert submission["statuses"][-1]["record"]["text"] == "On leave"


def test_newsfeed_likes_only_index_attach_detach_sync(admin):
    assert admin.post("/newsfeed/1/likes/attach", {"resources": [1]}).status_code == 200
    likers = admin.get("/newsfeed/1/likes").json()["data"]
    assert 1 in [u["id"] for u in likers] and likers[0]["pivot"]["model_type"] == "App\\Models\\Newsfeed"
    assert admin.patch("/newsfeed/1/likes/sync", {"resources": [2]}).json()["attached"] == [2]
    assert admin.delete("/newsfeed/1/likes/detach", {"resources": [2]}).json() == {"detached": [2]}
    assert admin.get("/newsfeed/1/likes/1").status_code == 404  # no show route: the fallback
    assert admin.patch("/newsfeed/1/likes/toggle", {"resources": [1]}).status_code == 405


# -- batch ------------------------------------------------------------------------------------------------
def test_batch_store_update_destroy(admin):
    created = admin.post("/ranks/batch", {"resources": [{"name": "General"}, {"name": "Admiral"}]})
    assert created.status_code == 200
    ids = [r["id"] for r in created.json()["data"]]
    assert [r["name"] for r in created.json()["data"]] == ["General", "Admiral"]
    updated = admin.patch(
        "/ranks/batch", {"resources": {str(ids[0]): {"order": 40}, str(ids[1]): {"order": 41}, "9999": {"order": 1}}}
    )
    assert [(r["id"], r["order"]) for r in updated.json()["data"]] == [(ids[0], 40), (ids[1], 41)]
    removed = admin.delete("/ranks/batch", {"resources": ids + [9999]})
    assert [r["id"] for r in removed.json()["data"]] == ids
    assert all(r["deleted_at"] for r in removed.json()["data"])


def test_pivot_update_of_an_unattached_item_is_the_childs_404(admin):
    """Orion's updatePivot runs the show query through the relation first (review finding 7)."""
    attached = _task_ids(admin, 10)
    unattached = next(t for t in (1, 2, 3) if t not in attached)
    response = admin.patch(f"/users/10/tasks/{unattached}/pivot", {"pivot": {"due_at": "2031-01-01"}})
    assert response.status_code == 404 and response.json() == not_found("Task")
    assert _task_ids(admin, 10) == attached  # nothing attached on the way
    assert admin.patch("/users/10/tasks/99/pivot", {"pivot": {"due_at": "2031-01-01"}}).json() == not_found("Task")
    assert admin.patch("/users/10/tasks/%C2%B2/pivot", {"pivot": {}}).json() == invalid("The pivot field is required.")
    assert admin.patch("/users/10/tasks/%C2%B2/pivot", {"pivot": {"due_at": "x"}}).json() == not_found("Task")
    admin.post("/users/10/tasks/attach", {"resources": [unattached]})
    assert admin.patch(f"/users/10/tasks/{unattached}/pivot", {"pivot": {"due_at": "2031-01-01"}}).json() == {
        "updated": [unattached]
    }
    admin.delete(f"/tasks/{unattached}")  # a trashed child: not found either
    assert admin.patch(f"/users/10/tasks/{unattached}/pivot", {"pivot": {"due_at": "2031-01-02"}}).json() == not_found(
        "Task"
    )


def test_batch_destroy_has_no_rules_and_includes_trashed_rows(admin, mocks):
    """Orion's batchDestroy (review finding 9): no request rules, rows fetched withTrashed()."""
    for body in ({}, {"resources": []}, {"resources": {}}, {"resources": "5"}):
        response = admin.delete("/ranks/batch", body)
        assert response.status_code == 200 and response.json() == {"data": []}, body
    assert admin.get("/ranks/5").json()["data"]["deleted_at"] is None
    first = admin.delete("/ranks/5").json()["data"]["deleted_at"]
    mocks.clock.advance(60)
    again = admin.delete("/ranks/batch", {"resources": [5, 6]}).json()["data"]
    assert [r["id"] for r in again] == [5, 6]
    assert again[0]["deleted_at"] > first and again[0]["deleted_at"] == again[1]["deleted_at"]  # deleted again
    assert admin.delete("/ranks/5").status_code == 404  # destroy still refuses a trashed row
    gone = admin.delete("/ranks/batch", {"resources": {"5": {}, "7": {}}}, params={"force": "true"}).json()["data"]
    assert [r["id"] for r in gone] == [5, 7]
    assert admin.get("/ranks/5", with_trashed="true").status_code == 404  # force: deleted for good
    record = admin.get("/users/1/rank-records").json()["data"][0]["id"]
    nested = admin.delete("/users/1/rank-records/batch", {"resources": {"0": record, "1": 99999}}).json()["data"]
    assert [r["id"] for r in nested] == [record]  # keyed 0..n-1 is a list to PHP: values


@pytest.mark.parametrize(
    "method, body, message",
    [
        ("POST", {}, "The resources field is required."),
        ("POST", {"resources": "x"}, "The resources field must be an array."),
        (
            "POST",
            {"resources": [{"name": "A"}, {}, {"order": "x"}]},
            "The resources.1.name field is required. (and 2 more errors)",
        ),
        ("PATCH", {}, "The resources field is required."),
        ("PATCH", {"resources": {"1": {"order": "first"}}}, "The resources.1.order field must be an integer."),
    ],
)
def test_batch_validation(admin, method, body, message):
    response = admin.request(method, "/ranks/batch", body)
    assert response.status_code == 422 and response.json() == invalid(message)


def test_a_failed_batch_leaves_the_world_unchanged(admin, mocks):
    world = mocks.world("perscom", "1")
    before = world.dump()
    response = admin.post(
        "/users/batch",
        {"resources": [{"name": "A", "email": "a@example.com"}, {"name": "B", "email": "john@example.com"}]},
    )
    assert response.json() == invalid("The resources.1.email has already been taken.")
    assert world.dump() == before


def test_batch_rows_are_validated_against_the_database_not_each_other(admin):
    response = admin.post(
        "/users/batch",
        {"resources": [{"name": "A", "email": "twin@example.com"}, {"name": "B", "email": "twin@example.com"}]},
    )
    assert response.status_code == 200
    assert [u["email"] for u in response.json()["data"]] == ["twin@example.com", "twin@example.com"]


def test_newsfeed_causer_id_is_a_string_while_user_ids_stay_integers(admin):
    """perscom-app migration `change_causer_activity_logs_to_support_uuids` (2023-05) made the activity
    log's causer a char column: a user causer reads back as text, and the spec says string|null."""
    item = admin.get("/newsfeed/1", include="causer").json()["data"]
    assert item["causer_type"] == "App\\Models\\User"
    assert item["causer_id"] == "1"
    assert item["causer"]["id"] == 1  # the user itself keeps its integer id
    created = admin.post("/newsfeed", {"description": "Drill at 1900", "causer_id": 2}).json()["data"]
    assert created["causer_id"] == "2"
    assert admin.post("/newsfeed", {"description": "No causer"}).json()["data"]["causer_id"] is None
    listed = admin.get("/newsfeed", limit=100).json()["data"]
    assert {type(row["causer_id"]) for row in listed} <= {str, type(None)}
    assert all(isinstance(row["subject_id"], int) or row["subject_id"] is None for row in listed)
