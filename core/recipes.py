"""Step 1 of the guide: the recipes, with the overrides of the later steps wired in.

``guide_recipe_list`` is the guide's list on supertokens-python 0.31, where
ThirdPartyEmailPassword has become two recipes, ``emailpassword`` and ``thirdparty``.
UserMetadata, which step 2 needs, is listed (0.31 would add it unasked), and codes go
to ``core.sms`` (an outbox file, or Twilio) rather than SuperTokens' hosted service.

``recipe_list``, what the examples pass to ``init``, is that list with this project's
additions on top (``core.additions``), one line each. Deleting a line, and the
addition's module, lifts it off and leaves the guide working.
"""

from __future__ import annotations

from functools import partial

from supertokens_python.recipe import (
    emailpassword,
    passwordless,
    session,
    thirdparty,
    usermetadata,
)
from supertokens_python.recipe.passwordless.interfaces import APIInterface
from supertokens_python.recipe.session.interfaces import RecipeInterface
from supertokens_python.supertokens import RecipeInit

from core.additions import (
    closed_apis,
    kept_core_client,
    password_reset,
    request_guard,
    send_limits,
    sign_in_providers,
)
from core.enrolment_lock import EnrolmentLock
from core.phone_check import create_code_post, resend_code_post
from core.second_factor import (
    consume_code_post,
    create_new_session,
    get_global_claim_validators,
    kept_session_transport,
)
from core.settings import Settings
from core.sms import SmsSettings, sms_delivery


def recipe_list(settings: Settings) -> list[RecipeInit]:
    """The guide's recipes, and each addition of this project as a layer on them."""
    recipes = guide_recipe_list(settings)
    recipes = sign_in_providers.added(recipes, settings)
    recipes = password_reset.added(recipes, settings)
    recipes = send_limits.added(recipes, settings)
    recipes = closed_apis.added(recipes)
    recipes = request_guard.added(recipes, settings)
    recipes = kept_core_client.added(recipes, settings)
    return recipes


def guide_recipe_list(settings: Settings) -> list[RecipeInit]:
    enrolment_lock = EnrolmentLock(settings.state_db, redis_url=settings.redis_url)
    return [
        session.init(
            get_token_transfer_method=kept_session_transport,
            override=session.InputOverrideConfig(functions=override_session_functions),
        ),
        emailpassword.init(),
        thirdparty.init(),
        passwordless.init(
            flow_type="USER_INPUT_CODE",
            contact_config=passwordless.ContactPhoneOnlyConfig(),
            sms_delivery=sms_delivery(settings.read(SmsSettings)),
            override=passwordless.InputOverrideConfig(
                apis=partial(override_passwordless_apis, enrolment_lock)
            ),
        ),
        usermetadata.init(),
    ]


def override_session_functions(
    original_implementation: RecipeInterface,
) -> RecipeInterface:
    """Steps 3 and 5: how sessions are made, and what every protected route requires."""
    functions = original_implementation
    functions.create_new_session = partial(
        create_new_session, functions.create_new_session
    )
    functions.get_global_claim_validators = get_global_claim_validators
    return functions


def override_passwordless_apis(
    enrolment_lock: EnrolmentLock, original_implementation: APIInterface
) -> APIInterface:
    """Steps 2 to 4: the passwordless APIs as a second factor."""
    apis = original_implementation
    apis.create_code_post = partial(create_code_post, apis.create_code_post)
    apis.resend_code_post = partial(resend_code_post, apis.resend_code_post)
    apis.consume_code_post = partial(
        consume_code_post, enrolment_lock, apis.consume_code_post
    )
    return apis
