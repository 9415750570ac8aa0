"""Email pumping: however often reset links are asked for, an address gets only so many.

Anyone can ask for a link for any address, so these are the requests of a stranger's
script. The tests run on an example of their own with these tight limits
(``throttled_example``), the same env vars an operator sets.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from tests.harness.accounts import Account, new_account
from tests.harness.examples import RunningExample
from tests.harness.flows import ok, sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import EmailOutbox

COOLDOWN_SECONDS, PER_ADDRESS = 1, 3
TIGHT_LIMITS = {
    "RESET_EMAIL_COOLDOWN_SECONDS": str(COOLDOWN_SECONDS),
    "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR": str(PER_ADDRESS),
}
AN_HOUR = 3600
TOO_MANY = "Too many password reset emails were requested."


@pytest.fixture
def stranger(
    new_frontend: Callable[..., Frontend], throttled_example: RunningExample
) -> Callable[[], Frontend]:
    """A new client of the throttled example, with no session: anyone on the internet."""
    return lambda: new_frontend(to=throttled_example)


@pytest.fixture
def known(stranger: Callable[[], Frontend]) -> Account:
    """An account of the throttled example, whose address gets the reset links."""
    account = new_account()
    sign_up(stranger(), account)
    return account


def throttled_wait(answer: httpx.Response) -> int:
    """The wait a throttled answer gives: a ``GENERAL_ERROR`` a frontend shows as it is."""
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"status", "message", "retryAfterSeconds"}, body
    assert body["status"] == "GENERAL_ERROR"
    wait = body["retryAfterSeconds"]
    assert isinstance(wait, int) and 1 <= wait <= AN_HOUR, body
    assert body["message"].startswith(TOO_MANY), body
    return wait


@pytest.mark.hardening("Email pumping", "Cooldown between reset emails")
def test_a_second_link_within_the_cooldown_sends_nothing_and_says_when_to_retry(
    stranger: Callable[[], Frontend], known: Account, email_outbox: EmailOutbox
) -> None:
    browser = stranger()
    ok(browser.forgot_password(known.email).json(), "ask for a reset link")

    too_soon = browser.forgot_password(known.email)

    assert throttled_wait(too_soon) == COOLDOWN_SECONDS
    assert len(email_outbox.sent_to(known.email)) == 1
    time.sleep(COOLDOWN_SECONDS)
    assert browser.forgot_password(known.email).json() == {"status": "OK"}
    assert len(email_outbox.sent_to(known.email)) == 2


@pytest.mark.hardening("Email pumping", "Cooldown between reset emails")
def test_the_address_typed_in_another_case_or_with_spaces_is_the_same_mailbox(
    stranger: Callable[[], Frontend], known: Account, email_outbox: EmailOutbox
) -> None:
    ok(stranger().forgot_password(known.email).json(), "ask for a reset link")
    sent_before = len(email_outbox.messages())

    for typed in (known.email.upper(), f"  {known.email} ", known.email.capitalize()):
        assert throttled_wait(stranger().forgot_password(typed)) == COOLDOWN_SECONDS, (
            typed
        )

    assert len(email_outbox.messages()) == sent_before


@pytest.mark.hardening("Email pumping", "Cap per address per hour")
def test_an_address_gets_no_more_than_its_hourly_cap_whoever_asks(
    stranger: Callable[[], Frontend], known: Account, email_outbox: EmailOutbox
) -> None:
    """A script asks from a new client each time, waiting out the cooldown."""
    for _ in range(PER_ADDRESS):
        ok(stranger().forgot_password(known.email).json(), "ask for a reset link")
        time.sleep(COOLDOWN_SECONDS)

    one_too_many = stranger().forgot_password(known.email)

    assert throttled_wait(one_too_many) >= AN_HOUR - 60
    assert "minutes" in one_too_many.json()["message"]
    assert len(email_outbox.sent_to(known.email)) == PER_ADDRESS


@pytest.mark.hardening("Email pumping", "Known and unknown addresses alike")
def test_a_throttled_unknown_address_is_answered_as_a_known_one(
    stranger: Callable[[], Frontend], known: Account, email_outbox: EmailOutbox
) -> None:
    """The throttle must not tell which addresses have accounts: an address no account
    has counts every request too, and its throttled answer is the same."""
    unknown = new_account().email
    addresses = [known.email, unknown]

    asked = [stranger().forgot_password(address) for address in addresses]
    too_soon = [stranger().forgot_password(address) for address in addresses]
    for _ in range(PER_ADDRESS - 1):
        time.sleep(COOLDOWN_SECONDS)
        for address in addresses:
            ok(stranger().forgot_password(address).json(), "ask for a reset link")
    capped = [stranger().forgot_password(address) for address in addresses]

    assert [answer.json() for answer in asked] == [{"status": "OK"}] * 2
    assert too_soon[0].json() == too_soon[1].json()
    assert throttled_wait(too_soon[0]) == COOLDOWN_SECONDS
    known_wait, unknown_wait = (throttled_wait(answer) for answer in capped)
    assert abs(known_wait - unknown_wait) <= 1  # asked a moment apart
    assert capped[0].json()["message"] == capped[1].json()["message"]
    for answers in (too_soon, capped):
        assert answers[0].headers["content-type"] == answers[1].headers["content-type"]
    assert len(email_outbox.sent_to(known.email)) == PER_ADDRESS
    assert email_outbox.sent_to(unknown) == []


@pytest.mark.hardening("Email pumping", "Throttled answers keep the FDI shape")
def test_a_throttled_answer_is_a_general_error_a_frontend_shows(
    stranger: Callable[[], Frontend], known: Account
) -> None:
    ok(stranger().forgot_password(known.email).json(), "ask for a reset link")

    body = stranger().forgot_password(known.email).json()

    wait = body["retryAfterSeconds"]
    assert body == {
        "status": "GENERAL_ERROR",
        "message": f"{TOO_MANY} Please try again in {wait} seconds.",
        "retryAfterSeconds": wait,
    }
