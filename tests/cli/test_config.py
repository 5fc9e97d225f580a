"""`mocks run --config FILE` and the MOCKS_* environment (issue 12): what they set, and how a bad value stops
the start (one line naming the key, exit 2)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from mocks.cli import main
from mocks.config import ConfigError, resolve

CONFIG = """\
# a demo instance
port: {port}
seed: 42
vendors: [piwik_pro, tasq]
clock: "2030-01-01T00:00:00Z"
freeze: true
ratelimits:
  overrides:
    - {{vendor: piwik_pro, rule: read, limit: 2, window_seconds: 60}}
faults:
  - {{vendor: tasq, method: GET, path: "/v1/users*", status: 503, times: 1}}
credentials:
  piwik_pro:
    - {{tenant: acme, lifetime_seconds: 7200}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _refused(capsys, argv, env=None, monkeypatch=None) -> str:
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    with socket.socket() as taken:  # should a refusal be missed, the start stops at this port, not serving
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main([*argv, "--port", str(taken.getsockname()[1])]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    return err.strip()


def test_a_config_file_sets_everything_at_start(tmp_path):
    port = _free_port()
    path = tmp_path / "mocks.yaml"
    path.write_text(CONFIG.format(port=port))
    process = subprocess.Popen(
        [sys.executable, "-m", "mocks.cli", "run", "--config", str(path), "--log-level", "warning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/_mocks/health").json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, "server did not start"
                time.sleep(0.1)
        assert health["seed"] == 42 and health["vendors"] == ["piwik_pro", "tasq"]
        assert health["clock"] == {"now": "2030-01-01T00:00:00Z", "epoch": 1893456000.0, "frozen": True}
        limits = httpx.get(f"{base}/_mocks/ratelimits").json()["vendors"]["piwik_pro"]
        assert [(r["rule"], r["limit"], r["window_seconds"]) for r in limits] == [("read", 2, 60.0), ("write", 60, 60)]
        faults = httpx.get(f"{base}/_mocks/faults").json()
        assert [(f["vendor"], f["method"], f["path"], f["status"], f["times"]) for f in faults] == [
            ("tasq", "GET", "/v1/users*", 503, 1)
        ]
        # the fault answers once, in Tasq's own format, then the documented credential works
        tasq = {"authorization": "74b4b0028293e8c0840fec31cdc23feb0fa489c577732577675205d73b623ed79ab4dce1d785da6a"}
        assert httpx.get(f"{base}/tasq/v1/users", headers=tasq).status_code == 503
        assert httpx.get(f"{base}/tasq/v1/users", headers=tasq).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    # the credential minted from the file is printed, and works for tenant acme
    minted = next(line for line in output.splitlines() if line.startswith("  piwik_pro (tenant acme): "))
    assert minted.split("Authorization: Bearer ")[1].count(".") == 2  # a JWT


def test_the_environment_beats_the_file_and_flags_beat_both(tmp_path):
    path = tmp_path / "mocks.yaml"
    path.write_text("seed: 1\nport: 9001\nhost: 127.0.0.2\n")
    settings = resolve(
        {"config": str(path), "port": 9003},
        {"MOCKS_SEED": "2", "MOCKS_PORT": "9002", "MOCKS_ACCESS_LOG": "yes", "MOCKS_VENDORS": "tasq, eloomi"},
    )
    assert (settings["seed"], settings["port"], settings["host"]) == (2, 9003, "127.0.0.2")
    assert settings["access_log"] is True and settings["vendors"] == ["tasq", "eloomi"]
    assert resolve({}, {"MOCKS_CONFIG": str(path)})["port"] == 9001
    assert resolve({}, {"MOCKS_NO_ADMIN": "1"})["admin"] is False
    assert resolve({}, {"MOCKS_ADMIN_TOKEN": "a-long-token"})["admin_token"] == "a-long-token"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prot: 8000\n", "--config {path}: unknown key 'prot' (allowed: access_log, admin, admin_token"),
        ("port: '8000'\n", "--config {path}: port: '8000' is not of type 'integer'"),
        ("port: 0\n", "--config {path}: port: 0 is less than the minimum of 1"),
        ("seed: 1.5\n", "--config {path}: seed: 1.5 is not of type 'integer'"),
        ("seed: .inf\n", "--config {path}: seed: not a finite number"),
        ("vendors: [piwik_pro, nobody]\n", "--config {path}: vendors[1]: 'nobody' is not one of perscom, eloomi"),
        ("clock: yesterday\n", "--config {path}: clock: 'yesterday' is not an ISO-8601 instant"),
        ("freeze: 'yes'\n", "--config {path}: freeze: 'yes' is not of type 'boolean'"),
        ("faults:\n  - {vendor: tasq, status: 99}\n", "--config {path}: faults[0].status: 99 is less than the minimum"),
        ("faults:\n  - {vendor: tasq, stauts: 500}\n", "--config {path}: faults[0]: unknown key 'stauts'"),
        ("faults:\n  - {vendor: tasq, latency_ms: 0}\n", "--config {path}: faults[0]: a fault needs a 'status'"),
        (
            "ratelimits:\n  overrides:\n    - {vendor: tasq, limit: -1}\n",
            "--config {path}: ratelimits.overrides[0].limit: -1 is less than the minimum of 0",
        ),
        (
            "ratelimits:\n  overrides:\n    - {vendor: piwik_pro, rule: reads}\n",
            "--config {path}: ratelimits.overrides[0]: vendor 'piwik_pro' has no rate rule 'reads'",
        ),
        (
            "ratelimits:\n  overrides:\n    - {vendor: tasq, window_seconds: .nan}\n",
            "--config {path}: ratelimits.overrides[0].window_seconds: not a finite number",
        ),
        (
            "credentials:\n  piwik_pro:\n    - {user_id: nobody}\n",
            "--config {path}: credentials.piwik_pro[0]: no user 'nobody'",
        ),
        ("[1, 2]\n", "--config {path}: the document must be a mapping"),
        ("port: [\n", "--config {path}: not valid YAML/JSON"),
    ],
)
def test_a_bad_config_file_is_one_line_naming_the_key(capsys, tmp_path, text, message):
    path = tmp_path / "mocks.yaml"
    path.write_text(text)
    line = _refused(capsys, ["run", "--config", str(path), "--vendors", "piwik_pro,tasq"])
    assert line.startswith("mocks: error: " + message.format(path=path)), line


def test_a_missing_config_file_is_one_line(capsys, tmp_path):
    assert "cannot read it" in _refused(capsys, ["run", "--config", str(tmp_path / "none.yaml")])


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MOCKS_PORT": "http"}, "environment: MOCKS_PORT: 'http' is not of type 'integer'"),
        ({"MOCKS_SEED": "-3"}, "environment: MOCKS_SEED: -3 is less than the minimum of 0"),
        ({"MOCKS_CLOCK": "soon"}, "environment: MOCKS_CLOCK: 'soon' is not an ISO-8601 instant"),
        ({"MOCKS_FREEZE": "maybe"}, "environment: MOCKS_FREEZE: 'maybe' is not of type 'boolean'"),
        ({"MOCKS_VENDORS": "tasq,nobody"}, "environment: MOCKS_VENDORS[1]: 'nobody' is not one of"),
        ({"MOCKS_LOG_LEVEL": "loud"}, "environment: MOCKS_LOG_LEVEL: 'loud' is not one of critical"),
        ({"MOCKS_ADMIN_TOKEN": "short"}, "environment: MOCKS_ADMIN_TOKEN: 'short' is too short"),
    ],
)
def test_a_bad_environment_variable_is_one_line_naming_it(capsys, monkeypatch, env, message):
    assert _refused(capsys, ["run"], env, monkeypatch).startswith("mocks: error: " + message)


def test_config_error_is_not_a_traceback():
    with pytest.raises(ConfigError, match="^environment: MOCKS_JOURNAL: 0 is less than the minimum of 1$"):
        resolve({}, {"MOCKS_JOURNAL": "0"})


def test_the_published_schema_and_the_docs_match_the_code():
    import json
    from pathlib import Path

    from mocks.config import ENVIRONMENT, SCHEMA

    docs = Path(__file__).resolve().parents[2] / "docs"
    assert json.loads((docs / "mocks.schema.json").read_text()) == json.loads(json.dumps(SCHEMA))
    page = (docs / "CONFIGURATION.md").read_text()
    for key in SCHEMA["properties"]:
        assert f"| `{key}` |" in page, key
    for variable in ENVIRONMENT:
        assert f"`{variable}" in page, variable


def test_the_documented_example_is_valid(tmp_path):
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "CONFIGURATION.md").read_text()
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "mocks.yaml"
    path.write_text(example)
    settings = resolve({"config": str(path)}, {})
    assert settings["seed"] == 42 and settings["vendors"] == ["piwik_pro", "personio"]
    assert settings["faults"][0]["status"] == 503
