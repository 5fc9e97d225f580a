"""Piwik PRO apps (sites): rows, the form rules of the Apps API v2 (official `platform_apps_public_v2.yaml`:
`App_Editable_Attributes` and its defaults), who may see and change which app, and the writes (each with its
audit entry)."""

from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Any

from mocks.core.context import current
from mocks.core.store import Row, World

from . import domain as d
from . import domain_access as access
from . import domain_audit as audit
from . import errors as e
from .domain import name_errors
from .errors_services import APPS, forbidden
from .jsonapi import is_uuid, uuid

NEW_APP_TYPES = ("web", "sharepoint")  # New_App_App_Type: `demo` cannot be added
NAME_MAX = 90

# App_Editable_Attributes after name/urls, in the spec's order, with the spec's defaults. timezone and currency
# have none in the spec: UTC and USD ("By default, Analytics reports display revenue in US dollars").
SETTINGS_DEFAULTS: dict[str, Any] = {
    "timezone": "UTC",
    "currency": "USD",
    "excludeUnknownUrls": False,
    "keepUrlFragment": True,
    "eCommerceTracking": True,
    "siteSearchTracking": True,
    "siteSearchQueryParams": ["q", "query", "s", "search", "searchword", "keyword"],
    "siteSearchCategoryParams": [],
    "delay": 500,
    "excludedIps": [],
    "excludedUrlParams": [],
    "excludedUserAgents": [],
    "gdpr": True,
    "gdprUserModeEnabled": False,
    "privacyCookieDomainsEnabled": False,
    "privacyCookieExpirationPeriod": 31536000,
    "privacyCookieDomains": [],
    "gdprLocationRecognition": False,
    "gdprDataAnonymization": True,
    "sharepointIntegration": False,
    "gdprDataAnonymizationMode": "session_cookie_id",
    "privacyUseCookies": True,
    "privacyUseFingerprinting": True,
    "cnil": False,
    "sessionIdStrictPrivacyMode": False,
    "realTimeDashboards": False,
}
EDITABLE = ("name", "urls", *SETTINGS_DEFAULTS)

_URL = re.compile(r"^https?://[A-Za-z0-9*](?:[A-Za-z0-9*.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#]\S*)?$")
_IP_PATTERN = re.compile(r"^(?:[0-9*]{1,3}(?:\.[0-9*]{1,3}){3}|[0-9A-Fa-f:*]*:[0-9A-Fa-f:*.]*)$")


@functools.lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


@functools.lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    from faker.providers.currency import Provider  # ISO 4217 codes

    return frozenset(code for code, _ in Provider.currencies)


def is_url(value: Any) -> bool:
    return isinstance(value, str) and bool(_URL.match(value))


def new_app(
    world: World,
    *,
    name: str,
    urls: list[str],
    app_type: str = "web",
    app_id: str | None = None,
    added_at: float | None = None,
    settings: dict[str, Any] | None = None,
) -> Row:
    added = int(world.clock.time() if added_at is None else added_at)
    return {
        "id": app_id or world.rnd.uuid4(),
        "name": name,
        "urls": list(urls),
        "app_type": app_type,
        "added_at": added,
        "updated_at": added,
        "settings": {**SETTINGS_DEFAULTS, **(settings or {})},
    }


