"""Signing in with a company's identity provider (OpenID Connect) as the first factor.

The example has the suite's fake provider (``tests.harness.oidc_provider``) configured by
its ``OIDC_*`` variables, beside email and password. A frontend signs in as it does after
the provider's redirect, posting the code to ``/auth/signinup``; from there the second
factor holds for that session exactly as after a password.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from core.additions.outage import UNAVAILABLE_MESSAGE
from core.additions.sign_in_providers import NOT_CONFIRMED
from core.phone import PHONE_NOT_ENROLLED
from tests.behaviour.conftest import CoreUnderTest
from tests.behaviour.hardening_cases import case
from tests.harness.accounts import new_account
from tests.harness.core_api import CoreApi
from tests.harness.evidence import left_untouched
from tests.harness.examples import running_example
from tests.harness.flows import (
    CALLBACK_PAGE,
    pass_second_factor,
    send_code,
    sign_in_with_provider,
    visit_provider,
)
from tests.harness.frontend import Frontend, ProviderRedirect
from tests.harness.oidc_provider import (
    ANOTHER_APP,
    NAME,
    THE_EXAMPLE,
    THIRD_PARTY_ID,
    Client,
    FakeOidcProvider,
    example_env,
    running_fake_oidc_provider,
    s256,
    subject,
)
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

CLAIM = "2fa-completed"
REFUSED = {"status": "GENERAL_ERROR", "message": NOT_CONFIRMED}


def new_email() -> str:
    return new_account().email


def provider_users(core_api: CoreApi, email: str) -> list[dict[str, Any]]:
    """The users the core has for ``email``'s account at the provider."""
    found = core_api.get(
        "/public/users/by-accountinfo",
        thirdPartyId=THIRD_PARTY_ID,
        thirdPartyUserId=subject(email),
        doUnionOfAccountInfo="false",
    )
    return list(found["users"])


def assert_refused_without_a_session(response: Any, frontend: Frontend) -> None:
    assert response.status_code == 200, response.text
    assert response.json() == REFUSED
    assert frontend.front_token is None
    assert frontend.me().status_code == 401


def test_the_provider_is_offered_as_a_login_method(browser: Frontend) -> None:
    response = browser.login_methods()

    assert response.status_code == 200
    body = response.json()
    assert body["thirdParty"] == {
        "enabled": True,
        "providers": [{"id": THIRD_PARTY_ID, "name": NAME}],
    }
    assert body["emailPassword"] == {"enabled": True}


def test_the_authorisation_url_is_the_providers_with_a_pkce_challenge(
    browser: Frontend, oidc_provider: FakeOidcProvider
) -> None:
    response = browser.authorisation_url(THIRD_PARTY_ID, CALLBACK_PAGE)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "OK"
    url = urlsplit(body["urlWithQueryParams"])
    assert (
        f"{url.scheme}://{url.netloc}{url.path}" == oidc_provider.authorization_endpoint
    )
    assert dict(parse_qsl(url.query)) == {
        "client_id": THE_EXAMPLE.client_id,
        "redirect_uri": CALLBACK_PAGE,
        "response_type": "code",
        "scope": "openid email",
        "code_challenge": s256(body["pkceCodeVerifier"]),
        "code_challenge_method": "S256",
    }


def test_provider_sign_in_is_held_at_the_second_factor_until_the_phone_is_enrolled(
    browser: Frontend,
    oidc_provider: FakeOidcProvider,
    phone: str,
    outbox: Outbox,
    core_api: CoreApi,
) -> None:
    email = new_email()
    sign_in_with_provider(browser, oidc_provider, email)
    handle = browser.session_handle
    user_id = browser.payload["sub"]

    refused = browser.me()
    assert refused.status_code == 403
    assert [error["id"] for error in refused.json()["claimValidationErrors"]] == [CLAIM]
    assert browser.payload[CLAIM]["v"] is False
    user = core_api.user(user_id)
    assert user is not None
    [login_method] = user["loginMethods"]
    assert login_method["recipeId"] == "thirdparty"
    assert login_method["thirdParty"] == {
        "id": THIRD_PARTY_ID,
        "userId": subject(email),
    }
    assert login_method["email"] == email

    pass_second_factor(browser, outbox, phone)

    me = browser.me()
    assert me.status_code == 200
    assert me.json() == {
        "userId": user_id,
        "sessionHandle": handle,
        "phoneNumber": phone,
        "secondFactorCompleted": True,
    }
    assert browser.session_handle == handle
    assert core_api.sessions_of(user_id) == [handle]
    passwordless_user = core_api.user(core_api.metadata(user_id)["passwordlessUserId"])
    assert passwordless_user is not None
    assert passwordless_user["phoneNumbers"] == [phone]


