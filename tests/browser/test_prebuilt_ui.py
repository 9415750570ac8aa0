"""SuperTokens' prebuilt UI (the demo app in ``frontend/``), in Chromium, on every example.

A person signs up, is sent to the second factor, enters the code and sees the protected
page; signs in again and is asked only for the code; the backend's refusals show as the
UI's errors. The steps named ``screenshot=`` are the docs' pictures (``nox -s
screenshots``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Request, expect

from core.phone import PHONE_NOT_ENROLLED
from tests.browser.conftest import SMS_COOLDOWN_SECONDS, Site, open_app
from tests.browser.demo_app import DemoApp, Steps
from tests.browser.phones import new_phone_the_ui_accepts
from tests.harness.accounts import Account, new_account
from tests.harness.flows import enrol, sign_in
from tests.harness.frontend import Frontend
from tests.harness.website import TokenTransfer

THE_UIS_WRONG_CODE_MESSAGE = "Invalid OTP"
"""What the prebuilt UI shows for INCORRECT_USER_INPUT_CODE_ERROR (its own words)."""


@pytest.mark.parametrize("transfer", ["cookie", "header"])
def test_the_whole_flow(
    site: Site, context: BrowserContext, steps: Steps, transfer: TokenTransfer
) -> None:
    app = open_app(site, context, steps, transfer)
    person, phone = new_account(), new_phone_the_ui_accepts()

    with steps.step("fill in the sign-up form", screenshot="sign-up"):
        app.fill_sign_up(person)
    with steps.step("signed up, the phone is asked for", screenshot="phone-form"):
        app.submit()
        app.expect_second_factor_page()
        expect(app.phone_input).to_be_visible()
    with steps.step("the protected page sends a session without the claim back"):
        app.page.goto(f"{site.url}/")
        app.expect_second_factor_page()
        expect(app.phone_input).to_be_visible()
    with steps.step("the code is sent to the phone", screenshot="code-form"):
        app.enter_phone(phone)
        expect(app.code_input).to_be_visible()
        expect(app.code_screen_title).to_contain_text(phone)
        code = app.code_sent_to(phone)
    with steps.step("the code opens the protected page", screenshot="home"):
        with app.page.expect_request(f"{site.api_url}/api/me") as me:
            app.enter_code(code)
        app.expect_home_page()
        expect(app.shown_phone).to_have_text(phone)
        assert app.shown_user_id == user_id_of(site, person)
        assert_session_travels(me.value, transfer)

    with steps.step("sign out"):
        app.sign_out()
    with steps.step("signed in again, the code goes to the enrolled phone at once",
                    screenshot="returning-user"):  # fmt: skip
        app.sign_in(person)
        app.expect_second_factor_page()
        expect(app.code_input).to_be_visible()
        expect(app.code_screen_title).to_contain_text(phone)
        expect(app.phone_input).to_have_count(0)  # the phone was not asked for
        code = app.code_sent_to(phone)
    with steps.step("the code opens the protected page again"):
        app.enter_code(code)
        app.expect_home_page()
        expect(app.shown_phone).to_have_text(phone)


def test_the_phone_swap_is_refused_on_screen(
    site: Site, visitor: DemoApp, steps: Steps
) -> None:
    """Mallory has Alice's password, and asks for the code on her own phone."""
    alice = new_account()
    alices_phone, mallorys_phone = (
        new_phone_the_ui_accepts(),
        new_phone_the_ui_accepts(),
    )
    with Frontend(site.api_url) as alices_browser:
        enrol(alices_browser, site.outbox, alice, alices_phone)

    with steps.step("Mallory signs in: the code goes to Alice's phone"):
        visitor.sign_in(alice)
        expect(visitor.code_screen_title).to_contain_text(alices_phone)
    with steps.step(
        "Mallory asks for it on her phone: refused", screenshot="phone-swap-refused"
    ):
        visitor.change_phone()
        visitor.enter_phone(mallorys_phone)
        expect(visitor.error).to_have_text(PHONE_NOT_ENROLLED)
        expect(visitor.phone_input).to_be_visible()  # still on the phone form
    assert visitor.sms_count(mallorys_phone) == 0


def test_a_wrong_code_then_the_right_one(
    site: Site, visitor: DemoApp, steps: Steps
) -> None:
    person, phone = new_account(), new_phone_the_ui_accepts()
    with steps.step("sign up and ask for the code"):
        visitor.sign_up(person)
        visitor.enter_phone(phone)
        code = visitor.code_sent_to(phone)
    with steps.step("a wrong code is refused", screenshot="wrong-code"):
        visitor.enter_code(another_code_than(code))
        expect(visitor.error).to_have_text(THE_UIS_WRONG_CODE_MESSAGE)
        expect(visitor.code_input).to_be_visible()  # the same flow goes on
    with steps.step("the right one opens the protected page"):
        visitor.enter_code(code)
        visitor.expect_home_page()
        expect(visitor.shown_phone).to_have_text(phone)


def test_the_throttle_wait_is_shown(site: Site, visitor: DemoApp, steps: Steps) -> None:
    """A second code to the same phone within the cooldown: the wait shows, no SMS goes."""
    person, phone = new_account(), new_phone_the_ui_accepts()
    with steps.step("sign up and ask for the code"):
        visitor.sign_up(person)
        visitor.enter_phone(phone)
        visitor.code_sent_to(phone)
    with steps.step("ask again at once: told to wait", screenshot="throttled"):
        visitor.change_phone()
        visitor.enter_phone(phone)
        expect(visitor.error).to_have_text(TOO_MANY_CODES)
    wait = int(TOO_MANY_CODES.fullmatch(visitor.error.inner_text())[1])  # type: ignore[index]
    assert 0 < wait <= SMS_COOLDOWN_SECONDS
    assert visitor.sms_count(phone) == 1


TOO_MANY_CODES = re.compile(
    r"Too many codes were requested\. Please try again in (\d+) seconds\."
)


def user_id_of(site: Site, account: Account) -> str:
    """The account's user id, as the backend gives it to a frontend that signs in."""
    with Frontend(site.api_url) as frontend:
        sign_in(frontend, account)
        return str(frontend.payload["sub"])


def assert_session_travels(request: Request, transfer: TokenTransfer) -> None:
    """The SDK sent the session the way the app was told to: cookies, or a bearer token."""
    headers = request.all_headers()
    has_cookie = "sAccessToken=" in headers.get("cookie", "")
    has_bearer = headers.get("authorization", "").startswith("Bearer ")
    assert (has_cookie, has_bearer) == (transfer == "cookie", transfer == "header"), (
        headers
    )


def another_code_than(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"
