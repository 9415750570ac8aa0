"""What a browser on the website's origin needs from the API, and nothing more."""

from __future__ import annotations

import pytest

from tests.harness.frontend import Frontend

WEBSITE = "http://localhost:3000"  # WEBSITE_DOMAIN as the harness starts every example


@pytest.mark.parametrize("path", ["/auth/signinup/code", "/auth/signinup/code/consume"])
def test_the_website_may_call_the_otp_apis_with_credentials(
    browser: Frontend, path: str
) -> None:
    response = browser.request(
        "OPTIONS",
        path,
        headers={
            "origin": WEBSITE,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,st-auth-mode",
        },
    )

    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == WEBSITE
    assert response.headers["access-control-allow-credentials"] == "true"
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "st-auth-mode" in allowed


def test_another_origin_is_not_allowed(browser: Frontend) -> None:
    response = browser.request(
        "OPTIONS",
        "/auth/signinup/code",
        headers={
            "origin": "https://evil.example",
            "access-control-request-method": "POST",
        },
    )

    assert response.headers.get("access-control-allow-origin") != "https://evil.example"


@pytest.mark.parametrize("path", ["/api/nothing-here", "/auth/nothing-here"])
def test_an_unknown_path_is_not_found(browser: Frontend, path: str) -> None:
    assert browser.request("GET", path).status_code == 404
