"""How many password reset emails may be sent, so that nobody's mailbox can be flooded.

Anyone may ask for a reset link for any address, without signing in: without a limit,
a script could make the app mail someone without end, at the app's cost and its
sender's reputation. Two limits, on the address as submitted, trimmed and lower-cased
(``Ada@x.org`` is ``ada@x.org``'s mailbox too): a cooldown between two emails to one
address, and a cap per address per hour.

Every request for an address counts, whether an account has that address or not. The
SDK answers ``OK`` either way, so that nobody learns who has an account; a limit that
counted only the emails that went out would tell it instead (a known address throttled
where an unknown one is not). A request is given back only if the SDK raised (the core
or the mail server was unreachable, and the person may try again at once).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from supertokens_python.recipe.emailpassword.interfaces import (
    APIInterface,
    APIOptions,
    GeneratePasswordResetTokenPostNotAllowedResponse,
    GeneratePasswordResetTokenPostOkResult,
)
from supertokens_python.recipe.emailpassword.types import FormField
from supertokens_python.types.response import GeneralErrorResponse

from core.additions.send_limits.settings import SendLimitSettings
from core.additions.send_limits.throttle import Limit, SendKind, SendThrottle

ResetTokenPostResult = (
    GeneratePasswordResetTokenPostOkResult
    | GeneratePasswordResetTokenPostNotAllowedResponse
    | GeneralErrorResponse
)


def reset_email_sends(settings: SendLimitSettings) -> SendKind:
    return SendKind(
        "reset_email_sends",
        (
            Limit.cooldown(("address",), settings.reset_email_cooldown_seconds),
            Limit.hourly(("address",), settings.reset_email_max_per_address_per_hour),
        ),
        "password reset emails",
    )


def counted_address(email: str) -> str:
    """The address as the limits count it: one mailbox, however it was typed."""
    return email.strip().lower()


def limit_reset_emails(
    throttle: SendThrottle, original_implementation: APIInterface
) -> APIInterface:
    apis = original_implementation
    apis.generate_password_reset_token_post = partial(
        generate_password_reset_token_post,
        throttle,
        apis.generate_password_reset_token_post,
    )
    return apis


async def generate_password_reset_token_post(
    throttle: SendThrottle,
    original: Callable[..., Awaitable[ResetTokenPostResult]],
    form_fields: list[FormField],
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> ResetTokenPostResult:
    # The SDK has checked the form: there is one email field, a string.
    email = next(field.value for field in form_fields if field.id == "email")
    return await throttle.within_limits(
        {"address": counted_address(email)},
        lambda: original(form_fields, tenant_id, api_options, user_context),
        went_out=lambda _answered: True,
    )
