"""One authenticated request per vendor, with the credentials each vendor page documents, over plain HTTP.

    python3 tests/container/probe.py http://127.0.0.1:18000 [admin-token]

Standard library only: it runs on the host against the container (`make container-test`) and, in `make test`,
against a `mocks run` process (tests/cli/test_probe.py), so the container check never drifts from the docs.
Prints one line per vendor; exits 1 on the first answer that is not the documented one.
"""

from __future__ import annotations

import json
import sys
import urllib.parse
import urllib.request


def call(base: str, method: str, path: str, *, headers: dict | None = None, json_body=None, form=None):
    data, headers = None, dict(headers or {})
    if json_body is not None:
        data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    elif form is not None:
        data, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback URL from argv)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")[:300]


def expect(vendor: str, answer: tuple, check) -> None:
    status, body = answer
    if status != 200 or not check(body):
        raise SystemExit(f"{vendor}: FAIL {status} {str(body)[:300]}")


def probe(base: str, admin_token: str | None = None) -> list[str]:
    admin = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
    status, vendors = call(base, "GET", "/_mocks/vendors", headers=admin)
    assert status == 200, (status, vendors)
    credentials = {v["name"]: v["credentials"] for v in vendors}
    done = []

    # PERSCOM.io: the organisation's API key as a bearer token plus X-Perscom-Id (docs/vendors/perscom.md)
    key = credentials["perscom"][0]
    answer = call(
        base,
        "GET",
        "/perscom/v1/users?limit=1",
        headers={"Authorization": key["Authorization"], "X-Perscom-Id": key["X-Perscom-Id"]},
    )
    expect("perscom", answer, lambda body: isinstance(body.get("data"), list) and "meta" in body)
    done.append(f"perscom    GET /perscom/v1/users -> 200, {answer[1]['meta'].get('total')} users")

    # eloomi: OAuth client credentials, then /v3 with the ClientId header (docs/vendors/eloomi.md)
    status, token = call(
        base,
        "POST",
        "/eloomi/oauth/token",
        form={
            "grant_type": "client_credentials",
            "client_id": "200",
            "client_secret": "JG4m3eKWGMPKLYJL7DV8dquDjKgXYsGlZO2VL5i4",
            "scope": "*",
        },
    )
    expect("eloomi token", (status, token), lambda body: "access_token" in body)
    answer = call(
        base,
        "GET",
        "/eloomi/v3/users?per_page=1",
        headers={"Authorization": f"Bearer {token['access_token']}", "ClientId": "200"},
    )
    expect("eloomi", answer, lambda body: isinstance(body.get("data"), list) and len(body["data"]) == 1)
    done.append("eloomi     POST /eloomi/oauth/token, GET /eloomi/v3/users -> 200")

    # Piwik PRO: /auth/token with the owner's client credentials (docs/vendors/piwik_pro.md)
    status, token = call(
        base,
        "POST",
        "/piwik_pro/auth/token",
        json_body={
            "grant_type": "client_credentials",
            "client_id": "piwik-pro-mock-owner",
            "client_secret": "piwik-pro-mock-owner-secret",
        },
    )
    expect("piwik_pro token", (status, token), lambda body: body.get("token_type") == "Bearer")
    answer = call(
        base, "GET", "/piwik_pro/api/users/v2?limit=1", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    expect("piwik_pro", answer, lambda body: body["data"][0]["type"] == "ppms/user")
    done.append(
        f"piwik_pro  POST /piwik_pro/auth/token, GET /piwik_pro/api/users/v2 -> 200, {answer[1]['meta']['total']} users"
    )

    # Personio: POST /v1/auth with the full-access API credentials (docs/vendors/personio.md)
    status, token = call(
        base,
        "POST",
        "/personio/v1/auth",
        json_body={"client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d", "client_secret": "verY-Secret-p4ssw0rd"},
    )
    expect("personio token", (status, token), lambda body: body.get("success") is True)
    answer = call(
        base,
        "GET",
        "/personio/v1/company/employees?limit=1",
        headers={"Authorization": f"Bearer {token['data']['token']}"},
    )
    expect("personio", answer, lambda body: body["success"] is True and body["data"][0]["type"] == "Employee")
    done.append("personio   POST /personio/v1/auth, GET /personio/v1/company/employees -> 200")

    # Tasq: the personal access token as the whole authorization header (docs/vendors/tasq.md)
    tasq = next(c["authorization"] for c in credentials["tasq"] if "tasq@tasqinc.com" in c["label"])
    answer = call(base, "GET", "/tasq/v1/profile/tasq@tasqinc.com", headers={"authorization": tasq})
    expect("tasq", answer, lambda body: "tasq@tasqinc.com" in json.dumps(body))
    done.append("tasq       GET /tasq/v1/profile/tasq@tasqinc.com -> 200")
    return done


if __name__ == "__main__":
    for line in probe(sys.argv[1].rstrip("/"), sys.argv[2] if len(sys.argv) > 2 else None):
        print(line)
