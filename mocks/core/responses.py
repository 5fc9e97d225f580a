"""Framework-neutral handler responses (the same handler code runs on AsyncApp and FlaskApp)."""

from __future__ import annotations

from typing import Any

from connexion.lifecycle import ConnexionResponse

from .serialization import dumps


def json_response(
    body: Any, status: int = 200, *, media_type: str = "application/json", headers: dict[str, str] | None = None
) -> ConnexionResponse:
    """Serialized once, by us: compact, byte-for-byte deterministic."""
    return raw_response(dumps(body), status, media_type=media_type, headers=headers)


def raw_response(
    body: bytes | str, status: int = 200, *, media_type: str, headers: dict[str, str] | None = None
) -> ConnexionResponse:
    data = body.encode() if isinstance(body, str) else body
    if media_type.startswith("text/") and ";" in media_type and _on_flask():
        # werkzeug appends its own "; charset=utf-8" to a text/* mimetype, even one that has a charset
        import flask

        return flask.Response(data, status=status, headers=headers, content_type=media_type)
    return ConnexionResponse(
        status_code=status, content_type=media_type, mimetype=media_type, body=data, headers=dict(headers or {})
    )


def no_content(status: int = 204, *, headers: dict[str, str] | None = None):
    """A real 204: no body, no Content-Type, no Content-Length (the request path also strips what a framework
    adds). Flask would stamp text/html on a bodiless ConnexionResponse, so there it is a Flask response."""
    if _on_flask():
        import flask

        response = flask.Response(status=status, headers=headers)
        del response.headers["Content-Type"]
        return response
    return ConnexionResponse(status_code=status, body=b"", headers=dict(headers or {}))


def _on_flask() -> bool:
    from .context import current

    return current().suite.framework == "flask"
