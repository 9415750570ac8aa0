"""Third-party sign-in as the first factor: the providers, and their refusals as answers.

Google and GitHub are configured with a client id and secret; a company's identity
provider (Keycloak, Auth0, Okta, Entra ID...) with its issuer, through OpenID Connect
discovery (``oidc_provider``). Whichever the first factor, the session it creates holds
``2fa-completed: false`` until the phone's code is entered, as after a password.

For the OpenID Connect provider, beyond what the SDK checks (the ID token's signature
against the provider's keys, its audience and expiry):

* PKCE on every sign-in, although the client has a secret: a code only completes the
  sign-in it was asked for, with the verifier the frontend kept from that request;
* an ID token is required, and its issuer must be the configured one. Without an ID
  token the SDK would take the user-info endpoint's word for an access token sent by the
  frontend (``oAuthTokens``), which may have been issued to another app of the same
  provider: that app could then sign its users in here as themselves. Providers that
  share signing keys between issuers (multi-tenant ones) make the issuer check matter.

A provider that does not vouch for a user (a code it did not issue, or issued for
another redirect URI or PKCE verifier, a bad or foreign token) makes the SDK raise
somewhere in its provider code, which the framework would answer with a 500. Here it
becomes ``GENERAL_ERROR``, which SuperTokens frontends show as a message; the reason is
logged. A provider that cannot be reached is an outage (``core.outage``), answered 503.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from supertokens_python.exceptions import SuperTokensError
from supertokens_python.recipe.session.interfaces import SessionContainer
from supertokens_python.recipe.thirdparty.interfaces import (
    APIInterface,
    APIOptions,
    SignInUpNotAllowed,
    SignInUpPostNoEmailGivenByProviderResponse,
    SignInUpPostOkResult,
)
from supertokens_python.recipe.thirdparty.provider import (
    Provider,
    ProviderClientConfig,
    ProviderConfig,
    ProviderConfigForClient,
    ProviderInput,
    RedirectUriInfo,
)
from supertokens_python.recipe.thirdparty.types import UserInfo
from supertokens_python.types.response import GeneralErrorResponse

from core.outage import is_outage
from core.settings import OAuthClient, OidcSettings, Settings

log = logging.getLogger(__name__)

NOT_CONFIRMED = (
    "The sign-in provider did not confirm who you are. Please sign in again."
)

T = TypeVar("T")


class ProviderRefused(Exception):
    """The provider, or the tokens sent in its name, did not vouch for a user."""


def providers(settings: Settings) -> list[ProviderInput]:
    """Every provider configured in the environment; none by default."""
    found = [
        oauth_provider(name, client) for name, client in settings.oauth_clients.items()
    ]
    if settings.oidc is not None:
        found.append(oidc_provider(settings.oidc))
    return found


def oauth_provider(name: str, client: OAuthClient) -> ProviderInput:
    """One of the SDK's built-in providers (``google``, ``github``), by client id and secret."""
    return ProviderInput(
        config=ProviderConfig(
            third_party_id=name,
            clients=[
                ProviderClientConfig(
                    client_id=client.client_id, client_secret=client.client_secret
                )
            ],
        ),
        override=answering_refusals,
    )


def oidc_provider(oidc: OidcSettings) -> ProviderInput:
    """A company identity provider, its endpoints and keys found by OpenID Connect discovery."""

    async def issued_by_the_issuer(
        payload: dict[str, Any],
        _config: ProviderConfigForClient,
        _context: dict[str, Any],
    ) -> None:
        if not oidc.is_issuer(payload.get("iss")):
            raise ProviderRefused(
                f"ID token issued by {payload.get('iss')!r}, not {oidc.issuer}"
            )

    return ProviderInput(
        config=ProviderConfig(
            third_party_id=oidc.third_party_id,
            name=oidc.name,
            oidc_discovery_endpoint=oidc.discovery_url,
            clients=[
                ProviderClientConfig(
                    client_id=oidc.client_id,
                    client_secret=oidc.client_secret,
                    scope=["openid", "email"],
                    force_pkce=True,
                )
            ],
            validate_id_token_payload=issued_by_the_issuer,
        ),
        override=lambda provider: answering_refusals(provider, id_token_required=True),
    )


def answering_refusals(
    provider: Provider, *, id_token_required: bool = False
) -> Provider:
    """``provider``, raising ``ProviderRefused`` whenever it does not vouch for a user."""
    exchange_code = provider.exchange_auth_code_for_oauth_tokens
    user_info = provider.get_user_info

    async def exchange_auth_code_for_oauth_tokens(
        redirect_uri_info: RedirectUriInfo, user_context: dict[str, Any]
    ) -> dict[str, Any]:
        params = redirect_uri_info.redirect_uri_query_params
        if not isinstance(params, dict) or not isinstance(params.get("code"), str):
            raise ProviderRefused(
                "no authorization code in the redirect's query parameters"
            )
        tokens = await refused_unless_done(
            exchange_code(redirect_uri_info, user_context)
        )
        if not isinstance(tokens, dict) or not (
            tokens.get("access_token") or tokens.get("id_token")
        ):
            # The token endpoint's error answer ({"error": "invalid_grant"}), as the SDK
            # returns it instead of raising.
            error = tokens.get("error") if isinstance(tokens, dict) else tokens
            raise ProviderRefused(f"the token endpoint gave no token: {error!r}")
        return tokens

    async def get_user_info(
        oauth_tokens: dict[str, Any], user_context: dict[str, Any]
    ) -> UserInfo:
        if id_token_required and not isinstance(oauth_tokens.get("id_token"), str):
            raise ProviderRefused("no ID token")
        return await refused_unless_done(user_info(oauth_tokens, user_context))

    provider.exchange_auth_code_for_oauth_tokens = exchange_auth_code_for_oauth_tokens  # type: ignore[method-assign]
    provider.get_user_info = get_user_info  # type: ignore[method-assign]
    return provider


async def refused_unless_done(step: Awaitable[T]) -> T:
    """The provider step's result; what it raises, as ``ProviderRefused`` unless it is an
    outage or an answer of the SDK's own. These steps only read what the provider (or the
    frontend, in its name) sent: failing on it means nobody was vouched for."""
    try:
        return await step
    except (ProviderRefused, SuperTokensError):
        raise
    except Exception as error:
        if is_outage(error):
            raise
        raise ProviderRefused(f"{type(error).__name__}: {error}") from error


def override_third_party_apis(original_implementation: APIInterface) -> APIInterface:
    original_sign_in_up_post = original_implementation.sign_in_up_post

    async def sign_in_up_post(
        provider: Provider,
        redirect_uri_info: RedirectUriInfo | None,
        oauth_tokens: dict[str, Any] | None,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> (
        SignInUpPostOkResult
        | SignInUpPostNoEmailGivenByProviderResponse
        | SignInUpNotAllowed
        | GeneralErrorResponse
    ):
        try:
            return await original_sign_in_up_post(
                provider,
                redirect_uri_info,
                oauth_tokens,
                session,
                should_try_linking_with_session_user,
                tenant_id,
                api_options,
                user_context,
            )
        except ProviderRefused as refused:
            log.warning("sign-in with %s refused: %s", provider.id, refused)
            return GeneralErrorResponse(NOT_CONFIRMED)

    original_implementation.sign_in_up_post = sign_in_up_post  # type: ignore[method-assign]
    return original_implementation
