"""Engine behaviour the Personio vendor needed, tested with a throwaway vendor on both builds:

- two APIs on one base path (Connexion chains them) build and route on AsyncApp and FlaskApp;
- a malformed multipart body (no boundary) is a validation error rendered by the vendor, never a 500;
- uploaded files are closed once the answer is sent (no spooled temporary file is left to the collector);
- the journal keeps at most its body limit (+1 byte, the truncation mark) of large requests and answers, and has
  the entry of an exchange by the time the client holds the whole answer.
"""

from __future__ import annotations

import gc
import textwrap
import types

import httpx
import pytest

from mocks.core.app import Suite
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.responses import json_response
from mocks.core.uploads import read_upload
from mocks.core.vendor import Api, Vendor
from mocks.testing import MockServer

SEEN_UPLOADS: list = []


async def upload(file=None, body=None):
    SEEN_UPLOADS.append(file)
    data = await read_upload(file)
    return json_response({"size": data.size, "name": data.filename})


async def first():
    return json_response({"api": "first", "padding": "x" * 200_000})


async def second():
    return json_response({"api": "second"})


HANDLERS = types.ModuleType("forms_test_handlers")
HANDLERS.upload, HANDLERS.first, HANDLERS.second = upload, first, second


def _spec(tmp_path, name: str, paths: str) -> str:
    path = tmp_path / name
    path.write_text(
        textwrap.dedent("""\
        openapi: 3.0.3
        info: {title: test, version: "1"}
        paths:
        """)
        + textwrap.indent(textwrap.dedent(paths), "  ")
    )
    return str(path)


class FormsVendor(Vendor):
    name = "forms_test"

    def render_error(self, case: ErrorCase) -> VendorProblem:
        return VendorProblem(422 if case.kind == "validation" else case.status, {"kind": case.kind})


@pytest.fixture(params=["async", "flask"])
def server(request, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "forms_test_handlers", HANDLERS)
    vendor = FormsVendor()
    vendor.apis = [
        Api(
            spec=_spec(
                tmp_path,
                "one.yaml",
                """\
            /upload:
              post:
                operationId: upload
                requestBody:
                  required: true
                  content:
                    multipart/form-data:
                      schema: {type: object, required: [file], properties: {file: {type: string, format: binary}}}
                responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
            /first:
              get:
                operationId: first
                responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
            """,
            ),
            base_path="/forms_test/v1",
            handlers="forms_test_handlers",
        ),
        Api(
            spec=_spec(
                tmp_path,
                "two.yaml",
                """\
            /second:
              get:
                operationId: second
                responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
            """,
            ),
            base_path="/forms_test/v1",
            handlers="forms_test_handlers",
        ),
    ]
    with MockServer(Suite([vendor], framework=request.param, validate_responses=True)) as running:
        yield running


def test_two_apis_share_a_base_path(server):
    with httpx.Client(base_url=server.url) as client:
        assert client.get("/forms_test/v1/first").json()["api"] == "first"
        assert client.get("/forms_test/v1/second").json() == {"api": "second"}
        assert client.get("/forms_test/v1/third").status_code == 404


@pytest.mark.parametrize(
    "content_type, body",
    [("multipart/form-data", b"file=x"), ("multipart/form-data; boundary=abc", b"--abc\r\nNone--abc--\r\n")],
)
def test_malformed_multipart_is_a_validation_error(server, content_type, body):
    with httpx.Client(base_url=server.url) as client:
        response = client.post("/forms_test/v1/upload", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 422
    assert response.json() == {"kind": "validation"}


def test_uploads_are_closed_after_the_answer(server):
    SEEN_UPLOADS.clear()
    with httpx.Client(base_url=server.url) as client:
        for _ in range(3):
            response = client.post("/forms_test/v1/upload", files={"file": ("a.txt", b"x" * 2_000_000, "text/plain")})
            assert response.json() == {"size": 2_000_000, "name": "a.txt"}
    gc.collect()  # an unclosed spooled file would warn here (pytest turns warnings into errors)
    if server.suite.framework == "async":
        assert SEEN_UPLOADS and all(u.file.closed for u in SEEN_UPLOADS)


def test_the_journal_keeps_bounded_bodies(server):
    limit = server.suite.journal.body_limit
    with httpx.Client(base_url=server.url) as client:
        client.post("/forms_test/v1/upload", files={"file": ("a.txt", b"x" * 500_000, "text/plain")})
        client.get("/forms_test/v1/first")
    upload, big = server.suite.journal.query(vendor="forms_test")[-2:]  # written before the answer ended
    assert len(upload.raw_request_body) == len(big.raw_response_body) == limit + 1
    assert big.response_body.endswith("…")
