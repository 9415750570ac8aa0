"""Initialising supertokens-python against a devcore, and undoing it between tests.

The SDK keeps its configuration in process-wide singletons; its ``reset`` helpers (only
allowed with ``SUPERTOKENS_ENV=testing``) let each test start from a clean SDK.
"""

from __future__ import annotations

import os

from supertokens_python import InputAppInfo, Supertokens, SupertokensConfig, init
from supertokens_python.post_init_callbacks import PostSTInitCallbacks
from supertokens_python.recipe import (
    emailpassword,
    passwordless,
    session,
    thirdparty,
    usermetadata,
)
from supertokens_python.recipe.session.jwks import reset_jwks_cache
from supertokens_python.recipe_module import RecipeModule

# The SDK's reset helpers refuse to run unless this says so.
os.environ["SUPERTOKENS_ENV"] = "testing"


def init_sdk(connection_uri: str, api_key: str | None = None) -> None:
    """The guide's recipes: session, email/password, third party, phone OTP, metadata."""
    reset_sdk()
    init(
        app_info=InputAppInfo(
            app_name="devcore tests",
            api_domain="http://localhost:8000",
            website_domain="http://localhost:3000",
        ),
        supertokens_config=SupertokensConfig(
            connection_uri=connection_uri, api_key=api_key
        ),
        framework="fastapi",
        mode="asgi",
        recipe_list=[
            session.init(),
            emailpassword.init(),
            thirdparty.init(),
            passwordless.init(
                flow_type="USER_INPUT_CODE",
                contact_config=passwordless.ContactPhoneOnlyConfig(),
            ),
            usermetadata.init(),
        ],
    )


def reset_sdk() -> None:
    # Every recipe class imported so far may hold an initialised singleton.
    for recipe in RecipeModule.__subclasses__():
        recipe.reset()
    Supertokens.reset()
    PostSTInitCallbacks.reset()
    reset_jwks_cache()
