"""A forgotten password, reset by the emailed link: the second factor still holds after it.

The reset link goes to the email outbox (``EMAIL_OUTBOX``), as an SMS goes to the SMS
outbox; nothing here needs the internet. A reset proves the mailbox, not the phone, so
whoever resets a password still meets the second factor, on the enrolled phone only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest

from core.phone import PHONE_NOT_ENROLLED
from tests.behaviour.hardening_cases import case
from tests.behaviour.short_lived import ShortLived
from tests.harness.accounts import Account, new_account
from tests.harness.core_api import CoreApi
from tests.harness.evidence import CLAIM, left_untouched
from tests.harness.examples import RunningExample
from tests.harness.flows import (
    enrol,
    enter_sent_code,
    ok,
    reset_password,
    send_code,
    sign_in,
    sign_up,
)
from tests.harness.frontend import Frontend
from tests.harness.outbox import EmailOutbox, Outbox, reset_token_in
from tests.harness.phones import new_phone

INVALID_TOKEN = {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}
RESET_PAGE = "http://localhost:3000/auth/reset-password?token="
"""Where the link sends the person: the frontend's reset page (``WEBSITE_DOMAIN``)."""


def new_password() -> str:
    return f"pw-new-{secrets.token_hex(8)}1"


def ask_for_a_link(frontend: Frontend, email_outbox: EmailOutbox, email: str) -> str:
    """Ask for a reset link for ``email``; the token of the link that was mailed."""
    sent_before = len(email_outbox.messages())
    response = frontend.forgot_password(email)
    assert response.status_code == 200, response.text
    ok(response.json(), "ask for a reset link")
    return email_outbox.latest_reset_token(email, since=sent_before)


def assert_signs_in_only_with(
    frontend: Frontend, account: Account, *, not_with: list[str]
) -> None:
    for password in not_with:
        refused = frontend.sign_in(account.email, password).json()
        assert refused == {"status": "WRONG_CREDENTIALS_ERROR"}, password
    ok(frontend.sign_in(account.email, account.password).json(), "sign in")


def test_a_forgotten_password_is_reset_by_the_emailed_link(
    new_frontend: Callable[..., Frontend],
    email_outbox: EmailOutbox,
    account: Account,
    example: RunningExample,
) -> None:
    sign_up(new_frontend(), account)
    forgetful = new_frontend()
    sent_before = len(email_outbox.messages())

    asked = forgetful.forgot_password(account.email)

    assert asked.json() == {"status": "OK"}
    [email] = email_outbox.messages()[sent_before:]
    assert email["email"] == account.email
    assert email["passwordResetLink"].startswith(RESET_PAGE)
    token = reset_token_in(email["passwordResetLink"])
    for leak in (token, email["passwordResetLink"]):
        assert leak not in asked.text and leak not in str(asked.headers)

    password = new_password()
    reset = forgetful.reset_password(token, password)

    assert reset.status_code == 200
    ok(reset.json(), "reset the password")
    assert token not in reset.text
    assert token not in example.output(), "the reset token reached a log line"
    assert_signs_in_only_with(
        new_frontend(), Account(account.email, password), not_with=[account.password]
    )


@pytest.mark.hardening("Attack", "Password reset past the second factor")
def test_after_a_reset_signing_in_still_needs_the_code_from_the_enrolled_phone(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    email_outbox: EmailOutbox,
    account: Account,
    phone: str,
    core_api: CoreApi,
) -> None:
    """Mallory can read Alice's mail, not her phone: she resets the password, signs in
    with it, and is still held at the second factor, which only Alice's phone passes."""
    alice = new_frontend()
    enrol(alice, outbox, account, phone)
    assert alice.sign_out().status_code == 200
    mallory = new_frontend()
    mallorys_account = reset_password(mallory, email_outbox, account, new_password())
    mallorys_phone = new_phone()

    sign_in(mallory, mallorys_account)

    assert mallory.me().status_code == 403
    assert mallory.payload[CLAIM]["v"] is False
    assert mallory.payload["phoneNumber"] == phone
    evidence = left_untouched(
        outbox, core_api, sessions=[mallory], phones=[mallorys_phone]
    )
    refused = mallory.send_code(mallorys_phone).json()
    assert refused == {"status": "GENERAL_ERROR", "message": PHONE_NOT_ENROLLED}
    evidence.assert_no_trace()

    sent_before = len(outbox.messages())
    send_code(mallory, phone)  # the code goes to Alice's phone, and only there
    assert [sms["phoneNumber"] for sms in outbox.messages()[sent_before:]] == [phone]
    enter_sent_code(mallory, outbox)  # with Alice's phone in hand, as Alice herself
    me = mallory.me()
    assert me.status_code == 200
    assert me.json()["phoneNumber"] == phone


@pytest.mark.hardening("Attack", "Session kept after a password reset")
@pytest.mark.parametrize("enrolled", [False, True], ids=["before", "after enrolment"])
def test_a_reset_ends_every_session_opened_before_it(
    new_frontend: Callable[..., Frontend],
    email_outbox: EmailOutbox,
    outbox: Outbox,
    core_api: CoreApi,
    account: Account,
    phone: str,
    enrolled: bool,
) -> None:
    """Mallory guessed the old password and holds a session of her own, password only;
    Alice (who may have enrolled by then) resets her password from the emailed link."""
    alice = new_frontend()
    sign_up(alice, account)
    user_id = str(alice.payload["sub"])
    if enrolled:
        send_code(alice, phone)
        enter_sent_code(alice, outbox)
    mallory = new_frontend()
    sign_in(mallory, account)
    assert len(core_api.sessions_of(user_id)) == 2
    mallorys_phone = new_phone()

    reset = reset_password(new_frontend(), email_outbox, account, new_password())

    assert core_api.sessions_of(user_id) == []
    assert mallory.send_code(mallorys_phone).status_code == 401
    assert mallory.refresh().status_code == 401
    assert mallory.me().status_code in (401, 403)  # never 200, and soon 401
    assert alice.refresh().status_code == 401
    assert outbox.sent_to(mallorys_phone) == []
    again = new_frontend()
    sign_in(again, reset)  # the new password works, and holds at the second factor
    assert again.me().status_code == 403


