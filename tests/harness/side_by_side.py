"""One pytest per framework, side by side: how nox runs the behavioural suite, the
browser tests and the lowest-versions run.

    python -m tests.harness.side_by_side [--frameworks F ...] [--coverage-data DIR]
        [--one-at-a-time] -- PYTEST_ARGUMENTS...

Each run is given ``--framework=F`` and starts its own core, examples and servers, so
the runs share nothing; much of a test is waiting on round trips, so three at once on
two CPUs take little longer than one. ``--coverage-data``: each run's examples measured
into ``DIR/<name>-F``, where ``<name>`` is DIR's own name. ``--one-at-a-time``: one run
after another (against one real core, which the suite does not share well). Each run's
output is printed as it ends. The exit status is pytest's when every run exits alike,
else 1: a run that fails, or runs no test (pytest's 5), fails the whole.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from tests.harness.examples import EXAMPLES, MEASURED, ROOT


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frameworks", nargs="+", choices=sorted(EXAMPLES))
    parser.add_argument("--coverage-data", type=Path)
    parser.add_argument("--one-at-a-time", action="store_true")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    frameworks = args.frameworks or list(EXAMPLES)
    started = time.monotonic()
    codes: dict[str, int] = {}
    with contextlib.ExitStack() as logs:
        runs: dict[str, tuple[subprocess.Popen[bytes], IO[bytes]]] = {}
        for framework in frameworks:
            log = logs.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    *args.pytest_args,
                    f"--framework={framework}",
                ],
                cwd=ROOT,
                env=run_env(framework, args.coverage_data),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            runs[framework] = (process, log)
            if args.one_at_a_time:
                codes[framework] = finished(framework, process, log)
        for framework, (process, log) in runs.items():
            if framework not in codes:
                codes[framework] = finished(framework, process, log)
    print(f"\n===== {len(codes)} runs, {time.monotonic() - started:.0f} s in all =====")
    for framework, code in codes.items():
        print(
            f"{framework}: {'passed' if code == 0 else f'FAILED (pytest exit {code})'}"
        )
    return codes[frameworks[0]] if len(set(codes.values())) == 1 else 1


def run_env(framework: str, coverage_data: Path | None) -> dict[str, str]:
    if coverage_data is None:
        return dict(os.environ)
    folder = coverage_data.parent / f"{coverage_data.name}-{framework}"
    folder.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        MEASURED: "1",
        "COVERAGE_FILE": str((folder / ".coverage").resolve()),
    }


def finished(framework: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> int:
    code = process.wait()
    log.seek(0)
    print(f"\n===== {framework} =====", flush=True)
    sys.stdout.buffer.write(log.read())
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
