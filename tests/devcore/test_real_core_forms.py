"""What devcore makes up has the real core's form, and it refuses in the real core's words.

Tokens and ids in another alphabet than the real core's would let a mishandled value (a
refresh token whose ``+``, ``/`` and ``=`` a cookie must carry) pass on devcore and fail
on a real core: these are the forms measured on a real core (v11.4.7, CDI 5.4).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from devcore.testing import running_devcore

UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
REFRESH_TOKEN = r"[A-Za-z0-9+/]+={0,2}\.[0-9a-f]{64}\.V2"
FORMAT_ERROR = "io.supertokens.session.refreshToken.RefreshToken$InvalidRefreshTokenFormatException: "


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with (
        running_devcore(bcrypt_log_rounds=4) as core,
        httpx.Client(base_url=core.uri, headers={"cdi-version": "5.4"}) as http,
    ):
        yield http


def new_session(client: httpx.Client, **extra: Any) -> dict[str, Any]:
    body = {
        "userId": "u",
        "userDataInJWT": {},
        "userDataInDatabase": {},
        "enableAntiCsrf": True,
    }
    return dict(client.post("/public/recipe/session", json={**body, **extra}).json())


def refresh(client: httpx.Client, token: str) -> dict[str, Any]:
    body = {
        "refreshToken": token,
        "enableAntiCsrf": False,
        "useDynamicSigningKey": True,
    }
    return dict(client.post("/recipe/session/refresh", json=body).json())


def test_session_ids_and_tokens_have_the_real_cores_form(client: httpx.Client) -> None:
    created = new_session(client)
    refreshed = refresh(client, created["refreshToken"]["token"])

    assert re.fullmatch(UUID4, created["session"]["handle"])
    assert re.fullmatch(UUID4, created["antiCsrfToken"])
    for answer in (created, refreshed):
        assert re.fullmatch(REFRESH_TOKEN, answer["refreshToken"]["token"])


def test_refresh_tokens_use_the_standard_base64_alphabet(client: httpx.Client) -> None:
    """Over a few dozen tokens, ``+``, ``/`` and ``=`` all turn up, as on the real core."""
    made = "".join(new_session(client)["refreshToken"]["token"] for _ in range(40))

    assert {"+", "/", "="} <= set(made)
    assert not {"-", "_"} & set(made)


def test_public_keys_are_named_and_listed_as_the_real_core_does(
    client: httpx.Client,
) -> None:
    dynamic, static = client.get("/.well-known/jwks.json").json()["keys"]

    assert re.fullmatch(r"d-\d{13}", dynamic["kid"])
    assert re.fullmatch("s-" + UUID4, static["kid"])
    for key in (dynamic, static):
        assert set(key) == {"kty", "kid", "n", "e", "alg", "use"}


def test_passwordless_ids_have_the_real_cores_form(client: httpx.Client) -> None:
    code = client.post(
        "/public/recipe/signinup/code", json={"phoneNumber": "+14155550123"}
    )
    body = code.json()

    assert len(base64.b64decode(body["deviceId"], validate=True)) == 32
    assert body["deviceId"].endswith("=")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", body["preAuthSessionId"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", body["linkCode"])
    assert re.fullmatch(UUID4, body["codeId"])
    assert re.fullmatch(r"\d{6}", body["userInputCode"])


def test_user_ids_are_uuids(client: httpx.Client) -> None:
    signed_up = client.post(
        "/public/recipe/signup", json={"email": "f@b.c", "password": "pw"}
    )

    assert re.fullmatch(UUID4, signed_up.json()["user"]["id"])


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("abc", FORMAT_ERROR + "version of refresh token not recognised"),
        (
            "a.b.c.V2",
            FORMAT_ERROR + "Refresh token split with dot yielded an array of length: 4",
        ),
        (
            "ab%2Bcd.0.V2",
            "java.lang.IllegalArgumentException: Illegal base64 character 25",
        ),
        ("ab.0.V2", "java.nio.BufferUnderflowException"),
        ("A" * 52 + ".0.V2", "javax.crypto.AEADBadTagException: Tag mismatch"),
    ],
)
def test_a_malformed_refresh_token_is_refused_in_the_real_cores_words(
    client: httpx.Client, token: str, message: str
) -> None:
    assert refresh(client, token) == {"status": "UNAUTHORISED", "message": message}


def test_a_refresh_token_with_another_nonce_is_invalid(client: httpx.Client) -> None:
    sealed, _, version = new_session(client)["refreshToken"]["token"].split(".")

    answer = refresh(client, f"{sealed}.{'0' * 64}.{version}")

    assert answer == {"status": "UNAUTHORISED", "message": "Invalid refresh token"}


def test_regenerating_trusts_the_caller_to_have_verified_the_token(
    client: httpx.Client,
) -> None:
    """As the real core: regenerate reads the token without checking its signature (the
    SDK verifies it first), so a forged token an app passed on would be accepted there."""
    token = new_session(client)["accessToken"]["token"]
    header, payload, _ = token.split(".")
    signature = base64.urlsafe_b64encode(b"not a signature").decode().rstrip("=")
    forged = f"{header}.{payload}.{signature}"

    regenerated = client.post(
        "/recipe/session/regenerate", json={"accessToken": forged}
    )

    assert regenerated.json()["status"] == "OK"
    verified = client.post(
        "/recipe/session/verify",
        json={
            "accessToken": forged,
            "doAntiCsrfCheck": False,
            "enableAntiCsrf": False,
            "checkDatabase": True,
        },
    )
    assert verified.json() == {
        "status": "TRY_REFRESH_TOKEN",
        "message": "io.supertokens.session.jwt.JWT$JWTException: JWT verification failed",
    }


def test_an_update_may_set_an_empty_password(client: httpx.Client) -> None:
    """The real core refuses an empty password at sign-up only (the SDK checks passwords
    before it calls the core)."""
    user_id = client.post(
        "/public/recipe/signup", json={"email": "empty@b.c", "password": "pw"}
    ).json()["user"]["id"]

    updated = client.put(
        "/recipe/user",
        json={"recipeUserId": user_id, "password": ""},
        headers={"rid": "emailpassword"},
    )

    assert updated.json() == {"status": "OK"}
    signed_in = client.post(
        "/public/recipe/signin", json={"email": "empty@b.c", "password": ""}
    )
    assert signed_in.json()["status"] == "OK"