def enrolled_then_signed_in_again(
    new_frontend: Callable[..., Frontend],
    provider: FakeOidcProvider,
    outbox: Outbox,
    email: str,
    phone: str,
) -> tuple[str, Frontend]:
    """The user id of ``email``'s first visit, and a second visit signed in again."""
    first_visit = new_frontend()
    sign_in_with_provider(first_visit, provider, email)
    user_id = first_visit.payload["sub"]
    pass_second_factor(first_visit, outbox, phone)
    assert first_visit.sign_out().status_code == 200

    second_visit = new_frontend()
    sign_in_with_provider(second_visit, provider, email)
    return user_id, second_visit


def test_provider_sign_in_again_carries_the_enrolled_phone(
    new_frontend: Callable[..., Frontend],
    oidc_provider: FakeOidcProvider,
    outbox: Outbox,
    phone: str,
) -> None:
    user_id, browser = enrolled_then_signed_in_again(
        new_frontend, oidc_provider, outbox, new_email(), phone
    )

    assert browser.payload["sub"] == user_id
    assert browser.payload["phoneNumber"] == phone
    assert browser.payload[CLAIM]["v"] is False
    assert browser.me().status_code == 403
    pass_second_factor(browser, outbox, phone)
    assert browser.me().json()["phoneNumber"] == phone


@pytest.mark.hardening("Attack", "Phone swap")
def test_phone_swap_after_provider_sign_in_is_refused_and_sends_nothing(
    new_frontend: Callable[..., Frontend],
    oidc_provider: FakeOidcProvider,
    outbox: Outbox,
    phone: str,
    core_api: CoreApi,
) -> None:
    """Mallory holds Alice's account at the provider and asks for the code on hers."""
    _, mallory = enrolled_then_signed_in_again(
        new_frontend, oidc_provider, outbox, new_email(), phone
    )
    mallorys_phone = new_phone()
    evidence = left_untouched(
        outbox, core_api, sessions=[mallory], phones=[mallorys_phone]
    )

    response = mallory.send_code(mallorys_phone)

    assert response.status_code == 200
    assert response.json() == {"status": "GENERAL_ERROR", "message": PHONE_NOT_ENROLLED}
    assert outbox.sent_to(mallorys_phone) == []
    evidence.assert_no_trace()
    send_code(mallory, phone)  # the enrolled phone is still served
    assert mallory.flow is not None
    assert (
        outbox.sent_to(phone)[-1]["preAuthSessionId"]
        == mallory.flow.pre_auth_session_id
    )


# -- codes the provider did not issue for this sign-in ----------------------------------


@pytest.mark.hardening("Attack", "Third-party sign-in")
def test_a_code_the_provider_never_issued_is_refused(
    new_frontend: Callable[..., Frontend], oidc_provider: FakeOidcProvider
) -> None:
    browser = new_frontend()
    real = visit_provider(browser, oidc_provider, new_email())
    made_up = ProviderRedirect(
        real.redirect_uri,
        {**real.query, "code": "made-up-code"},
        real.pkce_code_verifier,
    )

    response = browser.sign_in_with_provider(THIRD_PARTY_ID, made_up)

    assert_refused_without_a_session(response, browser)


@pytest.mark.hardening("Attack", "Third-party sign-in")
def test_a_code_signs_in_once(
    new_frontend: Callable[..., Frontend], oidc_provider: FakeOidcProvider
) -> None:
    """A code seen on its way (a log, a Referer header) is worth nothing once used."""
    browser, eavesdropper = new_frontend(), new_frontend()
    redirect = visit_provider(browser, oidc_provider, new_email())
    assert (
        browser.sign_in_with_provider(THIRD_PARTY_ID, redirect).json()["status"] == "OK"
    )

    response = eavesdropper.sign_in_with_provider(THIRD_PARTY_ID, redirect)

    assert_refused_without_a_session(response, eavesdropper)


@pytest.mark.hardening("Attack", "Third-party sign-in")
def test_a_code_for_another_redirect_uri_is_refused(
    new_frontend: Callable[..., Frontend],
    oidc_provider: FakeOidcProvider,
    core_api: CoreApi,
) -> None:
    browser = new_frontend()
    email = new_email()
    redirect = visit_provider(
        browser, oidc_provider, email, "https://evil.example/callback"
    )
    elsewhere = ProviderRedirect(
        CALLBACK_PAGE, redirect.query, redirect.pkce_code_verifier
    )

    response = browser.sign_in_with_provider(THIRD_PARTY_ID, elsewhere)

    assert_refused_without_a_session(response, browser)
    assert provider_users(core_api, email) == []


