"""The guide's flow in a few verbs, each asserting the step went as a user expects."""

from __future__ import annotations

import secrets

from tests.harness.accounts import Account
from tests.harness.frontend import Frontend, ProviderRedirect
from tests.harness.oidc_provider import THIRD_PARTY_ID, FakeOidcProvider
from tests.harness.outbox import EmailOutbox, Outbox

CALLBACK_PAGE = f"http://localhost:3000/auth/callback/{THIRD_PARTY_ID}"
"""The frontend's page the provider sends the browser back to (the prebuilt UI's path)."""


def ok(response_json: dict[str, object], step: str) -> None:
    assert response_json.get("status") == "OK", f"{step} failed: {response_json}"


def sign_up(frontend: Frontend, account: Account) -> None:
    response = frontend.sign_up(account.email, account.password)
    assert response.status_code == 200, response.text
    ok(response.json(), "sign up")


def sign_in(frontend: Frontend, account: Account) -> None:
    response = frontend.sign_in(account.email, account.password)
    assert response.status_code == 200, response.text
    ok(response.json(), "sign in")


def visit_provider(
    frontend: Frontend,
    provider: FakeOidcProvider,
    email: str,
    redirect_uri: str = CALLBACK_PAGE,
) -> ProviderRedirect:
    """What a frontend does before it signs in with a provider: ask the backend where to send
    the browser, add its own ``state``, and (``email`` having signed in there) check the
    ``state`` the provider sends back, as the frontend SDK does."""
    response = frontend.authorisation_url(THIRD_PARTY_ID, redirect_uri)
    assert response.status_code == 200, response.text
    body = response.json()
    ok(body, "authorisation URL")
    state = secrets.token_urlsafe(16)
    query = provider.log_in(f"{body['urlWithQueryParams']}&state={state}", email)
    assert query["state"] == state
    return ProviderRedirect(redirect_uri, query, body.get("pkceCodeVerifier"))


def sign_in_with_provider(
    frontend: Frontend, provider: FakeOidcProvider, email: str
) -> None:
    """Sign in (or up) as ``email`` through the provider, as a frontend does."""
    response = frontend.sign_in_with_provider(
        THIRD_PARTY_ID, visit_provider(frontend, provider, email)
    )
    assert response.status_code == 200, response.text
    ok(response.json(), "sign in with the provider")


def send_code(frontend: Frontend, phone: str) -> None:
    response = frontend.send_code(phone)
    assert response.status_code == 200, response.text
    ok(response.json(), "send code")


def enter_sent_code(frontend: Frontend, outbox: Outbox) -> None:
    assert frontend.flow is not None
    code = outbox.latest_code(frontend.flow.pre_auth_session_id)
    response = frontend.enter_code(code)
    assert response.status_code == 200, response.text
    ok(response.json(), "enter code")


def pass_second_factor(frontend: Frontend, outbox: Outbox, phone: str) -> None:
    send_code(frontend, phone)
    enter_sent_code(frontend, outbox)


def enrol(frontend: Frontend, outbox: Outbox, account: Account, phone: str) -> None:
    """A new user: sign up, then complete the second factor with ``phone``."""
    sign_up(frontend, account)
    pass_second_factor(frontend, outbox, phone)


def reset_password(
    frontend: Frontend, email_outbox: EmailOutbox, account: Account, new_password: str
) -> Account:
    """A forgotten password: ask for a link, take its token from the email, set
    ``new_password``. Returns the account as it now signs in."""
    sent_before = len(email_outbox.messages())
    response = frontend.forgot_password(account.email)
    assert response.status_code == 200, response.text
    ok(response.json(), "ask for a reset link")
    token = email_outbox.latest_reset_token(account.email, since=sent_before)
    response = frontend.reset_password(token, new_password)
    assert response.status_code == 200, response.text
    ok(response.json(), "reset the password")
    return Account(account.email, new_password)


def wrong_code(frontend: Frontend, outbox: Outbox) -> str:
    """A code of the right shape that differs from the sent one in every character."""
    assert frontend.flow is not None
    right = outbox.latest_code(frontend.flow.pre_auth_session_id)
    return "".join("1" if c == "0" else "0" for c in right)
