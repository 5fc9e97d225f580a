"""Swagger UI for every served spec, from the swagger-ui-bundle package (no CDN), under /_mocks/explorer/.

Each spec is served with `servers` set to the mock's own URL (the host the browser used plus the API's mount),
so "Try it out" calls the mock; the page lists the vendor's well-known credentials and can mint a token through
the admin API and authorize Swagger UI with it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import swagger_ui_bundle
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from .specs import spec_document

if TYPE_CHECKING:
    from .app import Suite
    from .vendor import Api, Vendor

PREFIX = "/_mocks/explorer"
ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
_ASSET_NAMES = {
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "favicon-32x32.png",
    "favicon-16x16.png",
    "oauth2-redirect.html",
}
STATIC = Path(__file__).parent / "dashboard" / "static"


def base_url(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def served_apis(suite: Suite) -> dict[str, tuple[Vendor, Api]]:
    """Spec stem (`personio_v1`) → (vendor, api), for every API the suite serves."""
    return {api.spec.rsplit(".", 1)[0]: (vendor, api) for vendor in suite.vendors.values() for api in vendor.apis}


def credentials_text(vendor: Vendor) -> list[str]:
    return [f"{c.label}: " + ", ".join(f"{k}={v}" for k, v in c.values.items()) for c in vendor.credentials()]


def explorer_document(suite: Suite, stem: str, base: str) -> dict:
    """The spec as the explorer shows it: the mock's own server URL, the credentials in the description."""
    vendor, api = served_apis(suite)[stem]
    document = spec_document(api.spec)
    document["servers"] = [{"url": base + api.base_path, "description": f"this mock ({vendor.title})"}]
    info = document.setdefault("info", {})
    lines = "\n".join(f"- `{line}`" for line in credentials_text(vendor))
    info["description"] = (
        f"**Served by the mock at {base}{api.base_path}.** Credentials that work here:\n\n{lines}\n\n"
        "Or press *Mint a token* above the operations: the admin API mints one and Swagger UI "
        "is authorized with it.\n\n---\n\n" + str(info.get("description", ""))
    )
    return document


def explorer_routes(suite: Suite) -> list[Route]:
    from .console import json_response, token_refused

    async def index(request: Request) -> Response:
        items = "".join(
            f'<li><a href="{PREFIX}/{html.escape(stem)}/">{html.escape(vendor.title)} — {html.escape(api.spec)}</a> '
            f"<code>{html.escape(base_url(request) + api.base_path)}</code></li>"
            for stem, (vendor, api) in served_apis(suite).items()
        )
        return HTMLResponse(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>mocks · API explorer</title>
<link rel="stylesheet" href="/_mocks/dashboard/style.css"></head><body class="page">
<header class="bar"><a href="/_mocks/">mocks</a> · API explorer</header>
<main class="narrow-page"><h1>API explorer</h1><p>Swagger UI for every spec this mock serves.</p>
<ul class="spec-list">{items}</ul></main></body></html>""")

    async def page(request: Request) -> Response:
        stem = request.path_params["stem"]
        if stem not in served_apis(suite):
            return json_response({"error": "not_found", "detail": f"no served spec {stem!r}"}, 404)
        vendor, api = served_apis(suite)[stem]
        creds = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in credentials_text(vendor))
        return HTMLResponse(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mocks · {html.escape(vendor.title)} · {html.escape(api.spec)}</title>
<link rel="stylesheet" href="{PREFIX}/assets/swagger-ui.css"><link rel="stylesheet" href="/_mocks/dashboard/style.css">
</head><body class="page"><header class="bar"><a href="/_mocks/">mocks</a> · <a href="{PREFIX}/">explorer</a> ·
{html.escape(vendor.title)} <code>{html.escape(api.spec)}</code></header>
<section class="explorer-help" data-vendor="{html.escape(vendor.name)}" data-stem="{html.escape(stem)}">
<p>Requests go to <code>{html.escape(base_url(request) + api.base_path)}</code> (this mock). Credentials:</p>
<ul>{creds}</ul>
<p><button id="mint" type="button">Mint a token &amp; authorize</button> <span id="mint-result"></span></p>
</section><div id="swagger-ui"></div>
<script src="{PREFIX}/assets/swagger-ui-bundle.js"></script>
<script src="/_mocks/dashboard/explorer.js"></script></body></html>""")

    async def document(request: Request) -> Response:
        refused = token_refused(suite, request)
        if refused is not None:
            return refused
        stem = request.path_params["stem"]
        if stem not in served_apis(suite):
            return json_response({"error": "not_found", "detail": f"no served spec {stem!r}"}, 404)
        return json_response(explorer_document(suite, stem, base_url(request)))

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSET_NAMES:
            return json_response({"error": "not_found", "detail": f"no explorer asset {name!r}"}, 404)
        return FileResponse(ASSETS / name, headers={"Cache-Control": "public, max-age=3600"})

    return [
        Route(PREFIX, index, methods=["GET"]),
        Route(PREFIX + "/", index, methods=["GET"]),
        Route(PREFIX + "/assets/{name}", asset, methods=["GET"]),
        Route(PREFIX + "/{stem}/", page, methods=["GET"]),
        Route(PREFIX + "/{stem}/openapi.json", document, methods=["GET"]),
    ]