@pytest.mark.hardening("Attack", "Third-party sign-in")
def test_a_code_from_another_sign_in_attempt_is_refused(
    new_frontend: Callable[..., Frontend],
    oidc_provider: FakeOidcProvider,
    core_api: CoreApi,
) -> None:
    """Alice's code, stolen on its way back or injected into another browser, is bound
    by PKCE to the verifier her own frontend kept: the backend's part of what the
    frontend's ``state`` check does (which the backend never sees)."""
    alice, mallory = new_frontend(), new_frontend()
    email = new_email()
    alices = visit_provider(alice, oidc_provider, email)
    mallorys_own_attempt = visit_provider(mallory, oidc_provider, new_email())

    for verifier in (mallorys_own_attempt.pkce_code_verifier, None):
        with case():
            stolen = ProviderRedirect(alices.redirect_uri, alices.query, verifier)
            response = mallory.sign_in_with_provider(THIRD_PARTY_ID, stolen)
            assert_refused_without_a_session(response, mallory)

    assert provider_users(core_api, email) == []


# -- tokens sent instead of a code (oAuthTokens) ------------------------------------------


def sign_in_with_tokens(frontend: Frontend, tokens: dict[str, Any]) -> Any:
    return frontend.post(
        "/signinup", {"thirdPartyId": THIRD_PARTY_ID, "oAuthTokens": tokens}
    )


@pytest.mark.hardening("Attack", "Third-party sign-in")
def test_tokens_issued_to_another_app_do_not_sign_in(
    new_frontend: Callable[..., Frontend],
    oidc_provider: FakeOidcProvider,
    core_api: CoreApi,
) -> None:
    """Another app of the same provider holds its users' tokens; with them it must not
    sign those users in here. The provider's user-info endpoint answers for any app's
    access token, so only an ID token issued to this app is taken."""
    email = new_email()
    theirs = oidc_provider.tokens_for(ANOTHER_APP, email)
    mallory = new_frontend()

    for tokens in (
        {"access_token": theirs["access_token"]},
        {"access_token": theirs["access_token"], "id_token": theirs["id_token"]},
        {"id_token": theirs["id_token"]},
    ):
        with case():
            response = sign_in_with_tokens(mallory, tokens)
            assert_refused_without_a_session(response, mallory)

    assert provider_users(core_api, email) == []


def forged(token: str, **claims: Any) -> str:
    """The token's header and signature over a payload with ``claims`` changed."""
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    edited = base64.urlsafe_b64encode(
        json.dumps({**decoded, **claims}).encode()
    ).rstrip(b"=")
    return f"{header}.{edited.decode()}.{signature}"


@pytest.mark.hardening("Attack", "Third-party sign-in")
def test_only_an_id_token_the_provider_signed_for_this_app_signs_in(
    new_frontend: Callable[..., Frontend], oidc_provider: FakeOidcProvider
) -> None:
    email = new_email()
    genuine = oidc_provider.id_token(email, THE_EXAMPLE.client_id)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    another_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forgeries = {
        "payload edited": forged(genuine, email=new_email(), sub="someone-else"),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "another key, the provider's kid": jwt.encode(
            claims, another_key, algorithm="RS256", headers={"kid": oidc_provider.kid}
        ),
        "expired": oidc_provider.id_token(
            email, THE_EXAMPLE.client_id, exp=claims["iat"] - 60
        ),
        "another issuer, same keys": oidc_provider.id_token(
            email, THE_EXAMPLE.client_id, iss="https://other-tenant.example.com"
        ),
        "another audience": oidc_provider.id_token(email, ANOTHER_APP.client_id),
        "not a JWT": "not-a-jwt",
    }
    attacker = new_frontend()

    for name, token in forgeries.items():
        with case():
            response = sign_in_with_tokens(attacker, {"id_token": token})
            assert response.status_code == 200, name
            assert response.json() == REFUSED, name
            assert attacker.front_token is None, name

    browser = (
        new_frontend()
    )  # the genuine one does, so the refusals above are not vacuous
    assert sign_in_with_tokens(browser, {"id_token": genuine}).json()["status"] == "OK"
    assert browser.payload[CLAIM]["v"] is False


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.hardening("Bad input", "Missing fields")
def test_incomplete_provider_sign_ins_get_the_fdi_answers(
    browser: Frontend, oidc_provider: FakeOidcProvider
) -> None:
    info = {"redirectURIOnProviderDashboard": CALLBACK_PAGE}
    cases: list[tuple[str, dict[str, Any], int | str]] = [
        ("Missing fields", {"thirdPartyId": THIRD_PARTY_ID}, 400),
        (
            "Missing fields",
            {"redirectURIInfo": {**info, "redirectURIQueryParams": {}}},
            400,
        ),
        (
            "Missing fields",
            {"thirdPartyId": THIRD_PARTY_ID, "redirectURIInfo": {}},
            400,
        ),
        (
            "Missing fields",
            {"thirdPartyId": THIRD_PARTY_ID, "redirectURIInfo": info},
            REFUSED,
        ),
        (
            "Missing fields",
            {
                "thirdPartyId": THIRD_PARTY_ID,
                "redirectURIInfo": {
                    **info,
                    "redirectURIQueryParams": {"error": "access_denied"},
                },
            },
            REFUSED,
        ),
        (
            "Missing fields",
            {"thirdPartyId": THIRD_PARTY_ID, "oAuthTokens": {}},
            REFUSED,
        ),
        ("Empty strings", {"thirdPartyId": "", "oAuthTokens": {"id_token": "x"}}, 400),
        (
            "Empty strings",
            {
                "thirdPartyId": THIRD_PARTY_ID,
                "redirectURIInfo": {**info, "redirectURIQueryParams": {"code": ""}},
            },
            REFUSED,
        ),
        (
            "Empty strings",
            {"thirdPartyId": THIRD_PARTY_ID, "oAuthTokens": {"id_token": ""}},
            REFUSED,
        ),
        (
            "Wrong-typed fields",
            {
                "thirdPartyId": THIRD_PARTY_ID,
                "redirectURIInfo": {
                    **info,
                    "redirectURIQueryParams": {"code": ["a", "b"]},
                },
            },
            400,
        ),
        (
            "Wrong-typed fields",
            {
                "thirdPartyId": THIRD_PARTY_ID,
                "oAuthTokens": {"id_token": {"alg": "none"}},
            },
            400,
        ),
        (
            "Wrong-typed fields",
            {"thirdPartyId": THIRD_PARTY_ID, "oAuthTokens": {"access_token": 5}},
            400,
        ),
    ]
    for kind, body, expected in cases:
        with case(kind):
            response = browser.post("/signinup", body)
            if isinstance(expected, int):
                assert response.status_code == expected, (body, response.text)
                assert isinstance(response.json()["message"], str)
            else:
                assert response.status_code == 200, (body, response.text)
                assert response.json() == expected, body
            assert browser.front_token is None


