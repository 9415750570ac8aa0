"""An enrolled user signs in again: the phone comes from the token, and only that phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.phone import PHONE_NOT_ENROLLED
from core.second_factor import FLOW_NOT_STARTED_HERE
from tests.behaviour.hardening_cases import case
from tests.harness.accounts import Account, new_account
from tests.harness.core_api import CoreApi
from tests.harness.evidence import left_untouched
from tests.harness.flows import (
    enrol,
    enter_sent_code,
    pass_second_factor,
    send_code,
    sign_in,
    sign_up,
)
from tests.harness.frontend import Frontend, OtpFlow
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone, other_formats, written_differently


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


@pytest.mark.hardening("Attack", "Phone swap")
def test_phone_swap_is_refused_and_sends_nothing(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    account: Account,
    phone: str,
    core_api: CoreApi,
) -> None:
    """Step 4's attack: Mallory knows Alice's password and asks for the code on hers."""
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


@pytest.mark.hardening("Attack", "Phone swap")
def test_phone_swap_in_any_other_format_is_refused_and_sends_nothing(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    account: Account,
    phone: str,
    core_api: CoreApi,
) -> None:
    mallory = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)
    mallorys_phone = new_phone()
    evidence = left_untouched(
        outbox, core_api, sessions=[mallory], phones=[mallorys_phone]
    )

    for written_as, typed in other_formats(mallorys_phone).items():
        with case():
            response = mallory.send_code(typed)
            refused = {"status": "GENERAL_ERROR", "message": PHONE_NOT_ENROLLED}
            assert response.json() == refused, written_as

    evidence.assert_no_trace()


@pytest.mark.hardening("Attack", "Phone swap")
def test_own_phone_in_any_format_gets_the_code_on_that_phone_only(
    new_frontend: Callable[..., Frontend], outbox: Outbox, account: Account, phone: str
) -> None:
    """The check compares phones, not strings; the SMS goes to the enrolled phone."""
    browser = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)

    for written_as, typed in other_formats(phone).items():
        with case():
            sent_before = len(outbox.messages())
            send_code(browser, typed)
            sent_to = [sms["phoneNumber"] for sms in outbox.messages()[sent_before:]]
            assert sent_to == [phone], written_as

    enter_sent_code(browser, outbox)
    assert browser.me().json()["phoneNumber"] == phone


def mallorys_own_flow(
    new_frontend: Callable[..., Frontend], mallorys_phone: str
) -> OtpFlow:
    """Mallory's own account, not yet enrolled, may start a flow to her phone."""
    her_account = new_frontend()
    sign_up(her_account, new_account())
    send_code(her_account, mallorys_phone)
    assert her_account.flow is not None
    return her_account.flow


@pytest.mark.hardening("Attack", "Phone swap")
def test_phone_swap_via_resend_sends_nothing(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    account: Account,
    phone: str,
    core_api: CoreApi,
) -> None:
    """Mallory resends, in Alice's session, a flow whose device holds her own phone."""
    mallory = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)
    mallorys_phone = new_phone()
    her_flow = mallorys_own_flow(new_frontend, mallorys_phone)
    send_code(mallory, phone)  # Alice's own phone: allowed, and the code goes to Alice
    assert mallory.flow is not None
    alices_flow = mallory.flow
    evidence = left_untouched(
        outbox, core_api, sessions=[mallory], phones=[mallorys_phone]
    )

    answers = [
        mallory.resend_code(her_flow).json(),
        mallory.resend_code(
            OtpFlow(her_flow.device_id, alices_flow.pre_auth_session_id)
        ).json(),
        mallory.resend_code(
            OtpFlow(alices_flow.device_id, her_flow.pre_auth_session_id)
        ).json(),
    ]

    assert answers == [
        {"status": "GENERAL_ERROR", "message": FLOW_NOT_STARTED_HERE},
        {"status": "RESTART_FLOW_ERROR"},
        {"status": "GENERAL_ERROR", "message": FLOW_NOT_STARTED_HERE},
    ]
    evidence.assert_no_trace()


@pytest.mark.hardening("Attack", "Phone swap")
def test_phone_swap_via_a_second_device_id_is_refused(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    account: Account,
    phone: str,
    core_api: CoreApi,
) -> None:
    """Mallory got a real code on her phone in her own flow, and offers it, with that
    flow's device id, to complete Alice's flow from Alice's session."""
    mallory = enrolled_then_signed_in_again(new_frontend, outbox, account, phone)
    mallorys_phone = new_phone()
    her_flow = mallorys_own_flow(new_frontend, mallorys_phone)
    her_code = outbox.latest_code(her_flow.pre_auth_session_id)
    send_code(mallory, phone)
    assert mallory.flow is not None
    alices_flow = mallory.flow
    evidence = left_untouched(
        outbox, core_api, sessions=[mallory], phones=[mallorys_phone]
    )

    answers = [
        mallory.enter_code(
            her_code, OtpFlow(her_flow.device_id, alices_flow.pre_auth_session_id)
        ),
        mallory.enter_code(her_code, her_flow),
    ]

    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["status"] for a in answers] == [
        "RESTART_FLOW_ERROR",
        "GENERAL_ERROR",
    ]
    evidence.assert_no_trace()
    assert core_api.metadata(mallory.payload["sub"])["passwordlessUserId"] is not None
