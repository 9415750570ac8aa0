"""A pytest plugin with a ``devcore`` fixture: a fresh in-memory core per test.

Enable it with ``pytest_plugins = ["devcore.pytest_plugin"]`` in a ``conftest.py``.
The fixture yields a ``devcore.testing.RunningDevcore``; pass ``.uri`` to the SDK's
``SupertokensConfig(connection_uri=...)``. bcrypt runs at its lowest cost (4) so that
sign-ups stay fast; everything else has the real core's defaults.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .testing import RunningDevcore, running_devcore

TEST_BCRYPT_LOG_ROUNDS = 4


@pytest.fixture
def devcore() -> Iterator[RunningDevcore]:
    """A devcore started on a free port for this test, stopped after it."""
    with running_devcore(bcrypt_log_rounds=TEST_BCRYPT_LOG_ROUNDS) as core:
        yield core
