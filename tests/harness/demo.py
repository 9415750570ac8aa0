"""The guide's flow, walked once against a running example, every exchange printed.

    python -m tests.harness.demo [fastapi|flask|django] [--once]

Starts devcore (unless SUPERTOKENS_CONNECTION_URI names a real core) and the example,
narrates the flow a frontend goes through, then keeps both servers up until Ctrl-C, with
the demo app (``frontend/``, once built: ``nox -s demo`` builds it) served beside them
at the example's ``WEBSITE_DOMAIN``, and every SMS code printed as it is sent
(``--once`` stops after the walk-through instead: that is how the tests run it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.harness.accounts import new_account
from tests.harness.examples import EXAMPLES, RunningExample, free_port, running_example
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone, written_differently
from tests.harness.website import NotBuilt, serving_website

PREFERRED_PORT = 3001  # the examples' default API_DOMAIN
PREFERRED_WEBSITE_PORT = 3000  # and WEBSITE_DOMAIN


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "framework", nargs="?", default="fastapi", choices=sorted(EXAMPLES)
    )
    parser.add_argument(
        "--once", action="store_true", help="stop after the walkthrough"
    )
    args = parser.parse_args()

    website_port = free_port() if args.once else preferred_port(PREFERRED_WEBSITE_PORT)
    with tempfile.TemporaryDirectory(prefix="phone-2fa-demo-") as scratch:
        outbox = Outbox(Path(scratch) / "otp-outbox.jsonl")
        with (
            core_uri() as uri,
            running_example(
                args.framework,
                core_uri=uri,
                outbox=outbox.path,
                api_key=os.environ.get("SUPERTOKENS_API_KEY"),
                extra_env={"WEBSITE_DOMAIN": f"http://localhost:{website_port}"},
                # The examples' default API_DOMAIN for a person; any free port in a test.
                port=free_port() if args.once else preferred_port(PREFERRED_PORT),
            ) as example,
        ):
            say(f"SuperTokens core: {uri}")
            say(f"{args.framework} example: {example.url}   SMS outbox: {outbox.path}")
            walk_through(example, outbox)
            if not args.once:
                keep_serving(example, outbox, website_port)


@contextlib.contextmanager
def core_uri() -> Iterator[str]:
    if uri := os.environ.get("SUPERTOKENS_CONNECTION_URI"):
        yield uri
        return
    from devcore.testing import running_devcore

    with running_devcore(in_process=False) as devcore:
        yield devcore.uri


def walk_through(example: RunningExample, outbox: Outbox) -> None:
    alice, alices_phone, mallorys_phone = new_account(), new_phone(), new_phone()
    browser = Frontend(example.url, on_exchange=show)

    step("1. Alice signs up with email and password (the first factor)")
    browser.sign_up(alice.email, alice.password)
    step("2. Her session exists, but 2fa-completed is false: protected APIs refuse her")
    browser.me()
    step(
        "3. She asks for a code on her phone (the OTP APIs need only the first factor)"
    )
    browser.send_code(alices_phone)
    code = read_sms(outbox, browser)
    step(
        "4. She enters the code: same session, claim set true, phone linked in UserMetadata"
    )
    browser.enter_code(code)
    browser.me()

    step(
        "5. She signs out and signs in again: the token now carries her phone (step 5)"
    )
    browser.sign_out()
    mallory = Frontend(example.url, on_exchange=show)
    mallory.sign_in(alice.email, alice.password)
    say(f"   access-token payload: {json.dumps(mallory.payload, sort_keys=True)}")
    step(
        "6. Mallory, who guessed the password, asks for the code on *her* phone (step 4)"
    )
    mallory.send_code(mallorys_phone)
    say(f"   SMS sent to {mallorys_phone}: {len(outbox.sent_to(mallorys_phone))}")
    mallory.close()

    step(
        "7. Alice signs in and types her own phone differently: accepted, it is the same phone"
    )
    browser.sign_in(alice.email, alice.password)
    browser.send_code(written_differently(alices_phone))
    browser.enter_code(read_sms(outbox, browser))
    browser.me()
    browser.close()


def read_sms(outbox: Outbox, frontend: Frontend) -> str:
    assert frontend.flow is not None
    code = outbox.latest_code(frontend.flow.pre_auth_session_id)
    say(
        f"   (the phone receives the code {code}; it is in the outbox, never in a response)"
    )
    return code


def keep_serving(example: RunningExample, outbox: Outbox, website_port: int) -> None:
    with contextlib.ExitStack() as website:
        try:
            site = website.enter_context(
                serving_website(example.api_domain, port=website_port)
            )
            say(
                f"\nThe demo app: open {site.url} in a browser, sign up, then enter the code"
                f" sent to your phone: each SMS is printed here as it is sent."
            )
        except NotBuilt as why:
            say(f"\n(No demo app to serve: {why}.)")
        say(
            f"\nThe servers stay up until Ctrl-C. Or try:\n"
            f"  curl -i {example.url}/api/health\n"
            f"  curl -i -c jar -H 'st-auth-mode: cookie' -H 'content-type: application/json' "
            f'-d \'{{"formFields":[{{"id":"email","value":"you@example.com"}},'
            f'{{"id":"password","value":"a-long-password-1"}}]}}\' {example.url}/auth/signup\n'
            f"  curl -i -b jar {example.url}/api/me\n"
            f"  tail -f {outbox.path}"
        )
        with contextlib.suppress(KeyboardInterrupt):
            shown = len(outbox.messages())
            while example.process.poll() is None:
                sent = outbox.messages()
                for sms in sent[shown:]:
                    say(
                        f"   SMS to {sms['phoneNumber']}: your code is {sms['userInputCode']}"
                    )
                shown = len(sent)
                time.sleep(0.5)


def show(response: httpx.Response) -> None:
    request = response.request
    body = request.content.decode() if request.content else ""
    say(f"   -> {request.method} {request.url.path} {body}".rstrip())
    say(f"   <- {response.status_code} {response.text}")


def step(title: str) -> None:
    say(f"\n{title}")


def say(line: str) -> None:
    print(line, flush=True)


def preferred_port(port: int) -> int:
    """``port`` if nothing listens there, else a free one."""
    with socket.socket() as sock:
        return port if sock.connect_ex(("127.0.0.1", port)) != 0 else free_port()


if __name__ == "__main__":
    main()
