"""devcore and one example, started for the benchmark.

The example runs from its own folder with the server command of the contract
(``tests/harness/examples.py``) and the contract's environment; only the module it
serves is the bench entry point of ``bench/entrypoints``, which imports the example and
adds one session-only route. Everything else is the example as shipped.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from devcore.testing import RunningDevcore, running_devcore
from tests.harness.examples import running_example

ENTRYPOINTS = Path(__file__).resolve().parent / "entrypoints"

# The contract's command for each example, with the bench entry point as the app.
COMMANDS = {
    "fastapi": (
        "uvicorn",
        "bench_fastapi:app",
        "--port",
        "{port}",
        "--no-proxy-headers",
    ),
    "flask": ("flask", "--app", "bench_flask", "run", "--port", "{port}"),
    "django": (
        "uvicorn",
        "project.asgi:application",
        "--port",
        "{port}",
        "--no-proxy-headers",
    ),
}
EXTRA_ENV = {"django": {"DJANGO_SETTINGS_MODULE": "bench_django_settings"}}

# The flow resends a code at once; the shipped cooldown (10 s) would refuse that. The
# caps per phone and per user stay as shipped: every simulated user has a phone of
# their own. Every simulated user comes from this one host, though, and all of them
# together ask for far more than an hour's budget: the caps per client and for the
# whole app are off.
BENCH_ENV = {
    "SMS_COOLDOWN_SECONDS": "0",
    "SMS_MAX_PER_CLIENT_PER_HOUR": "0",
    "SMS_MAX_PER_HOUR": "0",
}

# Password hashing at the real core's cost (11) would make every figure a bcrypt figure.
BCRYPT_LOG_ROUNDS = 4


@dataclass
class Servers:
    framework: str
    url: str
    core: RunningDevcore
    outbox: Path
    pid: int
    """The example's server process."""


@contextlib.contextmanager
def running(
    framework: str,
    *,
    startup_timeout: float = 60.0,
    env: dict[str, str] | None = None,
) -> Iterator[Servers]:
    """A fresh devcore and the example (with the bench route, and ``env`` beyond the
    contract's), both stopped afterwards."""
    with (
        tempfile.TemporaryDirectory(prefix=f"bench-{framework}-") as scratch,
        running_devcore(in_process=False, bcrypt_log_rounds=BCRYPT_LOG_ROUNDS) as core,
    ):
        outbox = Path(scratch) / "otp-outbox.jsonl"
        env = {
            **(env or {}),
            **BENCH_ENV,
            **EXTRA_ENV.get(framework, {}),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ENTRYPOINTS), os.environ.get("PYTHONPATH")) if p
            ),
        }
        with running_example(
            framework,
            core_uri=core.uri,
            outbox=outbox,
            extra_env=env,
            command=COMMANDS[framework],
            startup_timeout=startup_timeout,
        ) as example:
            yield Servers(framework, example.url, core, outbox, example.process.pid)
