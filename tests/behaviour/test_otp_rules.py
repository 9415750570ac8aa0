"""One-time codes: few guesses, single use, short-lived."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.second_factor import FLOW_NOT_STARTED_HERE
from tests.behaviour.short_lived import ShortLived
from tests.harness.accounts import Account
from tests.harness.core_api import CoreApi
from tests.harness.evidence import left_untouched
from tests.harness.flows import (
    enrol,
    enter_sent_code,
    send_code,
    sign_in,
    sign_up,
    wrong_code,
)
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox

MAX_ATTEMPTS = 5  # the core's default


@pytest.mark.hardening("Attack", "OTP guessing")
def test_five_wrong_codes_end_the_flow_and_the_right_one_no_longer_works(
    browser: Frontend, account: Account, phone: str, outbox: Outbox, core_api: CoreApi
) -> None:
    sign_up(browser, account)
    send_code(browser, phone)
    guess = wrong_code(browser, outbox)
    evidence = left_untouched(outbox, core_api, sessions=[browser])

    answers = [browser.enter_code(guess).json() for _ in range(MAX_ATTEMPTS)]

    assert [a["status"] for a in answers[:-1]] == [
        "INCORRECT_USER_INPUT_CODE_ERROR"
    ] * 4
    assert [a["failedCodeInputAttemptCount"] for a in answers[:-1]] == [1, 2, 3, 4]
    assert answers[-1]["status"] == "RESTART_FLOW_ERROR"
    assert browser.flow is not None
    right = outbox.latest_code(browser.flow.pre_auth_session_id)
    assert browser.enter_code(right).json()["status"] == "RESTART_FLOW_ERROR"
    evidence.assert_no_trace()


@pytest.mark.hardening("Attack", "OTP guessing")
def test_resending_does_not_reset_the_guesses(
    browser: Frontend, account: Account, phone: str, outbox: Outbox, core_api: CoreApi
) -> None:
    """Wrong guesses count against the flow, not the code: a resend gives no new 5."""
    sign_up(browser, account)
    send_code(browser, phone)
    evidence = left_untouched(outbox, core_api, sessions=[browser])

    first = [browser.enter_code(wrong_code(browser, outbox)).json() for _ in range(3)]
    assert browser.resend_code().json() == {"status": "OK"}
    then = [browser.enter_code(wrong_code(browser, outbox)).json() for _ in range(2)]

    assert [a["failedCodeInputAttemptCount"] for a in first + then[:1]] == [1, 2, 3, 4]
    assert then[-1]["status"] == "RESTART_FLOW_ERROR"
    assert browser.flow is not None
    right = outbox.latest_code(browser.flow.pre_auth_session_id)
    assert browser.enter_code(right).json()["status"] == "RESTART_FLOW_ERROR"
    evidence.assert_no_trace()


@pytest.mark.hardening("Attack", "Replay of a consumed code")
def test_a_used_code_cannot_be_used_again(
    browser: Frontend, account: Account, phone: str, outbox: Outbox
) -> None:
    sign_up(browser, account)
    send_code(browser, phone)
    assert browser.flow is not None
    flow, code = browser.flow, outbox.latest_code(browser.flow.pre_auth_session_id)
    enter_sent_code(browser, outbox)

    replay = browser.enter_code(code, flow)

    assert replay.status_code == 200
    assert replay.json()["status"] != "OK"


@pytest.mark.hardening("Attack", "Replay of a consumed code")
def test_a_used_code_replayed_from_another_session_grants_nothing(
    new_frontend: Callable[..., Frontend],
    account: Account,
    phone: str,
    outbox: Outbox,
    core_api: CoreApi,
) -> None:
    """Mallory knows Alice's password and captured a request Alice made with a code."""
    alice = new_frontend()
    sign_up(alice, account)
    send_code(alice, phone)
    assert alice.flow is not None
    flow, code = alice.flow, outbox.latest_code(alice.flow.pre_auth_session_id)
    enter_sent_code(alice, outbox)
    mallory = new_frontend()
    sign_in(mallory, account)
    evidence = left_untouched(outbox, core_api, sessions=[mallory])

    replay = mallory.enter_code(code, flow)

    assert replay.json() == {
        "status": "GENERAL_ERROR",
        "message": FLOW_NOT_STARTED_HERE,
    }
    evidence.assert_no_trace()


