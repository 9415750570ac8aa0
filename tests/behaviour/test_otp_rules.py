"""One-time codes: few guesses, single use, short-lived."""

from __future__ import annotations

from devcore.testing import RunningDevcore
from tests.harness.accounts import Account
from tests.harness.flows import enter_sent_code, send_code, sign_up, wrong_code
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox

MAX_ATTEMPTS = 5  # the core's default


def test_five_wrong_codes_end_the_flow_and_the_right_one_no_longer_works(
    browser: Frontend, account: Account, phone: str, outbox: Outbox
) -> None:
    sign_up(browser, account)
    send_code(browser, phone)
    guess = wrong_code(browser, outbox)

    answers = [browser.enter_code(guess).json() for _ in range(MAX_ATTEMPTS)]

    assert [a["status"] for a in answers[:-1]] == ["INCORRECT_USER_INPUT_CODE_ERROR"] * 4
    assert [a["failedCodeInputAttemptCount"] for a in answers[:-1]] == [1, 2, 3, 4]
    assert answers[-1]["status"] == "RESTART_FLOW_ERROR"
    assert browser.flow is not None
    right = outbox.latest_code(browser.flow.pre_auth_session_id)
    assert browser.enter_code(right).json()["status"] == "RESTART_FLOW_ERROR"
    assert browser.me().status_code == 403


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


def test_an_expired_code_is_refused(
    browser: Frontend, account: Account, phone: str, outbox: Outbox, devcore: RunningDevcore
) -> None:
    sign_up(browser, account)
    send_code(browser, phone)
    assert browser.flow is not None
    [sms] = outbox.sent_to(phone)
    devcore.advance_clock(sms["codeLifetime"] + 1)

    answer = browser.enter_code(outbox.latest_code(browser.flow.pre_auth_session_id)).json()

    assert answer["status"] == "EXPIRED_USER_INPUT_CODE_ERROR"
    assert browser.me().status_code == 403
