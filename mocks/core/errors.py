"""Errors on the wire are vendor facts.

Vendor code raises `VendorProblem` with the exact body. Errors the stack raises itself (validation, unknown
path, wrong method, unsupported media type, crashes) are classified into an `ErrorCase` and handed to the
vendor that owns the path, which renders them in its own envelope and status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from connexion.exceptions import (
    BadRequestProblem,
    NonConformingResponse,
    ProblemException,
    UnsupportedMediaTypeProblem,
)
from connexion.lifecycle import ConnexionResponse

from .serialization import dumps

log = logging.getLogger("mocks.errors")


class VendorProblem(ProblemException):
    """An error response with the vendor's exact status, body and headers.

    `body` may be a JSON-able value (serialized here), `str`/`bytes` (sent as is) or None (empty body).
    """

    def __init__(
        self,
        status: int,
        body: Any = None,
        *,
        media_type: str | None = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status=status, title="vendor error", headers=dict(headers or {}))
        self.body = body
        self.media_type = media_type if body is not None else None

    def encoded_body(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return dumps(self.body)

    def to_problem(self) -> ConnexionResponse:
        headers = dict(self.headers or {})
        if self.media_type:
            headers["Content-Type"] = self.media_type
        return ConnexionResponse(
            status_code=self.status, mimetype=self.media_type, body=self.encoded_body(), headers=headers
        )

    def __repr__(self) -> str:
        return f"VendorProblem({self.status}, {self.body!r})"


@dataclass
class Invalid:
    """One request-validation failure, structured so each vendor can word it its own way."""

    location: str  # "query" | "path" | "header" | "cookie" | "body"
    name: str  # parameter name, or a JSON pointer into the body ("" = the whole body)
    rule: str  # the JSON-schema keyword that failed (type, required, enum, maximum, format, ...)
    # or "json" (body is not JSON), "missing" (required parameter/body absent)
    value: Any = None  # the offending value as received (None when missing)
    expected: Any = None  # the keyword's value in the schema (the maximum, the enum list, the format...)
    message: str = ""  # jsonschema's own message
    schema: dict = field(default_factory=dict)


class RequestInvalid(BadRequestProblem):
    """Raised by the engine's validators; carries every failure found."""

    def __init__(self, failures: list[Invalid]) -> None:
        self.failures = failures
        first = failures[0]
        super().__init__(detail=first.message or f"invalid {first.location} {first.name}")


@dataclass
class ErrorCase:
    """What went wrong, for a vendor renderer: `kind` is one of validation, unsupported_media_type,
    unauthenticated, forbidden, not_found, method_not_allowed, bad_response, server_error."""

    kind: str
    status: int
    exc: BaseException
    request: Any  # connexion.lifecycle.ConnexionRequest
    failures: list[Invalid] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.request.url.path

    @property
    def method(self) -> str:
        return self.request.method.upper()

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.request.headers.get(name, default)


def classify(exc: BaseException, request: Any) -> ErrorCase:
    if isinstance(exc, RequestInvalid):
        return ErrorCase("validation", 400, exc, request, exc.failures)
    if isinstance(exc, UnsupportedMediaTypeProblem):
        return ErrorCase("unsupported_media_type", 415, exc, request)
    if isinstance(exc, NonConformingResponse):
        return ErrorCase("bad_response", 500, exc, request)
    if isinstance(exc, BadRequestProblem):  # Connexion's own, e.g. an unparsable query value
        detail = getattr(exc, "detail", "") or ""
        return ErrorCase("validation", 400, exc, request, [Invalid("body", "", "invalid", message=str(detail))])
    status = getattr(exc, "status_code", None) or getattr(exc, "status", None) or 500
    kind = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(status)
    if kind is None:
        if status >= 500 or not isinstance(status, int):
            return ErrorCase("server_error", 500, exc, request)
        return ErrorCase("validation", status, exc, request)
    return ErrorCase(kind, status, exc, request)
