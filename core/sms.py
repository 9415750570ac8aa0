"""Where the codes go: a local outbox file by default, Twilio when it is configured.

The guide leaves this to SuperTokens' hosted SMS service, over the internet. Here the
outbox (``core.outbox``) is how the demo and the tests read the code a phone would have
received, offline. The code is written only there: never to a response or a log line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from supertokens_python.ingredients.smsdelivery.types import (
    SMSDeliveryConfig,
    SMSDeliveryInterface,
    TwilioSettings,
)
from supertokens_python.recipe.passwordless import TwilioService
from supertokens_python.recipe.passwordless.types import SMSTemplateVars

from core.outbox import append_message
from core.settings import setting


@dataclass(frozen=True)
class SmsSettings:
    otp_outbox: str = setting(
        "OTP_OUTBOX",
        "otp-outbox.jsonl",
        "The file the local SMS outbox appends each code to, one JSON object a line.",
    )
    twilio_account_sid: str | None = setting(
        "TWILIO_ACCOUNT_SID",
        None,
        "With ``TWILIO_AUTH_TOKEN`` and a sender, codes go out through Twilio instead"
        " of the outbox.",
    )
    twilio_auth_token: str | None = setting(
        "TWILIO_AUTH_TOKEN", None, "The Twilio account's auth token."
    )
    twilio_from: str | None = setting(
        "TWILIO_FROM", None, "The sender: a Twilio phone number..."
    )
    twilio_messaging_service_sid: str | None = setting(
        "TWILIO_MESSAGING_SERVICE_SID", None, "...or a Twilio messaging service."
    )

    def twilio(self) -> TwilioSettings | None:
        """Twilio's settings, if an account, its token and a sender are all set."""
        sender, service = self.twilio_from, self.twilio_messaging_service_sid
        if not (
            self.twilio_account_sid and self.twilio_auth_token and (sender or service)
        ):
            return None
        return TwilioSettings(
            account_sid=self.twilio_account_sid,
            auth_token=self.twilio_auth_token,
            from_=sender,
            messaging_service_sid=service,
        )


class OutboxSmsService(SMSDeliveryInterface[SMSTemplateVars]):
    """Appends each SMS to a JSON-lines file instead of sending it."""

    def __init__(self, path: str) -> None:
        self.path = path

    async def send_sms(
        self, template_vars: SMSTemplateVars, user_context: dict[str, Any]
    ) -> None:
        message = {
            "phoneNumber": template_vars.phone_number,
            "userInputCode": template_vars.user_input_code,
            "preAuthSessionId": template_vars.pre_auth_session_id,
            "codeLifetime": template_vars.code_life_time,
            "tenantId": template_vars.tenant_id,
        }
        append_message(self.path, message)


def sms_delivery(settings: SmsSettings) -> SMSDeliveryConfig[SMSTemplateVars]:
    twilio = settings.twilio()
    if twilio is None:
        return SMSDeliveryConfig(service=OutboxSmsService(settings.otp_outbox))
    return SMSDeliveryConfig(service=TwilioService(twilio))
