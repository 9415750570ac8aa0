"""Step 1 of the guide: the recipe list every example passes to ``init``.

The guide's ThirdPartyEmailPassword recipe is now two recipes, emailpassword and
thirdparty; the rest is as the guide has it: passwordless with an SMS code as the
second factor, sessions with the overrides, and UserMetadata to link the two users.
Password reset emails go to ``core.email_delivery``, not to SuperTokens' hosted service.
Every recipe's APIs sit behind ``core.api_guard`` (bad input, oversized bodies, outages),
the codes sent behind ``core.sms_throttle`` and the reset emails behind
``core.reset_email_throttle``. The SDK adds an OAuth2 provider recipe unless one is
listed; we list it with its APIs off, since this app is no OAuth2 provider and those APIs
would otherwise answer (and fail) under ``/auth/oauth``. The SDK adds multitenancy the
same way; it is listed as it is, so that its ``/auth/loginmethods`` (which reads the
identity provider's discovery document) is behind the guard too.
"""

from __future__ import annotations

from functools import partial

from supertokens_python.recipe import (
    emailpassword,
    multitenancy,
    oauth2provider,
    passwordless,
    session,
    thirdparty,
    usermetadata,
)
from supertokens_python.recipe.oauth2provider.interfaces import (
    APIInterface as OAuth2APIs,
)
from supertokens_python.supertokens import RecipeInit

from core.api_guard import guarded
from core.email_delivery import email_delivery
from core.emailpassword_override import override_emailpassword_apis
from core.passwordless_override import override_passwordless_apis
from core.reset_email_throttle import ResetEmailThrottle
from core.session_override import override_session_functions
from core.settings import Settings
from core.sms import sms_delivery
from core.sms_throttle import SmsThrottle
from core.third_party import override_third_party_apis, providers


def recipe_list(settings: Settings) -> list[RecipeInit]:
    sms_throttle = SmsThrottle(settings.sms_limits)
    reset_email_throttle = ResetEmailThrottle(settings.reset_email_limits)
    recipes = [
        session.init(
            override=session.InputOverrideConfig(functions=override_session_functions)
        ),
        emailpassword.init(
            email_delivery=email_delivery(settings),
            override=emailpassword.EmailPasswordOverrideConfig(
                apis=partial(override_emailpassword_apis, throttle=reset_email_throttle)
            ),
        ),
        thirdparty.init(
            sign_in_and_up_feature=thirdparty.SignInAndUpFeature(
                providers=providers(settings)
            ),
            override=thirdparty.InputOverrideConfig(apis=override_third_party_apis),
        ),
        passwordless.init(
            flow_type="USER_INPUT_CODE",
            contact_config=passwordless.ContactPhoneOnlyConfig(),
            sms_delivery=sms_delivery(settings),
            override=passwordless.InputOverrideConfig(
                apis=partial(override_passwordless_apis, throttle=sms_throttle)
            ),
        ),
        usermetadata.init(),
        multitenancy.init(),
        oauth2provider.init(
            override=oauth2provider.OAuth2ProviderOverrideConfig(apis=without_any_api)
        ),
    ]
    return [guarded(recipe, settings.max_request_body_bytes) for recipe in recipes]


def without_any_api(apis: OAuth2APIs) -> OAuth2APIs:
    """Every API of the recipe switched off: the SDK then leaves those paths alone (404)."""
    for flag in vars(apis):
        if flag.startswith("disable_"):
            setattr(apis, flag, True)
    return apis
