"""The OTP APIs are a second factor only: without a first-factor session they answer 401."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.harness.accounts import Account
from tests.harness.flows import sign_up
from tests.harness.frontend import Frontend, OtpFlow
from tests.harness.outbox import Outbox

WITHOUT_FIRST_FACTOR = pytest.mark.hardening(
    "Attack", "Passwordless without a first factor"
)
MADE_UP = OtpFlow(
    device_id="bm8tc3VjaC1kZXZpY2U=", pre_auth_session_id="bm8tc3VjaC1mbG93"
)


def test_protected_route_needs_a_session(browser: Frontend) -> None:
    assert browser.me().status_code == 401


@WITHOUT_FIRST_FACTOR
def test_sending_a_code_needs_a_session_and_sends_nothing(
    browser: Frontend, phone: str, outbox: Outbox
) -> None:
    response = browser.send_code(phone)

    assert response.status_code == 401
    assert outbox.sent_to(phone) == []
    assert browser.front_token is None  # no session was handed out
    assert browser.me().status_code == 401


@WITHOUT_FIRST_FACTOR
def test_resending_and_consuming_need_a_session(browser: Frontend) -> None:
    assert browser.resend_code(MADE_UP).status_code == 401
    assert browser.enter_code("123456", MADE_UP).status_code == 401


def test_public_route_needs_nothing(browser: Frontend) -> None:
    response = browser.request("GET", "/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@WITHOUT_FIRST_FACTOR
@pytest.mark.parametrize(
    "tenant_path", ["", "/public"], ids=["default path", "tenant path"]
)
@pytest.mark.parametrize(
    ("fdi_version", "linking"),
    [(None, None), ("1.18", None), ("3.0", None), ("4.1", False), ("4.1", True)],
    ids=["fdi-latest", "fdi-1.18", "fdi-3.0", "fdi-4.1", "fdi-4.1-linking"],
)
def test_passwordless_sign_in_up_alone_never_reaches_a_protected_route(
    new_frontend: Callable[..., Frontend],
    phone: str,
    outbox: Outbox,
    tenant_path: str,
    fdi_version: str | None,
    linking: bool | None,
) -> None:
    """Whatever an older or newer frontend sends, and by whichever path, the
    passwordless recipe does not sign anyone in on its own."""
    browser = new_frontend(fdi_version=fdi_version)
    body: dict[str, object] = {"phoneNumber": phone}
    if linking is not None:
        body["shouldTryLinkingWithSessionUser"] = linking
    headers = {"rid": "passwordless"}

    create = browser.request(
        "POST", f"/auth{tenant_path}/signinup/code", json=body, headers=headers
    )
    consume = browser.request(
        "POST",
        f"/auth{tenant_path}/signinup/code/consume",
        json={
            "preAuthSessionId": MADE_UP.pre_auth_session_id,
            "deviceId": MADE_UP.device_id,
            "userInputCode": "123456",
        },
        headers=headers,
    )

    assert [create.status_code, consume.status_code] == [401, 401]
    assert outbox.sent_to(phone) == []
    assert browser.front_token is None
    assert browser.me().status_code == 401


@WITHOUT_FIRST_FACTOR
def test_a_signed_out_sessions_token_cannot_ask_for_codes(
    new_frontend: Callable[..., Frontend], account: Account, phone: str, outbox: Outbox
) -> None:
    """An access token copied before sign-out is still well signed until it expires;
    the OTP APIs ask the core whether its session is still alive."""
    browser = new_frontend(transfer="header")
    sign_up(browser, account)
    copied = browser.access_token_now()
    assert copied is not None
    assert browser.sign_out().status_code == 200
    thief = new_frontend(transfer="header")
    thief.use_access_token(copied)

    response = thief.send_code(phone)

    assert response.status_code == 401
    assert outbox.sent_to(phone) == []
