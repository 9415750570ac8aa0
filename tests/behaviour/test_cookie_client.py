"""A client that keeps its session in cookies keeps it there, whatever it sends.

SuperTokens' frontend SDK says ``st-auth-mode`` on every request; a plain HTTP client
(curl with a cookie jar, a script) says it once, at sign-up, or never. The session kept
by the second factor must stay where it came from: entering the right code must not
move the tokens into headers, which such a client never reads, and so sign it out.
"""

from __future__ import annotations

import httpx
import pytest

from tests.harness.accounts import Account
from tests.harness.examples import RunningExample
from tests.harness.outbox import Outbox

pytestmark = pytest.mark.hardening("Clients", "Cookie client without st-auth-mode")


def form(account: Account) -> dict[str, object]:
    return {
        "formFields": [
            {"id": "email", "value": account.email},
            {"id": "password", "value": account.password},
        ]
    }


def assert_kept_in_cookies(answer: httpx.Response, jar: httpx.Client) -> None:
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "OK", answer.text
    assert "st-access-token" not in answer.headers
    assert "st-refresh-token" not in answer.headers
    assert jar.cookies.get("sAccessToken")


def test_a_cookie_client_that_never_repeats_st_auth_mode_keeps_its_session(
    example: RunningExample, outbox: Outbox, account: Account, phone: str
) -> None:
    with httpx.Client(base_url=example.url, timeout=30) as curl:
        signed_up = curl.post(
            "/auth/signup", json=form(account), headers={"st-auth-mode": "cookie"}
        )
        assert_kept_in_cookies(signed_up, curl)

        sent = curl.post("/auth/signinup/code", json={"phoneNumber": phone})
        assert sent.json()["status"] == "OK", sent.text
        flow = {k: sent.json()[k] for k in ("deviceId", "preAuthSessionId")}
        code = outbox.latest_code(flow["preAuthSessionId"])
        entered = curl.post(
            "/auth/signinup/code/consume", json={**flow, "userInputCode": code}
        )
        assert_kept_in_cookies(entered, curl)

        me = curl.get("/api/me")
        assert me.status_code == 200, me.text
        assert me.json()["secondFactorCompleted"] is True
        refreshed = curl.post("/auth/session/refresh")
        assert refreshed.status_code == 200, refreshed.text
        assert "st-access-token" not in refreshed.headers
        assert curl.get("/api/me").json()["phoneNumber"] == phone
