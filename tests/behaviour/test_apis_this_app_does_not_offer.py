"""APIs the SDK would mount that this app does not use are not there at all."""

from __future__ import annotations

import pytest

from tests.harness.frontend import Frontend

NOT_OFFERED = [
    # The SDK adds an OAuth2 provider recipe by itself; these paths failed with a 500.
    ("POST", "/auth/oauth/token"),
    ("GET", "/auth/oauth/end_session"),
    ("POST", "/auth/oauth/end_session"),
    ("GET", "/auth/oauth/auth"),
    ("POST", "/auth/oauth/introspect"),
    # Would tell anyone which phones guard an account.
    ("GET", "/auth/passwordless/phonenumber/exists?phoneNumber=%2B14155550100"),
    ("GET", "/auth/signup/phonenumber/exists?phoneNumber=%2B14155550100"),
    ("GET", "/auth/passwordless/email/exists?email=someone%40example.com"),
]


@pytest.mark.hardening("Bad input", "APIs this app does not offer")
@pytest.mark.parametrize(("method", "path"), NOT_OFFERED)
def test_is_not_found(browser: Frontend, method: str, path: str) -> None:
    response = browser.request(method, path, json={} if method == "POST" else None)

    assert response.status_code in (404, 405)  # Flask's catch-all route is GET only


@pytest.mark.hardening("Bad input", "APIs this app does not offer")
def test_the_login_methods_offer_no_phone_sign_in(browser: Frontend) -> None:
    """A frontend that builds its sign-in page from this would offer a phone sign-in
    that can only fail: the phone's code is a second factor only."""
    methods = browser.login_methods()

    assert methods.status_code == 200, methods.text
    first_factors = methods.json()["firstFactors"]
    assert "emailpassword" in first_factors
    assert not [f for f in first_factors if f.startswith(("otp-", "link-"))]
