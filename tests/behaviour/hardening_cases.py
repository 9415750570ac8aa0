"""Counting the hardening cases each run tried and passed, per class, for the report.

A test joins a class with ``@pytest.mark.hardening("Attack", "Phone swap")`` and then
counts as one case, passed if the test passed. A test that tries many cases (a hand
list, a hypothesis strategy) wraps each in ``with case():`` (or ``case("Other class")``)
and counts those instead. A skipped test is counted as skipped, never as passed (an
expected failure, a core's known limitation, is one: in the run's totals it is counted
as xfailed); a test that fails after all its cases passed counts one of them as failed.

A run of the whole suite writes ``build/hardening/<framework>.json``, or into the folder
``HARDENING_RECORDS`` names (a run of some of it, by file, node id, ``-k`` or ``-m``,
writes nothing, so it cannot shrink the counts); ``python -m
tests.behaviour.hardening_report`` renders ``docs/hardening-report.md``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

MARKER = "hardening"


@dataclass
class Tally:
    group: str
    name: str
    how: str
    tried: int = 0
    passed: int = 0
    skipped: int = 0


@dataclass
class RunningTest:
    group: str
    name: str
    how: str
    tallies: dict[tuple[str, str, str], Tally] = field(default_factory=dict)
    last: Tally | None = None

    def tally(self, name: str | None) -> Tally:
        key = (self.group, name or self.name, self.how)
        self.last = self.tallies.setdefault(key, Tally(*key))
        return self.last


_running: RunningTest | None = None


@contextmanager
def case(name: str | None = None) -> Iterator[None]:
    """One case of the running test's class (or of ``name`` in the same group)."""
    if _running is None:
        raise RuntimeError(
            f"case() needs a test marked @pytest.mark.{MARKER}(group, name)"
        )
    tally = _running.tally(name)
    tally.tried += 1
    yield  # an exception leaves it tried but not passed
    tally.passed += 1


class HardeningCases:
    """The pytest plugin: keeps the tallies of a run and writes them at its end."""

    def __init__(self, framework: str, output: Path) -> None:
        self.framework = framework
        self.output = output
        self.tallies: dict[tuple[str, str, str], Tally] = {}
        self.tests = {"passed": 0, "failed": 0, "skipped": 0, "xfailed": 0}
        self.started = time.monotonic()
        self.whole_suite = False
        self.deselected = False

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected = True

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        suite = Path(__file__).parent
        every_file = set(suite.glob("test_*.py"))
        collected = {item.path for item in session.items if item.path.parent == suite}
        selected_by_id = any("::" in arg for arg in session.config.args)
        self.whole_suite = collected == every_file and not (
            selected_by_id or self.deselected
        )

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, object, object]:
        global _running
        marker = item.get_closest_marker(MARKER)
        if marker is not None:
            group, name = marker.args
            _running = RunningTest(
                group, name, marker.kwargs.get("how", "hand-written")
            )
        try:
            return (yield)
        finally:
            item.stash[_RESULT] = _running
            _running = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if not _is_final(report):
            return report
        self.tests["xfailed" if hasattr(report, "wasxfail") else report.outcome] += 1
        marker = item.get_closest_marker(MARKER)
        if marker is None:
            return report
        group, name = marker.args
        how = marker.kwargs.get("how", "hand-written")
        running = item.stash.get(_RESULT, None)
        if report.skipped:
            self._add(Tally(group, name, how, skipped=1))
        elif running is None or not running.tallies:
            self._add(Tally(group, name, how, tried=1, passed=int(report.passed)))
        else:
            if report.failed and running.last is not None:
                last = running.last
                last.passed = min(last.passed, last.tried - 1)
            for tally in running.tallies.values():
                self._add(tally)
        return report

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.whole_suite:
            return
        self.output.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "framework": self.framework,
            "core": "real core"
            if os.environ.get("SUPERTOKENS_CONNECTION_URI")
            else "devcore",
            "seconds": round(time.monotonic() - self.started, 1),
            "tests": self.tests,
            "classes": [asdict(tally) for tally in self.tallies.values()],
        }
        self.output.write_text(json.dumps(record, indent=2) + "\n")

    def _add(self, tally: Tally) -> None:
        key = (tally.group, tally.name, tally.how)
        total = self.tallies.setdefault(key, Tally(*key))
        total.tried += tally.tried
        total.passed += tally.passed
        total.skipped += tally.skipped


_RESULT = pytest.StashKey[RunningTest | None]()


def _is_final(report: pytest.TestReport) -> bool:
    """The report that decides a test's outcome: its call, or a setup that did not pass."""
    return report.when == "call" or (report.when == "setup" and not report.passed)


def register(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(group, name, how=...): count this test in the hardening report",
    )
    framework = config.getoption("--framework")
    # HARDENING_RECORDS moves the record aside (nox -s lowest: not a run the report shows).
    records = (
        os.environ.get("HARDENING_RECORDS") or config.rootpath / "build" / "hardening"
    )
    output = Path(records) / f"{framework}.json"
    config.pluginmanager.register(HardeningCases(framework, output), "hardening-cases")
