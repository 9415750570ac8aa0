"""The tutorial's walk through the guide, run against a live example, every exchange kept.

The pages under ``docs/`` show these exchanges from ``docs/transcripts/``; the test in
``test_transcripts.py`` runs this walk again and fails if any file would change. To
write the files after a deliberate change in behaviour::

    python -m tests.docs.tutorial [fastapi|flask|django]     # or: nox -s transcripts
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.docs.transcript import Transcript
from tests.harness.accounts import new_account
from tests.harness.core_api import CDI_VERSION
from tests.harness.examples import EXAMPLES, ROOT, running_example
from tests.harness.flows import enter_sent_code, send_code, sign_in, sign_up, wrong_code
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone, written_differently

TRANSCRIPTS = ROOT / "docs" / "transcripts"

# How the pages name the run's people and values.
ALICES_PHONE, MALLORYS_PHONE = "+14155550100", "+14155550199"


def walk(example_url: str, core_uri: str, outbox: Outbox) -> Transcript:
    """Alice enrols her phone; later Mallory, who has her password, tries to swap it."""
    transcript = Transcript()
    alice, alices_phone, mallorys_phone = new_account(), new_phone(), new_phone()
    transcript.alias(
        f"localhost:{urlsplit(example_url).port}", "localhost:3001", inside=True
    )
    transcript.alias(alice.email, "alice@example.com")
    transcript.alias(alice.password, "<alice's password>")
    transcript.alias(alices_phone, ALICES_PHONE)
    transcript.alias(
        written_differently(alices_phone), written_differently(ALICES_PHONE)
    )
    transcript.alias(mallorys_phone, MALLORYS_PHONE)

    browser = Frontend(example_url, on_exchange=transcript)

    # Step 1: the first factor gives a session that protected APIs still refuse.
    with transcript.exchange("sign-up"):
        sign_up(browser, alice)
    transcript.alias(browser.payload["sub"], "<alice-user-id>")
    assert browser.session_handle is not None
    transcript.alias(browser.session_handle, "<session-handle>")
    with transcript.exchange("me-before-second-factor"):
        browser.me()

    # Steps 2 and 3: the code goes to her phone; the right one completes the session.
    with transcript.exchange("send-code"):
        send_code(browser, alices_phone)
    name_flow(transcript, browser, "")
    code = _sent_code(outbox, browser)
    wrong = wrong_code(browser, outbox)
    transcript.alias(wrong, "<a wrong code>")
    with transcript.exchange("wrong-code"):
        browser.enter_code(wrong)
    transcript.alias(code, "<the code from the SMS>")
    with transcript.exchange("enter-code"):
        enter_sent_code(browser, outbox)
    transcript.alias(
        transcript.seen("enter-code").json()["user"]["id"], "<phone-user-id>"
    )
    with transcript.exchange("me-after-second-factor"):
        browser.me()
    with transcript.exchange("metadata-after-second-factor"):
        core_get(
            transcript, core_uri, "/recipe/user/metadata", userId=browser.payload["sub"]
        )
    assert browser.sign_out().status_code == 200

    # Step 5: signing in again puts the enrolled phone in the token.
    mallory = Frontend(example_url, on_exchange=transcript)
    with transcript.exchange("sign-in-after-enrolment"):
        sign_in(mallory, alice)
    assert mallory.session_handle is not None
    transcript.alias(mallory.session_handle, "<second-session-handle>")

    # Step 4: a phone other than the enrolled one gets no code.
    with transcript.exchange("phone-swap-refused"):
        mallory.send_code(mallorys_phone)

    # Step 4 with E.164: the owner's phone, however written, is the same phone.
    again = Frontend(example_url, on_exchange=transcript)
    sign_in(again, alice)
    assert again.session_handle is not None
    transcript.alias(again.session_handle, "<third-session-handle>")
    with transcript.exchange("send-code-written-differently"):
        send_code(again, written_differently(alices_phone))
    name_flow(transcript, again, "second-")

    # Step 4, resending: Mallory cannot have the code of Alice's flow sent again.
    with transcript.exchange("resend-from-another-session"):
        mallory.resend_code(again.flow)
    mallory.close()
    again.close()
    browser.close()
    return transcript


def name_flow(transcript: Transcript, frontend: Frontend, which: str) -> None:
    assert frontend.flow is not None
    transcript.alias(frontend.flow.device_id, f"<{which}device-id>")
    transcript.alias(frontend.flow.pre_auth_session_id, f"<{which}pre-auth-session-id>")


def _sent_code(outbox: Outbox, frontend: Frontend) -> str:
    assert frontend.flow is not None
    return outbox.latest_code(frontend.flow.pre_auth_session_id)


def core_get(transcript: Transcript, core_uri: str, path: str, **params: str) -> None:
    """What an operator sees when asking the core (Core Driver Interface) directly."""
    response = httpx.get(
        core_uri + path, params=params, headers={"cdi-version": CDI_VERSION}, timeout=10
    )
    response.raise_for_status()
    transcript(response)


@contextlib.contextmanager
def recorded(framework: str) -> Iterator[Transcript]:
    """Start the example on devcore (or on the core SUPERTOKENS_CONNECTION_URI names), walk
    the tutorial, yield what was seen."""
    with (
        tempfile.TemporaryDirectory(prefix="tutorial-") as scratch,
        core_for_the_tutorial() as core_uri,
        running_example(
            framework, core_uri=core_uri, outbox=Path(scratch) / "outbox.jsonl"
        ) as ex,
    ):
        yield walk(ex.url, core_uri, Outbox(Path(scratch) / "outbox.jsonl"))


@contextlib.contextmanager
def core_for_the_tutorial() -> Iterator[str]:
    """A fresh devcore, unless SUPERTOKENS_CONNECTION_URI names a real core: the exchanges
    are the same on both (every value that differs is a placeholder)."""
    real_core = os.environ.get("SUPERTOKENS_CONNECTION_URI")
    if real_core:
        yield real_core
        return
    from devcore.testing import running_devcore

    with running_devcore(in_process=False) as core:
        yield core.uri


def write(files: dict[str, str], folder: Path = TRANSCRIPTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in set(p.name for p in folder.iterdir()) - set(files):
        (folder / stale).unlink()
    for name, text in files.items():
        (folder / name).write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "framework", nargs="?", default="fastapi", choices=sorted(EXAMPLES)
    )
    args = parser.parse_args()
    with recorded(args.framework) as transcript:
        files = transcript.files()
    write(files)
    print(f"wrote {len(files)} files to {TRANSCRIPTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
