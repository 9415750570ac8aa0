"""``python -m devcore``: one ready line, a clean Ctrl-C, and refusals that explain."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

READY = re.compile(r"devcore listening on (http://127\.0\.0\.1:(\d+)) \((.+)\)\n")


def run(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "devcore", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        check=False,
    )


@contextmanager
def started(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "devcore", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_prints_one_ready_line_and_stops_cleanly_on_ctrl_c() -> None:
    with started("--port", "0") as process:
        assert process.stdout is not None
        ready = READY.fullmatch(process.stdout.readline())
        assert ready is not None
        assert ready.group(3) == "in-memory"
        assert httpx.get(ready.group(1) + "/hello").text.strip() == "Hello"

        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)

    assert process.returncode == 0
    assert stdout == ""
    assert "Traceback" not in stderr


def test_sigterm_also_stops_cleanly() -> None:
    with started("--port", "0") as process:
        assert process.stdout is not None
        assert READY.fullmatch(process.stdout.readline())

        process.terminate()
        _, stderr = process.communicate(timeout=10)

    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_ready_line_names_the_database_file(tmp_path: Path) -> None:
    db = tmp_path / "core.db"
    with started("--port", "0", "--db", str(db)) as process:
        assert process.stdout is not None
        ready = READY.fullmatch(process.stdout.readline())

    assert ready is not None and ready.group(3) == f"db {db}"
    assert db.exists()


def test_settings_come_from_devcore_environment_variables() -> None:
    port = free_port()
    env = {
        **os.environ,
        "DEVCORE_PORT": str(port),
        "DEVCORE_PASSWORDLESS_CODE_LIFETIME": "60000",
    }
    with started(env=env) as process:
        assert process.stdout is not None
        ready = READY.fullmatch(process.stdout.readline())
        assert ready is not None and int(ready.group(2)) == port
        code = httpx.post(
            ready.group(1) + "/public/recipe/signinup/code",
            json={"phoneNumber": "+14155552671"},
        ).json()

    assert code["codeLifetime"] == 60000


def test_refuses_a_non_loopback_host_without_an_api_key() -> None:
    result = run("--host", "0.0.0.0", "--port", "0")  # noqa: S104 - the refusal is the point

    assert result.returncode == 2
    assert (
        "refusing to listen on non-loopback host '0.0.0.0' without an API key"
        in result.stderr
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api-key", "short"], "api key must be at least 20 characters"),
        (["--bcrypt-log-rounds", "3"], "bcrypt-log-rounds must be between 4 and 31"),
        (
            ["--passwordless-code-lifetime", "0"],
            "passwordless-code-lifetime must be greater",
        ),
        (
            ["--password-reset-token-lifetime", "-1"],
            "password-reset-token-lifetime must be greater",
        ),
        (["--port", "many"], "invalid int value"),
    ],
)
def test_refuses_bad_settings(args: list[str], message: str) -> None:
    result = run(*args)

    assert result.returncode == 2
    assert message in result.stderr


def test_a_port_in_use_is_reported() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run("--port", str(taken.getsockname()[1]))

    assert result.returncode == 1
    assert "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
