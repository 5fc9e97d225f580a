"""The official PHP SDK's documented v2 flows, request for request (deschutesdesigngroupllc/perscom-php-sdk:
`src/PerscomConnection.php` — base URL `https://api.perscom.io/v2`, Saloon's AcceptsJson + TokenAuthenticator,
default headers `X-Perscom-Sdk: true` (Guzzle sends `1`), `X-Perscom-Sdk-Version`, `X-Perscom-Id` only when
given; `src/Http/Requests/AbstractGetAllRequest.php` — `?limit=20&page=1&include=a,b`;
`AbstractSearchRequest.php` — POST `<resource>/search` with the same query and `{search: {value}, sort: [...],
filters: [{field, operator, value, type: 'or'}]}`; `Users/RankRecords/CreateUserRankRecordRequest.php`;
`Batch/Batch{Create,Update,Delete}Request.php` — `{resources: [...]}`, `{resources: {id: data}}`,
`{resources: [ids]}`; docs-v2 `integrations/sdk/php.mdx` for the calls themselves)."""

from __future__ import annotations

import pytest

from .conftest import JOHN, ORG, mint

SDK_VERSION = "2.3.0"  # Composer::getPerscomPackageVersion(): any installed version string


class PerscomConnection:
    """`new PerscomConnection('YOUR_API_KEY')` with the mock as base URL, sending what Saloon sends."""

    def __init__(self, http, api_key: str, perscom_id: str | None = None) -> None:
        self.http = http
        self.headers = {
            "Accept": "application/json",
            "Authorization": f"Bearer {api_key}",
            "X-Perscom-Sdk": "1",
            "X-Perscom-Sdk-Version": SDK_VERSION,
        }
        if perscom_id is not None:
            self.headers["X-Perscom-Id"] = perscom_id

    def send(self, method: str, endpoint: str, *, query: dict | None = None, body: dict | None = None):
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.http.request(method, f"/perscom/v2/{endpoint}", params=query, json=body, headers=headers)
        if response.status_code >= 400:  # AlwaysThrowOnErrors
            raise SdkError(response)
        return response

    # $perscom->users()->all(include: [...]) / ->get(id) / ->search(...) / ->batchCreate(...) ...
    def all(self, resource: str, include: list[str] = (), page: int = 1, limit: int = 20):
        query = {"limit": limit, "page": page}
        if include:
            query["include"] = ",".join(include)
        return self.send("GET", resource, query=query)

    def search(
        self,
        resource: str,
        value: str | None = None,
        sort=None,
        filter=None,
        include=(),
        page: int = 1,
        limit: int = 20,
    ):
        body: dict = {}
        if value:
            body["search"] = {"value": value}
        if sort:
            body["sort"] = [{"field": f, "direction": d} for f, d in sort]
        if filter:
            body["filters"] = [{"field": f, "operator": o, "value": v, "type": t} for f, o, v, t in filter]
        query = {"limit": limit, "page": page}
        if include:
            query["include"] = ",".join(include)
        return self.send("POST", f"{resource}/search", query=query, body=body)

    def batch_create(self, resource: str, data: list[dict]):
        return self.send("POST", f"{resource}/batch", body={"resources": data})

    def batch_update(self, resource: str, data: dict[int, dict]):
        return self.send("PATCH", f"{resource}/batch", body={"resources": {str(k): v for k, v in data.items()}})

    def batch_delete(self, resource: str, ids: list[int]):
        return self.send("DELETE", f"{resource}/batch", body={"resources": ids})


class SdkError(Exception):
    def __init__(self, response) -> None:
        super().__init__(response.text)
        self.response = response


@pytest.fixture
def perscom(http, mocks) -> PerscomConnection:
    return PerscomConnection(http, mint(mocks, version="v2"))


