"""The overview page's demo does what the page says: the flow walked once, end to end."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.harness.examples import ROOT


def test_the_demo_walks_the_flow_and_stops_with_once() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tests.harness.demo", "fastapi", "--once"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert [int(n) for n in re.findall(r"^(\d)\. ", out, re.MULTILINE)] == list(
        range(1, 8)
    )
    assert "<- 403 " in out  # the first factor alone is refused
    assert re.search(
        r"SMS sent to \+\d+: 0$", out, re.MULTILINE
    )  # the phone swap sends nothing
    assert (
        out.rstrip().splitlines()[-1].startswith("   <- 200 ")
    )  # she is in, in the end
