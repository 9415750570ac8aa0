"""Where the emails go: a local outbox file by default, an SMTP server when one is set.

The only email this app sends is emailpassword's password reset link. Left to itself,
the SDK would post it to SuperTokens' hosted email service, over the internet; here it
is appended to the email outbox (``core.outbox``), which the demo and the tests read,
until ``SMTP_HOST`` and ``SMTP_FROM`` name a server. The link holds a token that sets
the account's password, so it goes only there: never to a response or a log line.
"""

from __future__ import annotations

from typing import Any

from supertokens_python.ingredients.emaildelivery.types import (
    EmailDeliveryConfig,
    EmailDeliveryInterface,
    SMTPSettings,
    SMTPSettingsFrom,
)
from supertokens_python.recipe.emailpassword import SMTPService
from supertokens_python.recipe.emailpassword.types import EmailTemplateVars

from core.outbox import append_message
from core.settings import Settings


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


def email_delivery(settings: Settings) -> EmailDeliveryConfig[EmailTemplateVars]:
    if settings.smtp is None:
        return EmailDeliveryConfig(service=OutboxEmailService(settings.email_outbox))
    smtp = settings.smtp
    return EmailDeliveryConfig(
        service=SMTPService(
            SMTPSettings(
                host=smtp.host,
                port=smtp.port,
                from_=SMTPSettingsFrom(name=smtp.from_name, email=smtp.from_email),
                username=smtp.username,
                password=smtp.password,
                secure=smtp.secure,
            )
        )
    )