def test_list_users_with_includes(perscom):
    response = perscom.all("users", include=["rank", "unit", "rank_records.rank"])
    body = response.json()
    assert response.headers["x-perscom-request-id"] and body["meta"]["per_page"] == 20
    assert len(body["data"]) == 20 and body["meta"]["current_page"] == 1 and body["meta"]["total"] >= 40
    assert body["links"]["next"].endswith("/perscom/v2/users?page=2")
    john = body["data"][0]
    assert john["id"] == JOHN and john["label"] == "User: 1"
    assert john["rank"]["id"] == john["rank_id"] and john["unit"]["id"] == john["unit_id"]
    assert all(record["rank"]["id"] == record["rank_id"] for record in john["rank_records"])
    page_two = perscom.all("users", page=2).json()
    assert page_two["meta"]["from"] == 21 and "rank" not in page_two["data"][0]


def test_create_a_rank_record(perscom):
    created = perscom.send("POST", "users/2/rank-records", body={"rank_id": 6, "type": 0, "text": "Promoted"})
    assert created.status_code == 201
    record = created.json()["data"]
    assert (record["user_id"], record["rank_id"], record["type"], record["text"]) == (2, 6, 0, "Promoted")
    listed = perscom.all("users/2/rank-records", include=["rank"]).json()["data"]
    assert record["id"] in [r["id"] for r in listed]
    assert next(r for r in listed if r["id"] == record["id"])["rank"]["id"] == 6
    assert perscom.send("GET", "users/2").json()["data"]["last_rank_change_date"] == record["created_at"]


def test_search(perscom):
    found = perscom.search("users", value="John", sort=[("name", "asc")], include=["rank"]).json()
    assert [u["id"] for u in found["data"]][:1] == [JOHN] and "rank" in found["data"][0]
    recent = perscom.search("users", filter=[("created_at", ">", "2000-01-01", "or")]).json()
    assert recent["meta"]["total"] == perscom.all("users").json()["meta"]["total"]
    # the SDK docs' own example sorts by `first_name`, which Orion's whitelist refuses
    with pytest.raises(SdkError) as refused:
        perscom.search(
            "users", value="foobar", sort=[("first_name", "asc")], filter=[("created_at", "<", "2024-01-01", "or")]
        )
    error = refused.value.response.json()["error"]
    assert refused.value.response.status_code == 422
    assert error["message"] == "The first_name field is not whitelisted."
    assert error["errors"] == {"sort.0.field": ["The first_name field is not whitelisted."]}


def test_batch_create_update_delete(perscom):
    created = perscom.batch_create(
        "users", [{"name": "User 1", "email": "user1@email.com"}, {"name": "User 2", "email": "user2@email.com"}]
    ).json()["data"]
    ids = [u["id"] for u in created]
    assert [u["email"] for u in created] == ["user1@email.com", "user2@email.com"]
    updated = perscom.batch_update(
        "users", {ids[0]: {"name": "User 1 New Name"}, ids[1]: {"name": "User 2 New Name"}}
    ).json()["data"]
    assert [u["name"] for u in updated] == ["User 1 New Name", "User 2 New Name"]
    deleted = perscom.batch_delete("users", ids).json()["data"]
    assert [u["id"] for u in deleted] == ids and all(u["deleted_at"] for u in deleted)
    with pytest.raises(SdkError) as gone:
        perscom.send("GET", f"users/{ids[0]}")
    assert gone.value.response.status_code == 404


def test_sdk_with_a_perscom_id_and_a_v1_key(http, mocks):
    """`new PerscomConnection($apiKey, $perscomId)`: the header names the organisation for keys without a
    tenant claim (v1-era keys)."""
    sdk = PerscomConnection(http, mint(mocks), perscom_id=ORG)
    assert sdk.all("ranks").json()["meta"]["total"] > 0
    with pytest.raises(SdkError) as unidentified:
        PerscomConnection(http, mint(mocks)).all("ranks")
    assert unidentified.value.response.status_code == 401
