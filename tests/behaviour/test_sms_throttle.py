"""SMS pumping: however the codes are asked for, only so many are sent.

These tests run on an example of their own with tight limits (``throttled_example``:
the suite's example has no cooldown, as the rest of the suite resends at once); the
limits are the same env vars an operator sets.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.harness.accounts import new_account
from tests.harness.examples import RunningExample
from tests.harness.flows import enter_sent_code, send_code, sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

COOLDOWN_SECONDS, PER_PHONE, PER_USER = 3, 2, 3
TIGHT_LIMITS = {
    "SMS_COOLDOWN_SECONDS": str(COOLDOWN_SECONDS),
    "SMS_MAX_PER_PHONE_PER_HOUR": str(PER_PHONE),
    "SMS_MAX_PER_USER_PER_HOUR": str(PER_USER),
}


@pytest.fixture
def signed_up(
    new_frontend: Callable[..., Frontend], throttled_example: RunningExample
) -> Callable[[], Frontend]:
    """A new user, signed up on the throttled example (first factor only)."""

    def make() -> Frontend:
        frontend = new_frontend(to=throttled_example)
        sign_up(frontend, new_account())
        return frontend

    return make


def assert_throttled(
    response_json: dict[str, object], *, at_least: int, at_most: int
) -> None:
    assert response_json["status"] == "GENERAL_ERROR"
    wait = response_json["retryAfterSeconds"]
    assert isinstance(wait, int) and at_least <= wait <= at_most, response_json
    assert "Please try again in" in str(response_json["message"])


@pytest.mark.hardening("SMS pumping", "Cooldown between sends")
def test_resend_within_the_cooldown_sends_nothing_and_says_when_to_retry(
    signed_up: Callable[[], Frontend], outbox: Outbox
) -> None:
    browser, phone = signed_up(), new_phone()
    send_code(browser, phone)

    too_soon = browser.resend_code()

    assert_throttled(too_soon.json(), at_least=1, at_most=COOLDOWN_SECONDS)
    assert len(outbox.sent_to(phone)) == 1
    time.sleep(too_soon.json()["retryAfterSeconds"])
    assert browser.resend_code().json() == {"status": "OK"}
    assert len(outbox.sent_to(phone)) == 2
    enter_sent_code(browser, outbox)
    assert browser.me().status_code == 200


@pytest.mark.hardening("SMS pumping", "Cooldown between sends")
def test_asking_for_a_new_code_within_the_cooldown_sends_nothing(
    signed_up: Callable[[], Frontend], outbox: Outbox
) -> None:
    browser, phone = signed_up(), new_phone()
    send_code(browser, phone)

    again = browser.send_code(phone)

    assert_throttled(again.json(), at_least=1, at_most=COOLDOWN_SECONDS)
    assert len(outbox.sent_to(phone)) == 1


@pytest.mark.hardening("SMS pumping", "Cap per phone per hour")
def test_a_phone_gets_no_more_than_its_hourly_cap_whoever_asks(
    signed_up: Callable[[], Frontend], outbox: Outbox
) -> None:
    """Many accounts (one attacker's scripts) ask for codes on one victim's phone."""
    phone = new_phone()
    first_users = [signed_up() for _ in range(PER_PHONE)]
    for user in first_users:
        send_code(user, phone)
    one_too_many = signed_up()

    answer = one_too_many.send_code(phone).json()
    resend = first_users[0].resend_code().json()

    an_hour = 3600
    assert_throttled(answer, at_least=an_hour - 60, at_most=an_hour)
    assert_throttled(resend, at_least=an_hour - 60, at_most=an_hour)
    assert "minutes" in str(answer["message"])
    assert len(outbox.sent_to(phone)) == PER_PHONE


@pytest.mark.hardening("SMS pumping", "Cap per user per hour")
def test_a_user_gets_no_more_codes_than_the_hourly_cap_on_any_phones(
    signed_up: Callable[[], Frontend], outbox: Outbox
) -> None:
    """One account sprays codes at many phones (premium numbers, for instance)."""
    pumper = signed_up()
    phones = [new_phone() for _ in range(PER_USER + 1)]
    for phone in phones[:PER_USER]:
        send_code(pumper, phone)

    answer = pumper.send_code(phones[-1]).json()

    assert_throttled(answer, at_least=3600 - 60, at_most=3600)
    assert outbox.sent_to(phones[-1]) == []
    assert [len(outbox.sent_to(phone)) for phone in phones[:PER_USER]] == [1] * PER_USER


@pytest.mark.hardening("SMS pumping", "Throttled answers keep the FDI shape")
def test_a_throttled_answer_is_a_general_error_a_frontend_shows(
    signed_up: Callable[[], Frontend],
) -> None:
    browser, phone = signed_up(), new_phone()
    send_code(browser, phone)

    response = browser.resend_code()

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "message", "retryAfterSeconds"}
    assert body["status"] == "GENERAL_ERROR"
    wait = body["retryAfterSeconds"]
    assert (
        body["message"]
        == f"Too many codes were requested. Please try again in {wait} seconds."
    )


@pytest.mark.hardening("SMS pumping", "Cap per phone per hour")
def test_resends_count_towards_the_hourly_cap(
    signed_up: Callable[[], Frontend], outbox: Outbox
) -> None:
    """Pressing "resend" once the cooldown is over is a send like any other."""
    browser, phone = signed_up(), new_phone()
    send_code(browser, phone)
    time.sleep(COOLDOWN_SECONDS)
    assert browser.resend_code().json() == {"status": "OK"}
    time.sleep(COOLDOWN_SECONDS)

    answer = browser.resend_code().json()

    assert_throttled(answer, at_least=3600 - 60, at_most=3600)
    assert len(outbox.sent_to(phone)) == PER_PHONE