@pytest.mark.hardening("Attack", "Replay of a consumed code")
def test_an_earlier_code_is_dead_once_a_later_one_is_used(
    new_frontend: Callable[..., Frontend],
    account: Account,
    phone: str,
    outbox: Outbox,
    core_api: CoreApi,
) -> None:
    """A code from a previous sign-in cannot pass the second factor of a new one."""
    first_visit = new_frontend()
    enrol(first_visit, outbox, account, phone)
    assert first_visit.flow is not None
    old_flow = first_visit.flow
    old_code = outbox.latest_code(old_flow.pre_auth_session_id)
    second_visit = new_frontend()
    sign_in(second_visit, account)
    send_code(second_visit, phone)
    evidence = left_untouched(outbox, core_api, sessions=[second_visit])

    answers = [
        second_visit.enter_code(old_code).json(),
        second_visit.enter_code(old_code, old_flow).json(),
    ]

    assert answers[0]["status"] in {
        "INCORRECT_USER_INPUT_CODE_ERROR",
        "RESTART_FLOW_ERROR",
    }
    assert answers[1] == {"status": "GENERAL_ERROR", "message": FLOW_NOT_STARTED_HERE}
    evidence.assert_no_trace()


def test_resend_sends_a_new_code_to_the_same_phone(
    browser: Frontend, account: Account, phone: str, outbox: Outbox
) -> None:
    sign_up(browser, account)
    send_code(browser, phone)

    response = browser.resend_code()

    assert response.json() == {"status": "OK"}
    codes = [sms["userInputCode"] for sms in outbox.sent_to(phone)]
    assert len(codes) == 2
    assert codes[0] != codes[1]
    enter_sent_code(browser, outbox)
    assert browser.me().status_code == 200


@pytest.mark.hardening("Attack", "Expired code")
def test_an_expired_code_is_refused(
    new_frontend: Callable[..., Frontend],
    account: Account,
    phone: str,
    outbox: Outbox,
    short_lived: ShortLived,
) -> None:
    browser = new_frontend(to=short_lived.example)
    sign_up(browser, account)
    send_code(browser, phone)
    assert browser.flow is not None
    [sms] = outbox.sent_to(phone)
    evidence = left_untouched(outbox, short_lived.core_api, sessions=[browser])
    short_lived.outlive(sms["codeLifetime"])

    answer = browser.enter_code(
        outbox.latest_code(browser.flow.pre_auth_session_id)
    ).json()

    assert answer["status"] == "EXPIRED_USER_INPUT_CODE_ERROR"
    evidence.assert_no_trace()


@pytest.mark.hardening("Clients", "A code typed as a person types it")
@pytest.mark.parametrize(
    "typed",
    [
        lambda code: f" {code} ",
        lambda code: f"{code[:3]} {code[3:]}",
        lambda code: code.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
    ],
    ids=["spaces around", "a space inside", "full-width digits"],
)
def test_the_right_code_typed_with_spaces_or_full_width_digits_is_accepted(
    browser: Frontend,
    account: Account,
    phone: str,
    outbox: Outbox,
    typed: Callable[[str], str],
) -> None:
    sign_up(browser, account)
    send_code(browser, phone)
    assert browser.flow is not None
    code = outbox.latest_code(browser.flow.pre_auth_session_id)

    answer = browser.enter_code(typed(code))

    assert answer.json()["status"] == "OK", answer.text
    assert browser.me().json()["phoneNumber"] == phone
