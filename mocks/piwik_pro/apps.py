"""Piwik PRO apps (sites): rows, their wire format, and the form rules of the Apps API v2
(official `platform_apps_public_v2.yaml`: `App_Editable_Attributes` and its defaults)."""

from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Any

from mocks.core.store import Row, World

from . import errors as e
from .models import user_timestamp
from .rules import name_errors

APP_TYPE = "ppms/app"
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


def app_resource(row: Row, organization: str) -> dict[str, Any]:
    """App_JsonApi: the read-only attributes, then every editable one."""
    attributes = {
        "name": row["name"],
        "urls": row["urls"],
        "organization": organization,
        "appType": row["app_type"],
        "addedAt": user_timestamp(row["added_at"]),
        "updatedAt": user_timestamp(row["updated_at"]),
        **row["settings"],
    }
    return {"type": APP_TYPE, "id": row["id"], "attributes": attributes}


def list_item(row: Row) -> dict[str, Any]:
    """App_List_JsonApi items carry the name and dates only."""
    return {
        "type": APP_TYPE,
        "id": row["id"],
        "attributes": {
            "name": row["name"],
            "addedAt": user_timestamp(row["added_at"]),
            "updatedAt": user_timestamp(row["updated_at"]),
        },
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
