"""What real clients trip over (issue 17): each test cites the Personio document it follows."""

from __future__ import annotations

from .conftest import V1, PersonioV2

PERSONS_SPEC = "tests/reference/personio/v2/persons-service-api-v2.json (components.examples, every Person)"


def _all_persons(v2: PersonioV2) -> list[dict]:
    page = v2.get("/persons", limit=50).json()
    found = list(page["_data"])
    while "next" in page["_meta"]["links"]:
        page = v2.get(page["_meta"]["links"]["next"]["href"]).json()
        found += page["_data"]
    return found


def test_every_person_carries_profile_picture_and_every_custom_attribute_global_id(v2, mocks):
    """Source: PERSONS_SPEC — every example person has `profile_picture`, every custom attribute `global_id`.
    Absent data is null, not a missing key."""
    persons = _all_persons(v2)
    assert len(persons) == len(mocks.world("personio")["employees"])
    without_picture = [p for p in persons if p["profile_picture"] is None]
    with_picture = [p for p in persons if p["profile_picture"] is not None]
    assert without_picture and with_picture        # the seeded company has both kinds
    assert all("profile_picture" in p for p in persons)
    for person in with_picture:
        assert person["profile_picture"]["url"].endswith(f"/v1/company/employees/{person['id']}/profile-picture")
    attributes = [a for p in persons for a in p["custom_attributes"]]
    assert attributes and all("global_id" in a for a in attributes)
    assert {a["global_id"] for a in attributes} >= {"iban", None}


def test_a_person_without_picture_says_null_and_one_call_shows_it(v2, mocks):
    world = mocks.world("personio")
    row = next(r for r in world["employees"].values() if not r["has_picture"])
    body = v2.get(f"/persons/{row['id']}").json()
    assert body["profile_picture"] is None
    assert list(body)[:9] == ["id", "email", "created_at", "updated_at", "first_name", "last_name",
                              "preferred_name", "gender", "profile_picture"]
