"""Who may drive /_mocks: checks made on every admin request before routing, for instances reachable by others.

- the admin API switched off (`Suite.admin_enabled = False`): 404 for everything under /_mocks;
- an admin token (`Suite.admin_token`): `Authorization: Bearer <token>` or 401;
- a browser page of another site (an `Origin` whose host differs from `Host`): 403 — with the two checks
  below, a web page can neither drive the API cross-origin nor through DNS rebinding;
- on a loopback connection, `Host` must name the loopback (localhost, 127.0.0.1, [::1], any port): 403
  otherwise, since a rebinding page reaches 127.0.0.1 under its own hostname;
- writes with a body must say `Content-Type: application/json` (415): an HTML form or a `text/plain`
  fetch cannot send that cross-origin without a CORS preflight, which the mock never grants.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from .admin_schema import AdminRefusal

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def check(scope, headers: dict[str, str], *, enabled: bool, token: str | None) -> None:
    """Raise AdminRefusal when this request may not use the admin API. `headers`: lower-case names."""
    if not enabled:
        raise AdminRefusal(404, "the admin API is switched off on this server")
    host = headers.get("host", "")
    if _is_loopback(scope.get("server")) and _hostname(host) not in LOOPBACK_NAMES:
        raise AdminRefusal(
            403,
            "on a loopback connection the admin API answers only Host localhost, 127.0.0.1 "
            "or [::1] (DNS-rebinding defence)",
            "Host",
            "header",
        )
    origin = headers.get("origin")
    if origin is not None and not _same_origin(origin, host):
        raise AdminRefusal(
            403, f"cross-origin admin requests are refused (Origin {origin[:200]!r})", "Origin", "header"
        )
    if token is not None:
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise AdminRefusal(
                401,
                "the admin API needs 'Authorization: Bearer <admin token>'",
                "Authorization",
                "header",
                headers={"WWW-Authenticate": 'Bearer realm="mocks admin"'},
            )


def check_media_type(method: str, headers: dict[str, str], has_body: bool) -> None:
    if method in WRITES and has_body:
        media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise AdminRefusal(
                415, f"admin writes take 'Content-Type: application/json', not {media_type!r}", "Content-Type", "header"
            )


def _hostname(host: str) -> str:
    """`Host` without its port, brackets of an IPv6 literal removed, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_loopback(server) -> bool:
    if not server:
        return False
    try:
        return ipaddress.ip_address(str(server[0]).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _same_origin(origin: str, host: str) -> bool:
    """The Origin's host[:port] is the request's Host (scheme aside: TLS may end at a proxy)."""
    try:
        parts = urlsplit(origin.strip())
        netloc = parts.netloc.lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not netloc:
        return False  # "null" (sandboxed frames, file://) and anything unparseable
    default = {"http": ":80", "https": ":443"}[parts.scheme]
    return netloc.removesuffix(default) == host.strip().lower().removesuffix(default)
