"""An addition: password reset emails to a local outbox, or an SMTP server when set,
and a reset that ends the account's sessions.

The only email this app sends is emailpassword's password reset link. Left to itself,
the SDK would post it to SuperTokens' hosted email service, over the internet; here it
is appended to the email outbox (``core.outbox``), which the demo and the tests read,
until ``SMTP_HOST`` and ``SMTP_FROM`` name a server. The link holds a token that sets
the account's password, so it goes only there: never to a response or a log line.

A reset ends every session of the account. The person resetting has none (they come
from the emailed link), and a session opened before it with the old password, by
someone who guessed it, must not survive to enrol a phone or to hold the account.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from supertokens_python.ingredients.emaildelivery.types import (
    EmailDeliveryConfig,
    EmailDeliveryInterface,
    SMTPSettings,
    SMTPSettingsFrom,
)
from supertokens_python.recipe.emailpassword import SMTPService
from supertokens_python.recipe.emailpassword.interfaces import (
    APIInterface,
    APIOptions,
    PasswordPolicyViolationError,
    PasswordResetPostOkResult,
    PasswordResetTokenInvalidError,
)
from supertokens_python.recipe.emailpassword.types import (
    EmailTemplateVars,
    FormField,
)
from supertokens_python.recipe.emailpassword.utils import (
    EmailPasswordOverrideableConfig,
)
from supertokens_python.recipe.session.asyncio import revoke_all_sessions_for_user
from supertokens_python.supertokens import RecipeInit
from supertokens_python.types.response import GeneralErrorResponse

from core.additions import overrides, with_layer
from core.outbox import append_message
from core.settings import Settings, setting

PasswordResetPostResult = (
    PasswordResetPostOkResult
    | PasswordResetTokenInvalidError
    | PasswordPolicyViolationError
    | GeneralErrorResponse
)


@dataclass(frozen=True)
class ResetEmailSettings:
    email_outbox: str = setting(
        "EMAIL_OUTBOX",
        "email-outbox.jsonl",
        "The file the local email outbox appends each email to (the password reset"
        " links), one JSON object a line.",
    )
    smtp_host: str | None = setting(
        "SMTP_HOST",
        None,
        "With ``SMTP_FROM``, emails go out through this SMTP server instead of the"
        " outbox. One without the other stops the app at start.",
    )
    smtp_from: str | None = setting("SMTP_FROM", None, "The sender's address.")
    smtp_port: int | None = setting(
        "SMTP_PORT", None, "The SMTP server's port: 587, or 465 with ``SMTP_SECURE``."
    )
    smtp_secure: bool = setting(
        "SMTP_SECURE",
        False,
        "``true``: TLS from the first byte (usually port 465). ``false``: the"
        " connection is upgraded with STARTTLS when the server offers it (587).",
    )
    smtp_username: str | None = setting(
        "SMTP_USERNAME", None, "The login, with a password (``SMTP_FROM`` if unset)."
    )
    smtp_password: str | None = setting(
        "SMTP_PASSWORD", None, "With a password, the app logs in to the server."
    )
    smtp_from_name: str | None = setting(
        "SMTP_FROM_NAME", None, "The sender's name (``APP_NAME`` if unset)."
    )

    def __post_init__(self) -> None:
        if (self.smtp_host is None) != (self.smtp_from is None):
            raise ValueError("SMTP_HOST and SMTP_FROM must be set together")
        if self.smtp_port is not None and not 0 < self.smtp_port < 65536:
            raise ValueError(f"SMTP_PORT must be a port number, not {self.smtp_port}")

    def smtp(self, app_name: str) -> SMTPSettings | None:
        """The SMTP server's settings, if one is set."""
        if self.smtp_host is None or self.smtp_from is None:
            return None
        return SMTPSettings(
            host=self.smtp_host,
            port=self.smtp_port or (465 if self.smtp_secure else 587),
            from_=SMTPSettingsFrom(
                name=self.smtp_from_name or app_name, email=self.smtp_from
            ),
            username=self.smtp_username,
            password=self.smtp_password,
            secure=self.smtp_secure,
        )


def added(recipes: list[RecipeInit], settings: Settings) -> list[RecipeInit]:
    delivery = email_delivery(settings.read(ResetEmailSettings), settings.app_name)

    def delivering(config: EmailPasswordOverrideableConfig) -> Any:
        config.email_delivery = delivery
        return config

    return with_layer(
        recipes,
        {"emailpassword": overrides(config=delivering, apis=ending_sessions_on_reset)},
    )


def ending_sessions_on_reset(original_implementation: APIInterface) -> APIInterface:
    apis = original_implementation
    apis.password_reset_post = partial(password_reset_post, apis.password_reset_post)
    return apis


async def password_reset_post(
    original: Callable[..., Awaitable[PasswordResetPostResult]],
    form_fields: list[FormField],
    token: str,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> PasswordResetPostResult:
    result = await original(form_fields, token, tenant_id, api_options, user_context)
    if isinstance(result, PasswordResetPostOkResult):
        await revoke_all_sessions_for_user(result.user.id, user_context=user_context)
    return result


class OutboxEmailService(EmailDeliveryInterface[EmailTemplateVars]):
    """Appends each email to a JSON-lines file instead of sending it."""

    def __init__(self, path: str) -> None:
        self.path = path

    async def send_email(
        self, template_vars: EmailTemplateVars, user_context: dict[str, Any]
    ) -> None:
        message = {
            "type": "PASSWORD_RESET",
            "email": template_vars.user.email,
            "userId": template_vars.user.id,
            "passwordResetLink": template_vars.password_reset_link,
            "tenantId": template_vars.tenant_id,
        }
        append_message(self.path, message)


def email_delivery(
    settings: ResetEmailSettings, app_name: str
) -> EmailDeliveryConfig[EmailTemplateVars]:
    smtp = settings.smtp(app_name)
    if smtp is None:
        return EmailDeliveryConfig(service=OutboxEmailService(settings.email_outbox))
    return EmailDeliveryConfig(service=SMTPService(smtp))
