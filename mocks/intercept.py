"""`intercept()`: code that hard-codes a vendor's real URL reaches the mock instead, whatever HTTP client it uses.

Requests to a vendor's real hostnames (`api.personio.de`, `<account>.piwik.pro`, ...) made through httpx (sync
and async), requests, aiohttp or urllib go to the mock, as a hosts-file entry would send them: the path and
query stay, `Host` keeps the vendor's hostname (the mock's virtual hosting turns it into the vendor's mount and,
where the host names one, the tenant), https becomes http. Other hosts are untouched; every library is
restored on exit. A library that is not installed is skipped.

Why hand-written adapters rather than the mocking libraries: `responses` (requests) and `aioresponses`
(aiohttp) answer with canned responses or pass the *unchanged* request through to the real host — neither
can forward a rewritten request. `respx` (httpx) can, but only with `using="httpx"` and by mutating the request
in place; with its default httpcore mocker the pass-through still resolves and connects to the real host
(tried: respx 0.23.1). Each adapter below is the one documented extension point of its library (a transport,
an adapter, the request class, the opener's handlers) rewriting the URL before a connection is opened, so
redirects and retries are rewritten too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class Redirect:
    """Where intercepted requests go, and which hosts are intercepted."""

    def __init__(self, base: str, patterns: list[re.Pattern]) -> None:
        parts = urlsplit(base)
        self.scheme, self.host, self.port = parts.scheme or "http", parts.hostname or "127.0.0.1", parts.port
        self.netloc = self.host if self.port is None else f"{self.host}:{self.port}"
        self.patterns = patterns

    def wanted(self, host: str | None) -> bool:
        return bool(host) and any(p.fullmatch(host) for p in self.patterns)

    def url(self, url: str) -> str | None:
        """The mock's URL for `url` if its host is intercepted, else None."""
        parts = urlsplit(url)
        if not self.wanted(parts.hostname):
            return None
        return urlunsplit((self.scheme, self.netloc, parts.path, parts.query, parts.fragment))


@contextmanager
def intercept_hosts(base: str, patterns: list[re.Pattern]) -> Iterator[Redirect]:
    """Every supported library patched to send requests for hosts matching `patterns` to `base`."""
    redirect = Redirect(base, patterns)
    with ExitStack() as stack:
        for adapter in ADAPTERS:
            stack.enter_context(adapter(redirect))
        yield redirect


@contextmanager
def _patched(owner: Any, name: str, replacement: Callable) -> Iterator[None]:
    original = owner.__dict__[name]
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.rsplit("@", 1)[-1]


# -- httpx: the default transports (sync and async) ------------------------------------------------------------


@contextmanager
def _httpx(redirect: Redirect) -> Iterator[None]:
    try:
        import httpx
    except ImportError:
        yield
        return
    sync_send, async_send = httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request

    def rewrite(request: httpx.Request) -> None:
        if redirect.wanted(request.url.host):
            request.headers.setdefault("Host", request.url.netloc.decode("ascii"))
            request.url = request.url.copy_with(scheme=redirect.scheme, host=redirect.host, port=redirect.port)

    def handle_request(self, request):
        rewrite(request)
        return sync_send(self, request)

    async def handle_async_request(self, request):
        rewrite(request)
        return await async_send(self, request)

    with (
        _patched(httpx.HTTPTransport, "handle_request", handle_request),
        _patched(httpx.AsyncHTTPTransport, "handle_async_request", handle_async_request),
    ):
        yield


# -- requests: the HTTP adapter every Session mounts -------------------------------------------------------------


@contextmanager
def _requests(redirect: Redirect) -> Iterator[None]:
    try:
        from requests.adapters import HTTPAdapter
    except ImportError:
        yield
        return
    send = HTTPAdapter.send

    def patched(self, request, *args, **kwargs):
        target = redirect.url(request.url)
        if target is not None:
            request.headers.setdefault("Host", _netloc(request.url))
            request.url = target
        return send(self, request, *args, **kwargs)

    with _patched(HTTPAdapter, "send", patched):
        yield


# -- aiohttp: the request class every ClientSession builds (redirects build new ones) --------------------------


@contextmanager
def _aiohttp(redirect: Redirect) -> Iterator[None]:
    try:
        from aiohttp import ClientRequest
        from multidict import CIMultiDict
        from yarl import URL
    except ImportError:
        yield
        return
    init = ClientRequest.__init__

    def patched(self, method: str, url: URL, *args, **kwargs) -> None:
        if redirect.wanted(url.host):
            headers = CIMultiDict(kwargs.get("headers") or {})
            headers.setdefault("Host", url.raw_authority.rsplit("@", 1)[-1])
            kwargs["headers"] = headers
            kwargs["proxy"] = None  # the mock is local: never through a proxy
            url = url.with_scheme(redirect.scheme).with_host(redirect.host).with_port(redirect.port)
        init(self, method, url, *args, **kwargs)

    with _patched(ClientRequest, "__init__", patched):
        yield


# -- urllib: the opener's http and https handlers ----------------------------------------------------------------


@contextmanager
def _urllib(redirect: Redirect) -> Iterator[None]:
    import http.client
    import urllib.request

    http_open, https_open = urllib.request.HTTPHandler.http_open, urllib.request.HTTPSHandler.https_open

    def opened(fallback: Callable):
        def open_(self, req):
            target = redirect.url(req.full_url)
            if target is None:
                return fallback(self, req)
            # `Host` was set from the vendor's URL by do_request_; the connection goes to the mock
            original, tunnel = req.full_url, req._tunnel_host
            req.full_url, req._tunnel_host = target, None
            try:
                return self.do_open(http.client.HTTPConnection, req)
            finally:
                req.full_url, req._tunnel_host = original, tunnel

        return open_

    with (
        _patched(urllib.request.HTTPHandler, "http_open", opened(http_open)),
        _patched(urllib.request.HTTPSHandler, "https_open", opened(https_open)),
    ):
        yield


ADAPTERS: list[Callable[[Redirect], Any]] = [_httpx, _requests, _aiohttp, _urllib]
SUPPORTED = ("httpx", "requests", "aiohttp", "urllib")


def vendor_patterns(vendors: Iterable[Any]) -> list[re.Pattern]:
    return [p for v in vendors for p in v.host_patterns()]
