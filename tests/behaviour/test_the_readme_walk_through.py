"""Each example's README walks through the flow with curl: the walk-through, run as
written (only where the server is and where its outbox lies changed), does what the
README says on every framework."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.harness.examples import EXAMPLES, RunningExample
from tests.harness.outbox import Outbox

WALK_THROUGH = re.compile(r"## A walk-through with curl\n.*?```sh\n(.*?)```", re.DOTALL)


def walk_through(framework: str) -> str:
    readme = (EXAMPLES[framework].folder / "README.md").read_text()
    found = WALK_THROUGH.search(readme)
    assert found, f"no curl walk-through in {framework}'s README"
    return found[1]


def test_the_readmes_curl_walk_through_signs_up_enrols_refreshes_and_signs_out(
    framework: str, example: RunningExample, outbox: Outbox, tmp_path: Path
) -> None:
    script = walk_through(framework)
    script, servers = re.subn(r"^API=.*$", f"API={example.url}", script, flags=re.M)
    script, outboxes = re.subn(
        r"^OUTBOX=.*$", f"OUTBOX={outbox.path}", script, flags=re.M
    )
    assert (servers, outboxes) == (1, 1)

    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    signed_up, held, sent, entered, me, refreshed, me_again, signed_out, gone = lines
    assert json.loads(signed_up)["status"] == "OK"
    assert json.loads(held)["claimValidationErrors"][0]["id"] == "2fa-completed"
    assert json.loads(sent)["status"] == json.loads(entered)["status"] == "OK"
    for answer in (me, me_again):
        assert json.loads(answer)["secondFactorCompleted"] is True
        assert json.loads(answer)["phoneNumber"] == "+14155550100"
    assert (refreshed, json.loads(signed_out)) == ("refresh: 200", {"status": "OK"})
    assert gone == "after sign-out: 401"