# -- a provider the example cannot use ----------------------------------------------------


def test_a_wrong_client_secret_or_a_provider_gone_get_clear_answers(
    framework: str,
    core: CoreUnderTest,
    outbox: Outbox,
    suite_env: dict[str, str],
    new_frontend: Callable[..., Frontend],
) -> None:
    """A misconfigured client is refused by the provider: ``GENERAL_ERROR``, with the
    reason in the log for whoever runs the app. A provider that stops answering is an
    outage: 503, as when the core is down. Neither is a 500."""
    with running_fake_oidc_provider(THE_EXAMPLE) as provider:
        wrong_secret = example_env(
            provider, Client(THE_EXAMPLE.client_id, "not-the-secret")
        )
        with running_example(
            framework,
            core_uri=core.uri,
            outbox=outbox.path,
            api_key=core.api_key,
            extra_env={**suite_env, **wrong_secret},
        ) as example:
            browser, later = new_frontend(to=example), new_frontend(to=example)

            response = browser.sign_in_with_provider(
                THIRD_PARTY_ID, visit_provider(browser, provider, new_email())
            )

            assert_refused_without_a_session(response, browser)
            assert "invalid_client" in example.output()

            redirect = visit_provider(later, provider, new_email())
            provider.stop()
            response = later.sign_in_with_provider(THIRD_PARTY_ID, redirect)

            assert response.status_code == 503
            assert response.json() == {"message": UNAVAILABLE_MESSAGE}


@pytest.mark.hardening("Faults", "Identity provider unreachable")
def test_a_provider_that_never_answered_is_an_outage_for_every_api_that_needs_it(
    framework: str,
    core: CoreUnderTest,
    outbox: Outbox,
    suite_env: dict[str, str],
    new_frontend: Callable[..., Frontend],
) -> None:
    """Before the first sign-in the SDK has not read the provider's discovery document;
    if the provider is down then, the login methods and the authorisation URL are
    outages too (503), not 500s."""
    with running_fake_oidc_provider(THE_EXAMPLE) as provider:
        gone = example_env(provider)
    with running_example(
        framework,
        core_uri=core.uri,
        outbox=outbox.path,
        api_key=core.api_key,
        extra_env={**suite_env, **gone},
    ) as example:
        browser = new_frontend(to=example)

        for response in (
            browser.login_methods(),
            browser.request(
                "GET",
                f"/auth/authorisationurl?thirdPartyId={THIRD_PARTY_ID}"
                f"&redirectURIOnProviderDashboard={CALLBACK_PAGE}",
            ),
        ):
            assert response.status_code == 503, response.text
            assert response.json() == {"message": UNAVAILABLE_MESSAGE}
