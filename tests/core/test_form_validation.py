"""Form validators of the FlaskApp build: a body the form parser cannot read is a structured 400."""

from __future__ import annotations

import asyncio

import pytest

from mocks.core.errors import RequestInvalid
from mocks.core.validation import StructuredMultiPartValidator


def _scope(content_type: bytes) -> dict:
    return {
        "type": "http",
        "method": "POST",
        "path": "/x",
        "query_string": b"",
        "headers": [(b"content-type", content_type), (b"content-length", b"5")],
    }


async def _receive():
    return {"type": "http.request", "body": b"a=1&b", "more_body": False}


def test_multipart_without_boundary_is_request_invalid_not_a_crash():
    validator = StructuredMultiPartValidator(
        schema={"type": "object"}, required=False, nullable=False, encoding="utf-8", strict_validation=False
    )
    with pytest.raises(RequestInvalid) as raised:
        asyncio.run(validator.wrap_receive(_receive, scope=_scope(b"multipart/form-data")))
    (failure,) = raised.value.failures
    assert (failure.location, failure.name, failure.rule) == ("body", "", "missing")
    assert "boundary" in failure.message
