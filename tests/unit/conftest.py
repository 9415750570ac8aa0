"""The send stores the throttle's tests run on: each test once on SQLite, once on the
real Redis server that the run starts itself (``redis_server``, tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.additions.send_limits.redis_store import RedisStore
from core.additions.send_limits.sqlite_store import SqliteStore
from core.additions.send_limits.throttle import SendStore
from tests.harness.redis_server import RunningRedis


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> SendStore:
    if request.param == "sqlite":
        return SqliteStore(str(tmp_path / "throttle.sqlite3"))
    server: RunningRedis = request.getfixturevalue("redis_server")
    server.flush()
    return RedisStore(server.url)