def attribute_errors(attributes: dict[str, Any], *, creating: bool) -> list[dict[str, Any]]:
    """The form rules a JSON schema cannot state, one error per field (all reported, as Symfony forms do)."""
    found: list[dict[str, Any]] = []
    if creating or "name" in attributes:
        found += name_errors(attributes.get("name"), "/name", NAME_MAX)
    if creating or "urls" in attributes:
        found += _url_errors(attributes.get("urls"))
    if creating and "appType" in attributes and attributes["appType"] not in NEW_APP_TYPES:
        found.append(e.unsupported_app_type(attributes["appType"]))
    if "timezone" in attributes and attributes["timezone"] not in timezones():
        found.append(e.not_valid("/timezone"))
    if "currency" in attributes and attributes["currency"] not in currencies():
        found.append(e.not_valid("/currency"))
    for field in ("delay", "privacyCookieExpirationPeriod"):
        value = attributes.get(field, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            found.append(e.not_valid(f"/{field}"))
    ips = attributes.get("excludedIps", [])
    if not isinstance(ips, list) or not all(isinstance(ip, str) and _IP_PATTERN.match(ip) for ip in ips):
        found.append(e.not_valid("/excludedIps"))
    return found


def _url_errors(urls: Any) -> list[dict[str, Any]]:
    if urls is None or urls == []:
        return [e.not_blank("/urls")]
    if not isinstance(urls, list):
        return [e.not_valid("/urls")]
    return [e.invalid_url(f"/urls/{index}") for index, url in enumerate(urls) if not is_url(url)]


def edited(row: Row, attributes: dict[str, Any]) -> dict[str, Any]:
    """The changes an edit document makes (only the editable attributes it names)."""
    changes: dict[str, Any] = {}
    settings = dict(row["settings"])
    for field in EDITABLE:
        if field not in attributes:
            continue
        if field in ("name", "urls"):
            changes[field] = attributes[field]
        else:
            settings[field] = attributes[field]
    if settings != row["settings"]:
        changes["settings"] = settings
    return changes


# -- who may do what -------------------------------------------------------------------------------------
def visible(action: str = "view") -> list[Row]:
    """The apps the caller may perform `action` on (owners: all)."""
    world, me = current().world, d.me()
    return [a for a in world["apps"].values() if access.can(world, me, access.APP, a["id"], action)]


def matching(matches) -> list[Row]:
    """Every app `matches` accepts, whoever asks (the group permission listing shows `no-access` ones too)."""
    return [a for a in current().world["apps"].values() if matches(a)]


def app_for(app_id: str, action: str) -> Row:
    """The app, when the caller may perform `action` on it (else the apps service's 403)."""
    app = d.app(app_id)
    may(app, action)
    return app


def may(app: Row, action: str) -> None:
    if not access.can(current().world, d.me(), access.APP, app["id"], action):
        raise forbidden(APPS)


def user_actions(app: Row) -> list[tuple[Row, list[str]]]:
    """Users (not owners) with any access to the app and their actions, by email (the deprecated listing)."""
    world = current().world
    found = []
    for user in sorted(world["users"].values(), key=lambda u: u["email"]):
        granted = access.actions(world, access.APP, app["id"], user)
        if user["role"] != "OWNER" and granted:
            found.append((user, granted))
    return found


# -- writes ---------------------------------------------------------------------------------------------
def add(attributes: dict[str, Any]) -> Row:
    """A new app: the form rules, an optional id of the caller's choosing, the licence's apps limit."""
    ctx = current()
    world = ctx.world
    d.raise_if(attribute_errors(attributes, creating=True))
    app_id = attributes.get("id")
    if app_id is not None:
        if not is_uuid(app_id):
            raise e.problem(e.not_valid("/id"))
        if uuid(app_id) in world["apps"]:
            raise e.problem(e.app_already_exists(app_id))
    if len(world["apps"]) >= ctx.vendor.settings_of(world)["apps_limit"]:
        raise e.problem(e.apps_limit_reached())
    settings = {k: attributes[k] for k in SETTINGS_DEFAULTS if k in attributes}
    with world.transaction():
        row = world["apps"].insert(
            new_app(
                world,
                name=attributes["name"],
                urls=attributes["urls"],
                app_type=attributes.get("appType", "web"),
                app_id=uuid(app_id) if app_id else None,
                settings=settings,
            )
        )
        audit.record("app.added", row["id"], {"name": row["name"], "urls": row["urls"], "appType": row["app_type"]})
    return row


def edit(app: Row, attributes: dict[str, Any]) -> None:
    """Apply an edit document; one `app.changed.<field>` entry per changed attribute."""
    world = current().world
    d.raise_if(attribute_errors(attributes, creating=False))
    changes = edited(app, attributes)
    with world.transaction():
        world["apps"].update(app["id"], {**changes, "updated_at": int(world.clock.time())})
        for field in [f for f in EDITABLE if f in attributes]:
            before = app["settings"].get(field, app.get(field))
            if attributes[field] != before:
                audit.record(f"app.changed.{audit.snake(field)}", app["id"], {field: attributes[field]})


def remove(app: Row) -> None:
    """The app leaves its meta sites and takes its grants with it."""
    world = current().world
    with world.transaction():
        world["apps"].delete(app["id"])
        world["meta_sites"].remove_from_lists("apps", app["id"])
        access.forget(world, entity_id=app["id"])
        audit.record("app.deleted", app["id"], {"name": app["name"]})
