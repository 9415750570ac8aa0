"""A new user signs up, is held at the second factor, and enrols their phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.harness.accounts import Account
from tests.harness.core_api import CoreApi
from tests.harness.examples import RunningExample
from tests.harness.flows import enter_sent_code, send_code, sign_up, wrong_code
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox

CLAIM = "2fa-completed"


def claim_value(frontend: Frontend) -> object:
    return frontend.payload.get(CLAIM, {}).get("v")


def test_first_factor_alone_is_turned_away_with_the_claim_failure(
    browser: Frontend, account: Account
) -> None:
    sign_up(browser, account)

    response = browser.me()

    assert response.status_code == 403
    body = response.json()
    assert body["message"] == "invalid claim"
    assert [error["id"] for error in body["claimValidationErrors"]] == [CLAIM]
    assert claim_value(browser) is False


def test_enrolment_grants_access_in_the_same_session(
    browser: Frontend, account: Account, phone: str, outbox: Outbox, core_api: CoreApi
) -> None:
    sign_up(browser, account)
    first_factor_handle = browser.session_handle
    user_id = browser.payload["sub"]

    send_code(browser, phone)
    wrong = browser.enter_code(wrong_code(browser, outbox))
    assert wrong.json()["status"] == "INCORRECT_USER_INPUT_CODE_ERROR"
    assert browser.me().status_code == 403
    enter_sent_code(browser, outbox)

    me = browser.me()
    assert me.status_code == 200
    assert me.json() == {
        "userId": user_id,
        "sessionHandle": first_factor_handle,
        "phoneNumber": phone,
        "secondFactorCompleted": True,
    }
    assert browser.session_handle == first_factor_handle
    assert claim_value(browser) is True
    assert core_api.sessions_of(user_id) == [first_factor_handle]


def test_enrolment_links_the_passwordless_user_in_metadata(
    browser: Frontend, account: Account, phone: str, outbox: Outbox, core_api: CoreApi
) -> None:
    sign_up(browser, account)
    user_id = browser.payload["sub"]
    assert "passwordlessUserId" not in core_api.metadata(user_id)

    send_code(browser, phone)
    enter_sent_code(browser, outbox)

    passwordless_user_id = core_api.metadata(user_id)["passwordlessUserId"]
    assert passwordless_user_id != user_id
    passwordless_user = core_api.user(passwordless_user_id)
    assert passwordless_user is not None
    assert passwordless_user["phoneNumbers"] == [phone]


def test_the_code_is_sent_to_the_phone_and_nowhere_else(
    browser: Frontend,
    account: Account,
    phone: str,
    outbox: Outbox,
    example: RunningExample,
) -> None:
    sign_up(browser, account)

    response = browser.send_code(phone)

    assert browser.flow is not None
    code = outbox.latest_code(browser.flow.pre_auth_session_id)
    [sms] = outbox.sent_to(phone)
    assert sms["userInputCode"] == code
    assert sms["codeLifetime"] > 0
    assert code not in response.text
    assert code not in str(response.headers)
    assert code not in example.output()


@pytest.mark.parametrize(
    ("transfer", "fdi_version"),
    [("cookie", "1.18"), ("cookie", "3.0"), ("cookie", "4.1"), ("header", None)],
    ids=["cookies-fdi-1.18", "cookies-fdi-3.0", "cookies-fdi-4.1", "headers"],
)
def test_enrolment_keeps_the_session_for_every_kind_of_frontend(
    new_frontend: Callable[..., Frontend],
    transfer: str,
    fdi_version: str | None,
    account: Account,
    phone: str,
    outbox: Outbox,
) -> None:
    """Older frontends make the SDK load the session itself; mobile apps use headers."""
    frontend = new_frontend(transfer=transfer, fdi_version=fdi_version)
    sign_up(frontend, account)
    handle = frontend.session_handle

    send_code(frontend, phone)
    enter_sent_code(frontend, outbox)

    assert frontend.session_handle == handle
    assert frontend.me().json()["sessionHandle"] == handle


@pytest.mark.hardening("Clients", "An MFA-aware frontend's linking flag")
def test_a_frontend_asking_to_link_the_code_to_its_session_completes_that_session(
    browser: Frontend, account: Account, phone: str, outbox: Outbox, core_api: CoreApi
) -> None:
    """An MFA-aware frontend sends ``shouldTryLinkingWithSessionUser: true`` with the
    second factor: here that is what the code always does, so it is honoured."""
    sign_up(browser, account)
    handle, user_id = browser.session_handle, browser.payload["sub"]
    linking = {"shouldTryLinkingWithSessionUser": True}

    sent = browser.post("/signinup/code", {"phoneNumber": phone, **linking})
    assert sent.json()["status"] == "OK", sent.text
    flow = {k: sent.json()[k] for k in ("deviceId", "preAuthSessionId")}
    code = outbox.latest_code(flow["preAuthSessionId"])
    resent = browser.post("/signinup/code/resend", {**flow, **linking})
    assert resent.json() == {"status": "OK"}, resent.text
    code = outbox.latest_code(flow["preAuthSessionId"])
    entered = browser.post(
        "/signinup/code/consume", {**flow, "userInputCode": code, **linking}
    )

    assert entered.json()["status"] == "OK", entered.text
    assert browser.me().json() == {
        "userId": user_id,
        "sessionHandle": handle,
        "phoneNumber": phone,
        "secondFactorCompleted": True,
    }
    assert core_api.sessions_of(user_id) == [handle]