@pytest.mark.hardening("Attack", "Reset link reused or made up")
def test_a_used_reset_link_is_refused(
    new_frontend: Callable[..., Frontend], email_outbox: EmailOutbox, account: Account
) -> None:
    sign_up(new_frontend(), account)
    browser = new_frontend()
    token = ask_for_a_link(browser, email_outbox, account.email)
    password, mallorys = new_password(), new_password()
    ok(browser.reset_password(token, password).json(), "reset")

    again = new_frontend().reset_password(token, mallorys)

    assert again.status_code == 200
    assert again.json() == INVALID_TOKEN
    assert_signs_in_only_with(
        new_frontend(),
        Account(account.email, password),
        not_with=[mallorys, account.password],
    )


@pytest.mark.hardening("Attack", "Reset link reused or made up")
def test_an_older_link_is_dead_once_a_newer_one_is_used(
    new_frontend: Callable[..., Frontend], email_outbox: EmailOutbox, account: Account
) -> None:
    sign_up(new_frontend(), account)
    browser = new_frontend()
    older = ask_for_a_link(browser, email_outbox, account.email)
    newer = ask_for_a_link(browser, email_outbox, account.email)
    assert older != newer
    password, stale = new_password(), new_password()
    ok(browser.reset_password(newer, password).json(), "reset")

    assert browser.reset_password(older, stale).json() == INVALID_TOKEN
    assert_signs_in_only_with(
        new_frontend(),
        Account(account.email, password),
        not_with=[stale, account.password],
    )


@pytest.mark.hardening("Attack", "Reset link reused or made up")
def test_a_made_up_reset_token_is_refused(
    new_frontend: Callable[..., Frontend], email_outbox: EmailOutbox, account: Account
) -> None:
    sign_up(new_frontend(), account)
    real = ask_for_a_link(new_frontend(), email_outbox, account.email)
    mallory = new_frontend()
    made_up = {
        "random, of the real form": secrets.token_urlsafe(96)[:128],
        "the real one, one character changed": real[:-1]
        + ("A" if real[-1] != "A" else "B"),
        "the real one, cut short": real[:64],
        "the real one twice": real + real,
        "a user id": "00000000-0000-0000-0000-000000000000",
    }

    for what, token in made_up.items():
        with case():
            assert (
                mallory.reset_password(token, new_password()).json() == INVALID_TOKEN
            ), what

    assert_signs_in_only_with(new_frontend(), account, not_with=[])
    ok(mallory.reset_password(real, new_password()).json(), "the real link still works")


@pytest.mark.hardening("Attack", "Reset link reused or made up")
def test_an_expired_reset_link_is_refused(
    new_frontend: Callable[..., Frontend],
    email_outbox: EmailOutbox,
    account: Account,
    short_lived: ShortLived,
) -> None:
    app = short_lived.example
    sign_up(new_frontend(to=app), account)
    browser = new_frontend(to=app)
    token = ask_for_a_link(browser, email_outbox, account.email)
    short_lived.outlive(short_lived.reset_link_lifetime_ms)
    stale = new_password()

    assert browser.reset_password(token, stale).json() == INVALID_TOKEN
    assert_signs_in_only_with(new_frontend(to=app), account, not_with=[stale])


@pytest.mark.hardening("Attack", "Account enumeration by password reset")
def test_a_link_for_an_unknown_email_is_answered_as_for_a_known_one_and_nothing_is_sent(
    new_frontend: Callable[..., Frontend], email_outbox: EmailOutbox, account: Account
) -> None:
    sign_up(new_frontend(), account)
    stranger = new_frontend()
    unknown = new_account().email
    sent_before = len(email_outbox.messages())

    for_unknown = stranger.forgot_password(unknown)
    for_known = stranger.forgot_password(account.email)

    assert for_unknown.status_code == for_known.status_code == 200
    assert for_unknown.json() == for_known.json() == {"status": "OK"}
    sent = email_outbox.messages()[sent_before:]
    assert [email["email"] for email in sent] == [account.email]


def test_a_weak_new_password_is_refused_and_the_link_still_works(
    new_frontend: Callable[..., Frontend], email_outbox: EmailOutbox, account: Account
) -> None:
    """The password policy of sign-up holds for a reset too, and is checked before the
    token is used up, so the person can try again with the same link."""
    sign_up(new_frontend(), account)
    browser = new_frontend()
    token = ask_for_a_link(browser, email_outbox, account.email)

    weak = browser.reset_password(token, "short").json()

    assert weak["status"] == "FIELD_ERROR"
    assert [field["id"] for field in weak["formFields"]] == ["password"]
    password = new_password()
    ok(browser.reset_password(token, password).json(), "reset")
    assert_signs_in_only_with(
        new_frontend(), Account(account.email, password), not_with=[account.password]
    )
