"""Fixtures for devcore's own tests: a fresh core per test, and the SDK pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devcore.pytest_plugin import devcore  # noqa: F401 - the plugin's fixture, offered here
from devcore.testing import RunningDevcore
from tests.devcore.sdk import init_sdk, reset_sdk


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sdk(request: pytest.FixtureRequest) -> Iterator[RunningDevcore]:
    """The SDK initialised against this test's devcore; yields the core."""
    core: RunningDevcore = request.getfixturevalue("devcore")
    init_sdk(core.uri)
    yield core
    reset_sdk()
