"""The emailpassword APIs: a reset link is mailed only within the reset email limits.

``generate_password_reset_token_post`` first asks ``core.reset_email_throttle``. A
throttled request sends nothing and is answered ``GENERAL_ERROR`` with the wait (as a
throttled SMS code is), the same whether an account has the address or not. Every
answered request counts, known address or not (the throttle's module says why); a
reservation is given back only if the SDK raised (the core or the mail server was
unreachable, and the person may try again at once).
"""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.emailpassword.interfaces import (
    APIInterface,
    APIOptions,
    GeneratePasswordResetTokenPostNotAllowedResponse,
    GeneratePasswordResetTokenPostOkResult,
)
from supertokens_python.recipe.emailpassword.types import FormField
from supertokens_python.types.response import GeneralErrorResponse

from core.reset_email_throttle import ResetEmailThrottle
from core.send_throttle import Throttled, ThrottledResponse


def override_emailpassword_apis(
    original_implementation: APIInterface, throttle: ResetEmailThrottle
) -> APIInterface:
    original_generate_password_reset_token_post = (
        original_implementation.generate_password_reset_token_post
    )

    async def generate_password_reset_token_post(
        form_fields: list[FormField],
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> (
        GeneratePasswordResetTokenPostOkResult
        | GeneratePasswordResetTokenPostNotAllowedResponse
        | GeneralErrorResponse
    ):
        # The SDK has checked the form: there is one email field, a string.
        email = next(field.value for field in form_fields if field.id == "email")
        reservation = await throttle.reserve(email)
        if isinstance(reservation, Throttled):
            return ThrottledResponse(reservation)
        async with throttle.released_unless_sent(reservation) as sent:
            result = await original_generate_password_reset_token_post(
                form_fields, tenant_id, api_options, user_context
            )
            sent(
                True
            )  # answered, so it counts: with an email or (unknown address) without
        return result

    original_implementation.generate_password_reset_token_post = (  # type: ignore[method-assign]
        generate_password_reset_token_post
    )
    return original_implementation
