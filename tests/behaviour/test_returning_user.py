"""An enrolled user signs in again: the phone comes from the token, and only that phone."""

from __future__ import annotations

from collections.abc import Callable

from tests.harness.accounts import Account
from tests.harness.core_api import CoreApi
from tests.harness.flows import enrol, enter_sent_code, pass_second_factor, send_code, sign_in
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone, written_differently


def enrolled_then_signed_in_again(
    new_frontend: Callable[..., Frontend], outbox: Outbox, account: Account, phone: str
) -> Frontend:
    first_visit = new_frontend()
    enrol(first_visit, outbox, account, phone)
    assert first_visit.sign_out().status_code == 200

    second_visit = new_frontend()
    sign_in(second_visit, account)
    return second_visit


def test_sign_in_puts_the_enrolled_phone_in_the_access_token(
    new_frontend: Callable[..., Frontend], outbox: Outbox, account: Account, phone: str
) -> None:
    browser = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)

    assert browser.payload["phoneNumber"] == phone
    assert browser.payload["2fa-completed"]["v"] is False
    assert browser.me().status_code == 403


def test_phone_swap_is_refused_and_sends_nothing(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    account: Account,
    phone: str,
    core_api: CoreApi,
) -> None:
    """Step 4's attack: Mallory knows Alice's password and asks for the OTP on her phone."""
    mallory = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)
    mallorys_phone = new_phone()
    metadata_before = core_api.metadata(mallory.payload["sub"])

    response = mallory.send_code(mallorys_phone)

    assert response.status_code == 200
    assert response.json() == {
        "status": "GENERAL_ERROR",
        "message": "Input phone number is not the same as the one saved for this user",
    }
    assert outbox.sent_to(mallorys_phone) == []
    assert mallory.me().status_code == 403
    assert mallory.payload["2fa-completed"]["v"] is False
    assert core_api.metadata(mallory.payload["sub"]) == metadata_before


def test_own_phone_written_differently_is_accepted(
    new_frontend: Callable[..., Frontend], outbox: Outbox, account: Account, phone: str
) -> None:
    browser = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)

    send_code(browser, written_differently(phone))
    enter_sent_code(browser, outbox)

    me = browser.me()
    assert me.status_code == 200
    assert me.json()["phoneNumber"] == phone


def test_second_factor_on_sign_in_keeps_the_sign_in_session(
    new_frontend: Callable[..., Frontend], outbox: Outbox, account: Account, phone: str
) -> None:
    browser = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)
    handle = browser.session_handle

    pass_second_factor(browser, outbox, phone)

    assert browser.me().json()["sessionHandle"] == handle
