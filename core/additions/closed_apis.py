"""An addition: the SDK's APIs this app does not offer, switched off.

* Passwordless is only ever a second factor here, so nobody needs to ask whether a
  phone (or an email) has an account; answering would tell strangers which phones
  guard which accounts.
* For the same reason the login-methods API, which frontends build their sign-in page
  from, does not list the phone's code as a first factor: it can only ever fail there.
* The SDK adds an OAuth2 provider recipe unless one is listed. This app is no OAuth2
  provider, and those APIs would answer (and fail) under ``/auth/oauth``; it is listed
  with every API off, and the SDK then leaves those paths alone (404).
"""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe import multitenancy, oauth2provider
from supertokens_python.recipe.multitenancy.interfaces import (
    APIInterface as MultitenancyAPIs,
)
from supertokens_python.recipe.multitenancy.interfaces import (
    APIOptions as MultitenancyAPIOptions,
)
from supertokens_python.recipe.multitenancy.interfaces import (
    LoginMethodsGetOkResult,
)
from supertokens_python.recipe.oauth2provider.interfaces import (
    APIInterface as OAuth2APIs,
)
from supertokens_python.recipe.passwordless.interfaces import (
    APIInterface as PasswordlessAPIs,
)
from supertokens_python.supertokens import RecipeInit
from supertokens_python.types.response import GeneralErrorResponse

from core.additions import overrides, with_layer


def added(recipes: list[RecipeInit]) -> list[RecipeInit]:
    return [
        *with_layer(recipes, {"passwordless": overrides(apis=without_exists_apis)}),
        multitenancy.init(
            override=multitenancy.MultitenancyOverrideConfig(
                apis=passwordless_not_a_first_factor
            )
        ),
        oauth2provider.init(
            override=oauth2provider.OAuth2ProviderOverrideConfig(apis=without_any_api)
        ),
    ]


def without_exists_apis(apis: PasswordlessAPIs) -> PasswordlessAPIs:
    apis.disable_phone_number_exists_get = True
    apis.disable_email_exists_get = True
    return apis


PASSWORDLESS_FACTORS = ("otp-phone", "otp-email", "link-phone", "link-email")


def passwordless_not_a_first_factor(apis: MultitenancyAPIs) -> MultitenancyAPIs:
    login_methods_get = apis.login_methods_get

    async def second_factor_only(
        tenant_id: str,
        client_type: str | None,
        api_options: MultitenancyAPIOptions,
        user_context: dict[str, Any],
    ) -> LoginMethodsGetOkResult | GeneralErrorResponse:
        methods = await login_methods_get(
            tenant_id, client_type, api_options, user_context
        )
        if isinstance(methods, LoginMethodsGetOkResult):
            methods.first_factors = [
                factor
                for factor in methods.first_factors
                if factor not in PASSWORDLESS_FACTORS
            ]
        return methods

    apis.login_methods_get = second_factor_only
    return apis


def without_any_api(apis: OAuth2APIs) -> OAuth2APIs:
    for flag in vars(apis):
        if flag.startswith("disable_"):
            setattr(apis, flag, True)
    return apis
