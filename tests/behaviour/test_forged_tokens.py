"""An access token that says ``2fa-completed: true`` without the core having signed it
opens nothing, however it was forged and wherever the frontend keeps it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.harness import tokens
from tests.harness.accounts import Account
from tests.harness.examples import RunningExample
from tests.harness.flows import sign_up
from tests.harness.frontend import Frontend

pytestmark = pytest.mark.hardening("Attack", "Forged access token")


def core_keys(example: RunningExample) -> dict[str, object]:
    return dict(httpx.get(example.url + "/auth/jwt/jwks.json", timeout=10).json())


FORGERIES: dict[str, Callable[[str, RunningExample], str]] = {
    "payload edited, signature kept": lambda token, _: tokens.payload_edited(token),
    "alg none, no signature": lambda token, _: tokens.unsigned(token),
    "signed by another key, core's kid": lambda token, _: tokens.signed_by_another_key(
        token
    ),
    "signed by another key, own kid": lambda token, _: tokens.signed_by_another_key(
        token, kid="d-attacker-key"
    ),
    "HS256 keyed with the core's public key": lambda token, example: (
        tokens.hmac_with_public_key(token, core_keys(example))
    ),
}


@pytest.mark.parametrize("transfer", ["cookie", "header"])
@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_forged_token_claiming_the_second_factor_is_rejected(
    new_frontend: Callable[..., Frontend],
    example: RunningExample,
    account: Account,
    forgery: str,
    transfer: str,
) -> None:
    mallory = new_frontend(transfer=transfer)
    sign_up(mallory, account)
    real = mallory.access_token_now()
    assert real is not None
    forged = FORGERIES[forgery](real, example)
    assert tokens.parts(forged)[1]["2fa-completed"]["v"] is True

    mallory.use_access_token(forged)
    response = mallory.me()

    assert response.status_code == 401
    assert response.json() == {"message": "try refresh token"}
    mallory.use_access_token(real)
    assert (
        mallory.me().status_code == 403
    )  # the real session is still held at the claim
