"""After the second factor, the session lives as any SuperTokens session does."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.harness.accounts import Account
from tests.harness.core_api import CoreApi
from tests.harness.flows import enrol
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox


def test_refresh_keeps_the_claim_and_the_phone(
    browser: Frontend, account: Account, phone: str, outbox: Outbox
) -> None:
    enrol(browser, outbox, account, phone)
    handle, access_token = browser.session_handle, browser.access_token_now()

    response = browser.refresh()

    assert response.status_code == 200
    assert browser.access_token_now() != access_token
    assert browser.session_handle == handle
    assert browser.payload["2fa-completed"]["v"] is True
    assert browser.me().json()["phoneNumber"] == phone


def test_sign_out_revokes_the_session(
    browser: Frontend, account: Account, phone: str, outbox: Outbox, core_api: CoreApi
) -> None:
    enrol(browser, outbox, account, phone)
    user_id = browser.payload["sub"]

    assert browser.sign_out().status_code == 200

    assert browser.me().status_code == 401
    assert core_api.sessions_of(user_id) == []
    assert browser.refresh().status_code == 401


@pytest.mark.hardening("Attack", "Refresh-token reuse")
@pytest.mark.parametrize("transfer", ["cookie", "header"])
def test_reusing_a_rotated_refresh_token_revokes_the_session(
    new_frontend: Callable[..., Frontend],
    transfer: str,
    account: Account,
    phone: str,
    outbox: Outbox,
    core_api: CoreApi,
) -> None:
    """A refresh token copied before its rotation is replayed after it: the core sees
    the same token used twice, so someone has a copy, and the session ends for both."""
    browser = new_frontend(transfer=transfer)
    enrol(browser, outbox, account, phone)
    user_id = browser.payload["sub"]
    stolen = browser.refresh_token_now()
    assert stolen is not None
    assert browser.refresh().status_code == 200
    assert browser.me().status_code == 200  # the rotated tokens are in use

    thief = new_frontend(transfer="header")
    replay = thief.refresh_with(stolen)

    assert replay.status_code == 401
    assert replay.json() == {"message": "token theft detected"}
    assert core_api.sessions_of(user_id) == []
    assert browser.refresh().status_code == 401
    assert thief.me().status_code == 401
