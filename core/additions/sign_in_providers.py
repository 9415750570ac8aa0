"""An addition: third-party sign-in as the first factor, and a provider's refusals as
answers.

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
logged. A provider that cannot be reached is an outage (``core.additions.outage``),
answered 503.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from supertokens_python.exceptions import SuperTokensError
from supertokens_python.recipe.session.interfaces import SessionContainer
from supertokens_python.recipe.thirdparty import SignInAndUpFeature
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
from supertokens_python.recipe.thirdparty.utils import ThirdPartyOverrideableConfig
from supertokens_python.supertokens import RecipeInit
from supertokens_python.types.response import GeneralErrorResponse

from core.additions import overrides, with_layer
from core.additions.outage import is_outage
from core.settings import Settings, setting

log = logging.getLogger(__name__)

NOT_CONFIRMED = (
    "The sign-in provider did not confirm who you are. Please sign in again."
)

T = TypeVar("T")


class ProviderRefused(Exception):
    """The provider, or the tokens sent in its name, did not vouch for a user."""


BUILT_IN_PROVIDERS = (
    "active-directory", "apple", "bitbucket", "boxy-saml", "discord", "facebook",
    "github", "gitlab", "google", "linkedin", "okta", "saml", "twitter",
)  # fmt: skip
"""The SDK configures a provider whose id begins with one of these its own way."""


@dataclass(frozen=True)
class SignInProviderSettings:
    google_client_id: str | None = setting(
        "GOOGLE_CLIENT_ID",
        None,
        "With ``GOOGLE_CLIENT_SECRET``, sign-in with Google is a first factor.",
    )
    google_client_secret: str | None = setting(
        "GOOGLE_CLIENT_SECRET", None, "The Google client's secret."
    )
    github_client_id: str | None = setting(
        "GITHUB_CLIENT_ID",
        None,
        "With ``GITHUB_CLIENT_SECRET``, sign-in with GitHub is a first factor.",
    )
    github_client_secret: str | None = setting(
        "GITHUB_CLIENT_SECRET", None, "The GitHub client's secret."
    )
    oidc_issuer: str | None = setting(
        "OIDC_ISSUER",
        None,
        "A company identity provider (Keycloak, Auth0, Okta...) as a first factor,"
        " through OpenID Connect: its issuer URL (the discovery document is read from"
        " ``<issuer>/.well-known/openid-configuration``). With ``OIDC_CLIENT_ID`` and"
        " ``OIDC_CLIENT_SECRET``: all three or none.",
    )
    oidc_client_id: str | None = setting(
        "OIDC_CLIENT_ID",
        None,
        "This app's client at the provider; its redirect URI is the frontend's"
        " callback page.",
    )
    oidc_client_secret: str | None = setting(
        "OIDC_CLIENT_SECRET", None, "That client's secret."
    )
    oidc_provider_id: str = setting(
        "OIDC_PROVIDER_ID",
        "oidc",
        "The ``thirdPartyId`` the frontend names it by. It must not begin with the"
        " name of a provider the SDK builds in (``google``, ``okta``...), which it"
        " would configure its own way.",
    )
    oidc_provider_name: str = setting(
        "OIDC_PROVIDER_NAME",
        "Single sign-on",
        "The name the login-methods API gives it, for the frontend's button.",
    )

    def __post_init__(self) -> None:
        given = {
            "OIDC_ISSUER": self.oidc_issuer,
            "OIDC_CLIENT_ID": self.oidc_client_id,
            "OIDC_CLIENT_SECRET": self.oidc_client_secret,
        }
        if any(given.values()) and not all(given.values()):
            missing = [name for name, value in given.items() if not value]
            raise ValueError(
                f"{', '.join(missing)} must be set too: set all of {tuple(given)}"
            )
        if self.oidc_issuer is not None:
            url = urlsplit(self.oidc_issuer)
            if url.scheme not in ("http", "https") or not url.netloc:
                raise ValueError(
                    f"OIDC_ISSUER must be an http(s) URL, not {self.oidc_issuer!r}"
                )
        if self.oidc_provider_id.startswith(BUILT_IN_PROVIDERS):
            raise ValueError(
                "OIDC_PROVIDER_ID must not begin with a built-in provider's name:"
                f" {self.oidc_provider_id!r}"
            )

    def oauth_clients(self) -> dict[str, tuple[str, str]]:
        """The built-in providers with a client id and secret: name, (id, secret)."""
        clients = {
            "google": (self.google_client_id, self.google_client_secret),
            "github": (self.github_client_id, self.github_client_secret),
        }
        return {
            name: (client_id, secret)
            for name, (client_id, secret) in clients.items()
            if client_id and secret
        }

    @property
    def discovery_url(self) -> str:
        assert self.oidc_issuer is not None
        return self.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"

    def is_issuer(self, iss: object) -> bool:
        """Whether an ID token's ``iss`` names the issuer (a trailing slash aside)."""
        return (
            isinstance(iss, str)
            and self.oidc_issuer is not None
            and iss.rstrip("/") == self.oidc_issuer.rstrip("/")
        )


