"""The OTP APIs are a second factor only: without a first-factor session they answer 401."""

from __future__ import annotations

from tests.harness.frontend import Frontend, OtpFlow
from tests.harness.outbox import Outbox


def test_protected_route_needs_a_session(browser: Frontend) -> None:
    assert browser.me().status_code == 401


def test_sending_a_code_needs_a_session_and_sends_nothing(
    browser: Frontend, phone: str, outbox: Outbox
) -> None:
    response = browser.send_code(phone)

    assert response.status_code == 401
    assert outbox.sent_to(phone) == []
    assert browser.front_token is None  # no session was handed out
    assert browser.me().status_code == 401


def test_resending_and_consuming_need_a_session(browser: Frontend) -> None:
    made_up = OtpFlow(device_id="bm8tc3VjaC1kZXZpY2U=", pre_auth_session_id="bm8tc3VjaC1mbG93")

    assert browser.resend_code(made_up).status_code == 401
    assert browser.enter_code("123456", made_up).status_code == 401


def test_public_route_needs_nothing(browser: Frontend) -> None:
    response = browser.request("GET", "/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
