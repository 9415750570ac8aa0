"""Options shared by every test directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.examples import EXAMPLES
from tests.harness.redis_server import RunningRedis, running_redis


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--framework",
        choices=sorted(EXAMPLES),
        default="fastapi",
        help="which example the behavioural suite runs against (default: fastapi)",
    )
    parser.addoption(
        "--record-screenshots",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="the browser tests save the screenshots the docs show into FOLDER",
    )


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RunningRedis]:
    """A real Redis server on a free loopback port, for this run only."""
    with running_redis() as server:
        yield server
