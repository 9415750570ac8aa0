"""The exchanges the tutorial shows are the ones a run produces today, on every framework.

Each ``tests`` session walks the tutorial against its framework's example and compares
with ``docs/transcripts/``: the same files must come out of FastAPI, Flask and Django,
and a change in behaviour fails here (and in ``nox -s docs``) until the transcripts are
rewritten with ``nox -s transcripts`` and the pages reread. With
``SUPERTOKENS_CONNECTION_URI`` set, the walk runs on that core: a real core must give the
same exchanges as devcore, on which they were recorded.
"""

from __future__ import annotations

import difflib

import pytest

from tests.docs.tutorial import TRANSCRIPTS, recorded


def test_the_tutorials_exchanges_are_the_committed_transcripts(
    request: pytest.FixtureRequest,
) -> None:
    framework = request.config.getoption("--framework")
    with recorded(framework) as transcript:
        made = transcript.files()
    committed = {path.name: path.read_text() for path in TRANSCRIPTS.iterdir()}

    problems = [f"missing: {name}" for name in sorted(made.keys() - committed.keys())]
    problems += [
        f"not made by the run: {name}"
        for name in sorted(committed.keys() - made.keys())
    ]
    for name in sorted(made.keys() & committed.keys()):
        if made[name] != committed[name]:
            diff = difflib.unified_diff(
                committed[name].splitlines(),
                made[name].splitlines(),
                f"docs/transcripts/{name} (committed)",
                f"{name} ({framework}, now)",
                lineterm="",
            )
            problems.append("\n".join(diff))
    assert not problems, (
        f"docs/transcripts/ is stale for {framework} (rewrite with `nox -s transcripts`):\n\n"
        + "\n\n".join(problems)
    )
