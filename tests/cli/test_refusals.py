"""`mocks run` refuses a bad option with one line on stderr and exit status 2, before the banner and before
anything listens (issue 15, CLI)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import pytest

from mocks.cli import exposure_warning, main
from mocks.config import DEFAULTS


def _refused(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""  # no banner
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # one line, no usage block, no traceback
    return lines[0]


def _argparse_refused(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    return err.strip()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "--clock", "notadate"], "argument --clock: 'notadate' is not an ISO-8601 instant"),
        (["run", "--clock", "10000-01-01T00:00:00Z"], "argument --clock"),
        (["run", "--port", "99999"], "argument --port: 99999 is not between 1 and 65535"),
        (["run", "--port", "eighty"], "argument --port: 'eighty' is not an integer"),
        (["run", "--seed", "-1"], "argument --seed: -1 is not between 0"),
        (["run", "--seed", "1" + "0" * 400], "argument --seed"),
        (["run", "--vendors", "piwik_pro,nobody"], "unknown vendor(s) ['nobody']"),
        (["run", "--journal", "0"], "argument --journal"),
        (["run", "--framework", "django"], "argument --framework: invalid choice"),
        (["run", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_a_bad_flag_is_one_line_and_exit_2(capsys, argv, expected):
    line = _argparse_refused(capsys, argv)
    assert line.startswith(("mocks run: error: ", "mocks: error: ")) and expected in line


def test_a_state_file_in_a_missing_folder_stops_the_start(capsys, tmp_path):
    line = _refused(capsys, ["run", "--state", str(tmp_path / "missing" / "state.json")])
    assert (
        line
        == f"mocks: error: --state {tmp_path / 'missing' / 'state.json'}: folder {tmp_path / 'missing'} does not exist"
    )


def test_a_state_path_that_is_a_folder_stops_the_start(capsys, tmp_path):
    assert "is a folder" in _refused(capsys, ["run", "--state", str(tmp_path)])


def test_a_port_in_use_is_one_line_without_the_banner(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _refused(capsys, ["run", "--port", str(port), "--vendors", "tasq"])
    assert line == f"mocks: error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_a_host_that_does_not_resolve_is_one_line(capsys):
    assert "--host nowhere.invalid: not an address" in _refused(
        capsys, ["run", "--host", "nowhere.invalid", "--vendors", "tasq"]
    )


def test_a_short_admin_token_is_refused(capsys):
    assert (
        _refused(capsys, ["run", "--admin-token", "abc"])
        == "mocks: error: command line: --admin-token: 'abc' is too short"
    )


def test_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("mocks 0.")


def test_list_into_a_closed_pipe_ends_without_a_traceback():
    # the reader is gone before `mocks list` writes (what `mocks list | head -1` does to a longer listing)
    reader, writer = socket.socketpair()
    reader.close()
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from mocks.cli import entry; sys.exit(entry())",
            "list",
            "--vendors",
            "tasq",
        ],
        stdout=writer.fileno(),
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    writer.close()
    assert "Traceback" not in process.stderr and "BrokenPipeError" not in process.stderr, process.stderr
    assert process.returncode in (0, 1)


def test_listening_beyond_loopback_without_a_token_warns():
    exposed = {**DEFAULTS, "host": "0.0.0.0"}
    warning = exposure_warning(exposed)
    assert warning.startswith("mocks: warning: listening on 0.0.0.0 with the admin API open and no --admin-token")
    assert "inject faults" in warning
    assert exposure_warning({**exposed, "admin_token": "s3cret-token"}) is None
    assert exposure_warning({**exposed, "admin": False}) is None
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert exposure_warning({**DEFAULTS, "host": host}) is None


def test_the_warning_is_printed_before_serving(tmp_path):
    # a real start on every interface of this machine, stopped at once: the warning is on stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mocks.cli",
            "run",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--vendors",
            "tasq",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stderr.readline()
        assert first.startswith("mocks: warning: listening on 0.0.0.0"), first
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