def added(recipes: list[RecipeInit], settings: Settings) -> list[RecipeInit]:
    configured = providers(settings.read(SignInProviderSettings))

    def offering_providers(config: ThirdPartyOverrideableConfig) -> Any:
        config.sign_in_and_up_feature = SignInAndUpFeature(providers=configured)
        return config

    return with_layer(
        recipes,
        {
            "thirdparty": overrides(
                config=offering_providers, apis=override_third_party_apis
            )
        },
    )


def providers(settings: SignInProviderSettings) -> list[ProviderInput]:
    """Every provider configured in the environment; none by default."""
    found = [
        oauth_provider(name, client_id, secret)
        for name, (client_id, secret) in settings.oauth_clients().items()
    ]
    if settings.oidc_issuer is not None:
        found.append(oidc_provider(settings))
    return found


def oauth_provider(name: str, client_id: str, secret: str) -> ProviderInput:
    """One of the SDK's built-in providers (``google``, ``github``), by client."""
    return ProviderInput(
        config=ProviderConfig(
            third_party_id=name,
            clients=[ProviderClientConfig(client_id=client_id, client_secret=secret)],
        ),
        override=answering_refusals,
    )


def oidc_provider(oidc: SignInProviderSettings) -> ProviderInput:
    """A company identity provider, its endpoints and keys found by discovery."""
    assert oidc.oidc_client_id is not None and oidc.oidc_client_secret is not None

    async def issued_by_the_issuer(
        payload: dict[str, Any],
        _config: ProviderConfigForClient,
        _context: dict[str, Any],
    ) -> None:
        if not oidc.is_issuer(payload.get("iss")):
            raise ProviderRefused(
                f"ID token issued by {payload.get('iss')!r}, not {oidc.oidc_issuer}"
            )

    return ProviderInput(
        config=ProviderConfig(
            third_party_id=oidc.oidc_provider_id,
            name=oidc.oidc_provider_name,
            oidc_discovery_endpoint=oidc.discovery_url,
            clients=[
                ProviderClientConfig(
                    client_id=oidc.oidc_client_id,
                    client_secret=oidc.oidc_client_secret,
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
    """``provider``, raising ``ProviderRefused`` whenever it vouches for nobody."""
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

    provider.exchange_auth_code_for_oauth_tokens = exchange_auth_code_for_oauth_tokens
    provider.get_user_info = get_user_info
    return provider


async def refused_unless_done(step: Awaitable[T]) -> T:
    """The provider step's result; what it raises, as ``ProviderRefused`` unless it is
    an outage or an answer of the SDK's own. These steps only read what the provider (or
    the frontend, in its name) sent: failing on it means nobody was vouched for."""
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

    original_implementation.sign_in_up_post = sign_in_up_post
    return original_implementation
