"""An addition: the SDK's APIs this app does not offer, switched off.

* Passwordless is only ever a second factor here, so nobody needs to ask whether a
  phone (or an email) has an account; answering would tell strangers which phones
  guard which accounts.
* The SDK adds an OAuth2 provider recipe unless one is listed. This app is no OAuth2
  provider, and those APIs would answer (and fail) under ``/auth/oauth``; it is listed
  with every API off, and the SDK then leaves those paths alone (404).
"""

from __future__ import annotations

from supertokens_python.recipe import oauth2provider
from supertokens_python.recipe.oauth2provider.interfaces import (
    APIInterface as OAuth2APIs,
)
from supertokens_python.recipe.passwordless.interfaces import (
    APIInterface as PasswordlessAPIs,
)
from supertokens_python.supertokens import RecipeInit

from core.additions import overrides, with_layer


def added(recipes: list[RecipeInit]) -> list[RecipeInit]:
    return [
        *with_layer(recipes, {"passwordless": overrides(apis=without_exists_apis)}),
        oauth2provider.init(
            override=oauth2provider.OAuth2ProviderOverrideConfig(apis=without_any_api)
        ),
    ]


def without_exists_apis(apis: PasswordlessAPIs) -> PasswordlessAPIs:
    apis.disable_phone_number_exists_get = True
    apis.disable_email_exists_get = True
    return apis


def without_any_api(apis: OAuth2APIs) -> OAuth2APIs:
    for flag in vars(apis):
        if flag.startswith("disable_"):
            setattr(apis, flag, True)
    return apis
