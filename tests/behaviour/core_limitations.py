"""Faults of the core under test, not of ours, named by the tests they make fail.

A test marked ``@pytest.mark.core_limitation(LIMITATION)`` runs in full on every core. On
a core that has the limitation it is expected to fail (a strict xfail, its reason
printed), and only in the limitation's own way: the failure counts as the core's only
when the example's log shows the core's error for it. Any other failure is ours and
fails the run; so does a pass, which would mean the limitation is gone and the marker
should go too. Nothing here is counted as passed.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from dataclasses import dataclass
from typing import Protocol

import pytest

from tests.harness.examples import RunningExample

MARKER = "core_limitation"


class CoreKind(Protocol):
    """What the suite knows of its core (its CoreUnderTest)."""

    @property
    def devcore(self) -> object | None: ...
    @property
    def in_memory(self) -> bool: ...


@dataclass(frozen=True)
class Limitation:
    """A fault of the real core on its in-memory development database, and how to
    recognise it."""

    reason: str
    """Printed with the expected failure."""
    signature: str
    """What the core's error says, as it reaches the example's log."""

    def applies_to(self, core: CoreKind) -> bool:
        return core.devcore is None and core.in_memory


IN_MEMORY_STORAGE_UNDER_CONCURRENT_WRITES = Limitation(
    reason=(
        "the real core's in-memory SQLite (cache=shared) answers SQLITE_LOCKED_SHAREDCACHE "
        "to concurrent writers, so some of its answers are 500s; run this on a core with a "
        "database (PostgreSQL) to test it"
    ),
    signature="SQLITE_LOCKED",
)


class LimitationShown(Exception):
    """The test failed, and the example's log shows the core's known fault."""


@dataclass
class _Watch:
    limitation: Limitation
    example: RunningExample
    log_before: int

    def shown(self) -> bool:
        return self.limitation.signature in self.example.output()[self.log_before :]


_WATCH = pytest.StashKey[_Watch]()


@pytest.fixture(autouse=True)
def _expect_known_core_limitation(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return
    limitation: Limitation = marker.args[0]
    if not limitation.applies_to(request.getfixturevalue("core")):
        return
    example: RunningExample = request.getfixturevalue("example")
    request.node.stash[_WATCH] = _Watch(limitation, example, len(example.output()))
    request.applymarker(
        pytest.mark.xfail(reason=limitation.reason, strict=True, raises=LimitationShown)
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    watch = item.stash.get(_WATCH, None)
    try:
        return (yield)
    except Exception as failure:
        if watch is not None and watch.shown():
            raise LimitationShown(watch.limitation.reason) from failure
        raise


def register(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(limitation): a real core known to fail this test for a fault of its own "
        "(tests.behaviour.core_limitations) is expected to fail it, in that way only",
    )
    config.pluginmanager.register(sys.modules[__name__], "core-limitations")
