"""Configuration of `mocks run` without Python: a YAML/JSON file (`--config mocks.yaml`), `MOCKS_*`
environment variables and command-line flags, in that order of precedence (a flag beats the environment, which
beats the file, which beats the defaults).

Every layer is checked against one JSON Schema (`SCHEMA`, documented in docs/CONFIGURATION.md) before anything
starts; a problem is one line naming the key as the user wrote it (`port`, `MOCKS_PORT`, `faults[1].status`) and
the start stops with exit status 2. What the file asks for at start (rate-limit overrides, faults, extra
credentials) goes through the same Suite methods the admin API calls, so both accept the same input.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from mocks.core.clock import parse_instant
from mocks.core.specs import load_yaml
from mocks.registry import VENDORS

DEFAULTS: dict[str, Any] = {
    "host": "127.0.0.1",
    "port": 8000,
    "seed": 0,
    "vendors": None,
    "framework": "async",
    "clock": None,
    "freeze": False,
    "journal": 1000,
    "log_level": "info",
    "access_log": False,
    "state": None,
    "admin": True,
    "admin_token": None,
    "store": None,
    "workers": 1,
}
MAX_WORKERS = 64
MAX_SEED = 2**63 - 1
LOG_LEVELS = ["critical", "error", "warning", "info", "debug"]

_FAULT = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "vendor": {"enum": list(VENDORS)},
        "method": {"type": "string", "pattern": "^([A-Za-z]+|\\*)$"},
        "path": {"type": "string", "minLength": 1},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "latency_ms": {"type": "integer", "minimum": 0, "maximum": 120000},
        "body": {},
        "headers": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^[^\\r\\n]*$"}},
        "times": {"type": ["integer", "null"], "minimum": 1, "maximum": 1000000},
    },
}
_RATE_OVERRIDE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["vendor"],
    "properties": {
        "vendor": {"enum": list(VENDORS)},
        "rule": {"type": "string"},
        "limit": {"type": "integer", "minimum": 0, "maximum": 10**9},
        "window_seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 10**9},
        "enabled": {"type": "boolean"},
    },
}
# The document `--config` reads. Keys of `mocks run` flags use the flag's name with `_` for `-`.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "mocks run configuration",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "host": {"type": "string", "minLength": 1},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "seed": {"type": "integer", "minimum": 0, "maximum": MAX_SEED},
        "vendors": {"type": "array", "items": {"enum": list(VENDORS)}, "minItems": 1, "uniqueItems": True},
        "framework": {"enum": ["async", "flask"]},
        "clock": {"type": "string", "format": "instant"},
        "freeze": {"type": "boolean"},
        "journal": {"type": "integer", "minimum": 1, "maximum": 1000000},
        "log_level": {"enum": LOG_LEVELS},
        "access_log": {"type": "boolean"},
        "state": {"type": "string", "minLength": 1},
        "admin": {"type": "boolean"},
        "admin_token": {"type": "string", "minLength": 8, "pattern": "^[\\x21-\\x7e]+$"},
        "store": {"type": "string", "pattern": "^redis://"},
        "workers": {"type": "integer", "minimum": 1, "maximum": MAX_WORKERS},
        "ratelimits": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"enabled": {"type": "boolean"}, "overrides": {"type": "array", "items": _RATE_OVERRIDE}},
        },
        "faults": {"type": "array", "items": _FAULT, "maxItems": 1000},
        "credentials": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                name: {
                    "type": "array",
                    "items": {"type": "object", "properties": {"tenant": {"type": "string", "minLength": 1}}},
                }
                for name in VENDORS
            },
        },
    },
}

# Environment variable → key. Every `mocks run` option has one.
ENVIRONMENT = {f"MOCKS_{key.upper()}": key for key in DEFAULTS if key != "admin"} | {"MOCKS_NO_ADMIN": "no_admin"}
ENVIRONMENT["MOCKS_CONFIG"] = "config"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """One line for the user: what is wrong and where."""


def _check_instant(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        instant = parse_instant(value)
    except (ValueError, OverflowError):
        return False
    return 1 <= instant.year <= 9999


_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checks("instant")(_check_instant)
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=_FORMATS)


def _where(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return f"unknown key {extra[0]!r} (allowed: {allowed})"
    if error.validator == "format":
        return f"{error.instance!r} is not an ISO-8601 instant between years 1 and 9999 (e.g. 2026-01-01T00:00:00Z)"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    return error.message


def _not_finite(value: object, path: list) -> list | None:
    """Where a NaN or infinity hides (JSON Schema's number comparisons are all false for NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        found = _not_finite(child, [*path, key])
        if found is not None:
            return found
    return None


def validate(document: object, source: str, names: Mapping[str, str] | None = None) -> None:
    """Raise ConfigError naming the first problem; `names` maps top-level keys back to what the user wrote."""
    bad_number = _not_finite(document, [])
    errors = sorted(_VALIDATOR.iter_errors(document), key=lambda e: (len(e.path), list(map(str, e.path))))
    if bad_number is not None:
        path, message = bad_number, "not a finite number"
    elif not errors:
        return
    else:
        error = errors[0]
        path, message = list(error.path), _describe(error)
    if names and path and path[0] in names:
        path = [names[path[0]], *path[1:]]
    where = _where(path)
    raise ConfigError(f"{source}: {where + ': ' if where else ''}{message}")


def load_file(path: str) -> dict[str, Any]:
    """The `--config` document, validated."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"--config {path}: cannot read it ({error.__class__.__name__}: {error})") from None
    try:
        document = load_yaml(text) if not path.endswith(".json") else json.loads(text)
    except (yaml.YAMLError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
        raise ConfigError(f"--config {path}: not valid YAML/JSON ({first})") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigError(f"--config {path}: the document must be a mapping of keys (see docs/CONFIGURATION.md)")
    if isinstance(document.get("vendors"), str):
        document["vendors"] = split_vendors(document["vendors"])
    validate(document, f"--config {path}")
    return document


def split_vendors(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _coerce(key: str, text: str) -> Any:
    """An environment string as the schema's type (left as is when it does not parse: the schema says why)."""
    kind = SCHEMA["properties"].get(key, {}).get("type")
    if key == "vendors":
        return split_vendors(text)
    if kind == "integer":
        try:
            return int(text.strip())
        except ValueError:
            return text
    if kind == "boolean" or key == "no_admin":
        lowered = text.strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    return text


def from_environment(environ: Mapping[str, str]) -> tuple[dict[str, Any], str | None]:
    """The `MOCKS_*` settings present in `environ`, validated, and the MOCKS_CONFIG file if one is named."""
    values: dict[str, Any] = {}
    names: dict[str, str] = {}
    for variable, key in ENVIRONMENT.items():
        if variable in environ and key != "config":
            values[key] = _coerce(key, environ[variable])
            names[key] = variable
    if "no_admin" in values:
        no_admin = values.pop("no_admin")
        if not isinstance(no_admin, bool):
            raise ConfigError(f"environment: MOCKS_NO_ADMIN: {no_admin!r} is not one of 1, true, yes, 0, false, no")
        values["admin"] = not no_admin
        names["admin"] = "MOCKS_NO_ADMIN"
    validate(values, "environment", names)
    return values, environ.get("MOCKS_CONFIG") or None


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve(flags: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting of `mocks run`: defaults < config file < environment < flags (flags given as None
    were not on the command line). Raises ConfigError."""
    env_values, env_config = from_environment(os.environ if environ is None else environ)
    config_path = flags.get("config") or env_config
    file_values = load_file(config_path) if config_path else {}
    flag_values = {k: v for k, v in flags.items() if v is not None and k != "config"}
    validate(flag_values, "command line", {key: "--" + key.replace("_", "-") for key in flag_values})
    settings = dict(DEFAULTS)
    for layer in (file_values, env_values, flag_values):
        settings.update(layer)
    settings["config"] = config_path
    return settings


def apply_at_start(suite, settings: Mapping[str, Any]) -> list[str]:
    """Rate-limit overrides, faults and extra credentials of the config file, through the Suite methods the
    admin API uses. Returns lines for the banner (the credentials minted). Raises ConfigError."""
    try:
        return _apply(suite, settings)
    except ConfigError as error:
        raise ConfigError(f"--config {settings.get('config')}: {error}") from None


def _apply(suite, settings: Mapping[str, Any]) -> list[str]:
    from mocks.core.clock import parse_duration

    lines: list[str] = []
    ratelimits = settings.get("ratelimits") or {}
    for index, override in enumerate(ratelimits.get("overrides", [])):
        if override["vendor"] not in suite.vendors:
            raise ConfigError(
                f"ratelimits.overrides[{index}].vendor: {override['vendor']!r} is not served "
                f"(vendors: {', '.join(suite.vendors)})"
            )
        window = override.get("window_seconds")
        try:
            suite.limiter.override(
                override["vendor"],
                override.get("rule"),
                limit=override.get("limit"),
                window=None if window is None else parse_duration(window),
                enabled=override.get("enabled"),
            )
        except (KeyError, ValueError) as error:
            raise ConfigError(f"ratelimits.overrides[{index}]: {error.args[0] if error.args else error}") from None
    if "enabled" in ratelimits:
        suite.limiter.enabled = ratelimits["enabled"]
    for index, fault in enumerate(settings.get("faults") or []):
        try:
            suite.faults.add(dict(fault), known_vendors=set(suite.vendors))
        except ValueError as error:
            raise ConfigError(f"faults[{index}]: {error}") from None
    for vendor, entries in (settings.get("credentials") or {}).items():
        for index, entry in enumerate(entries):
            if vendor not in suite.vendors:
                raise ConfigError(
                    f"credentials.{vendor}: {vendor!r} is not served (vendors: {', '.join(suite.vendors)})"
                )
            params = {k: v for k, v in entry.items() if k != "tenant"}
            try:
                minted = suite.mint_token(vendor, entry.get("tenant"), params)
            except (KeyError, ValueError, TypeError) as error:
                raise ConfigError(f"credentials.{vendor}[{index}]: {error.args[0] if error.args else error}") from None
            headers = "  ".join(f"{k}: {v}" for k, v in minted.get("headers", {}).items())
            lines.append(f"  {vendor} (tenant {minted['tenant']}): {headers}")
    return lines
