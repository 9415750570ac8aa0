"""The browser tests on every framework at once: one pytest per framework, side by side.

    python -m tests.browser.side_by_side [pytest arguments...]

Each run starts its own core, example, demo app server and Chromium, so the runs share
nothing; most of a browser test is waiting on round trips, so three at once on two CPUs
take little longer than one. Each run's output is printed as it ends. The exit status is
pytest's when every run exits alike, else 1: a run that fails, or runs no test (pytest's
5), fails the whole.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time

from tests.harness.examples import EXAMPLES, ROOT

FRAMEWORKS = sorted(EXAMPLES)


def main(pytest_args: list[str]) -> int:
    started = time.monotonic()
    with contextlib.ExitStack() as logs:
        runs = {}
        for framework in FRAMEWORKS:
            log = logs.enter_context(tempfile.TemporaryFile())
            command = [
                sys.executable,
                "-m",
                "pytest",
                "tests/browser",
                f"--framework={framework}",
            ]
            process = subprocess.Popen(
                [*command, *pytest_args], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
            runs[framework] = (process, log)
        codes = {}
        for framework, (process, log) in runs.items():
            codes[framework] = process.wait()
            log.seek(0)
            print(f"\n===== {framework} =====", flush=True)
            sys.stdout.buffer.write(log.read())
            sys.stdout.flush()
    print(f"\n===== the browser tests, {time.monotonic() - started:.0f} s in all =====")
    for framework, code in codes.items():
        print(
            f"{framework}: {'passed' if code == 0 else f'FAILED (pytest exit {code})'}"
        )
    return codes[FRAMEWORKS[0]] if len(set(codes.values())) == 1 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
