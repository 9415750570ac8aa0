"""The contract every example honours, and how to run one as a real server.

This table is the one place the contract is written down: the suite, the demo and
the benchmarks start examples through it, and each example's README repeats only
its own row.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn.config

from tests.harness.tls import shared_tls_context

ROOT = Path(__file__).resolve().parents[2]

AUTH_BASE_PATH = "/auth"
PROTECTED_ROUTE = "/api/me"
PUBLIC_ROUTE = "/api/health"


@dataclass(frozen=True)
class Example:
    framework: str
    folder: Path
    command: tuple[str, ...]
    """How its README starts it, from its folder; ``{port}`` is filled in."""

    def argv(self, port: int) -> list[str]:
        # `python -m uvicorn` is `uvicorn` run by this interpreter, whatever PATH says.
        return [
            sys.executable,
            *under_coverage(),
            "-m",
            *(part.format(port=port) for part in self.command),
        ]


MEASURED = "EXAMPLES_UNDER_COVERAGE"
"""Set (by nox's sessions), the examples run under coverage, into ``COVERAGE_FILE``:
they are what the suite measures, not the test process or the core."""


def under_coverage() -> list[str]:
    if not os.environ.get(MEASURED):
        return []
    sources = ",".join(str(ROOT / folder) for folder in ("core", "examples"))
    rcfile = str(ROOT / "pyproject.toml")
    return ["-m", "coverage", "run", f"--rcfile={rcfile}", f"--source={sources}"]


EXAMPLES: dict[str, Example] = {
    "fastapi": Example(
        "fastapi",
        ROOT / "examples" / "fastapi",
        ("uvicorn", "main:app", "--port", "{port}", "--no-proxy-headers"),
    ),
    "flask": Example(
        "flask",
        ROOT / "examples" / "flask",
        ("flask", "--app", "app", "run", "--port", "{port}"),
    ),
    "django": Example(
        "django",
        ROOT / "examples" / "django",
        (
            "uvicorn",
            "project.asgi:application",
            "--port",
            "{port}",
            "--no-proxy-headers",
        ),
    ),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def email_outbox_beside(outbox: Path) -> Path:
    """The email outbox of the examples whose SMS outbox is ``outbox``."""
    return outbox.parent / "email-outbox.jsonl"


def uvicorn_logging_every_error(folder: Path) -> Path:
    """A logging config for ``UVICORN_LOG_CONFIG``: uvicorn's own, and every warning and
    error any logger reports, to stderr (what Python prints anyway when no logger has a
    handler). Django with ``DEBUG = False`` logs a failed request to no console; the
    suite reads the examples' output (core_limitations)."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    path = folder / "uvicorn-logging.json"
    path.write_text(json.dumps(config))
    return path


def example_env(
    *, core_uri: str, port: int, outbox: Path, api_key: str | None
) -> dict[str, str]:
    """The environment an example is configured by (names from ``core.settings``)."""
    env = {
        "SUPERTOKENS_CONNECTION_URI": core_uri,
        "API_DOMAIN": f"http://localhost:{port}",
        "WEBSITE_DOMAIN": "http://localhost:3000",
        "OTP_OUTBOX": str(outbox),
        "EMAIL_OUTBOX": str(email_outbox_beside(outbox)),
        # Beside the outbox, one per server: each example counts its own sends.
        "STATE_DB": str(outbox.parent / f"state-{port}.sqlite3"),
    }
    if api_key:
        env["SUPERTOKENS_API_KEY"] = api_key
    return env


@dataclass
class RunningExample:
    example: Example
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    api_domain: str
    """Its ``API_DOMAIN``: where a page in a browser calls it (``localhost``, not ``url``'s
    address, so that its cookies and the page's are of one site)."""

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def running_example(
    framework: str,
    *,
    core_uri: str,
    outbox: Path,
    api_key: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    port: int | None = None,
    startup_timeout: float = 60.0,
    folder: Path | None = None,
    command: tuple[str, ...] | None = None,
) -> Iterator[RunningExample]:
    """Start the example as its README does, wait until it answers, stop it with Ctrl-C.

    ``folder``: a copy of the example's folder, run instead of the example itself;
    ``command``: another app of the example's framework, served the same way.
    """
    shipped = EXAMPLES[framework]
    example = Example(framework, folder or shipped.folder, command or shipped.command)
    port = port or free_port()
    env = {
        **os.environ,
        **example_env(core_uri=core_uri, port=port, outbox=outbox, api_key=api_key),
        **(extra_env or {}),
    }
    with tempfile.NamedTemporaryFile(
        prefix=f"{framework}-", suffix=".log", delete=False
    ) as f:
        log = Path(f.name)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            example.argv(port),
            cwd=example.folder,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            preexec_fn=ctrl_c_restored,
        )
    running = RunningExample(
        example, f"http://127.0.0.1:{port}", process, log, env["API_DOMAIN"]
    )
    try:
        _wait_until_up(running, startup_timeout)
        yield running
    finally:
        stop(process)
        log.unlink(missing_ok=True)


def _wait_until_up(running: RunningExample, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(
                f"{running.example.framework} example exited with {running.process.returncode}:\n"
                + running.output()
            )
        with contextlib.suppress(httpx.TransportError):
            # One shared TLS context: a new one per poll would load the CA bundle each
            # time (most of this loop's CPU, taken from the server that is starting).
            response = httpx.get(
                running.url + PUBLIC_ROUTE, timeout=1, verify=shared_tls_context()
            )
            if response.status_code == 200:
                return
        time.sleep(0.05)
    stop(running.process)
    raise RuntimeError(
        f"{running.example.framework} example did not answer within {timeout}s:\n"
        + running.output()
    )


def ctrl_c_restored() -> None:
    """In the example, before it starts: Ctrl-C as it is in a terminal. A test run
    started in the background (``nohup``, ``&``, some CI runners) hands its children
    an ignored SIGINT, which uvicorn overrides but Flask does not: ``stop`` would then
    have to kill it, and its coverage data would be lost."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Ctrl-C, as a person would; kill only if it does not stop."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
