"""Where the OTP goes: a local outbox file by default, Twilio when it is configured.

The outbox (``core.outbox``) is how the demo and the tests read the code a phone would
have received. The code is written only there: never to a response or a log line.
"""

from __future__ import annotations

from typing import Any

from supertokens_python.ingredients.smsdelivery.types import (
    SMSDeliveryConfig,
    SMSDeliveryInterface,
    TwilioSettings,
)
from supertokens_python.recipe.passwordless import TwilioService
from supertokens_python.recipe.passwordless.types import SMSTemplateVars

from core.outbox import append_message
from core.settings import Settings


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


def sms_delivery(settings: Settings) -> SMSDeliveryConfig[SMSTemplateVars]:
    if settings.twilio is None:
        return SMSDeliveryConfig(service=OutboxSmsService(settings.otp_outbox))
    twilio = settings.twilio
    return SMSDeliveryConfig(
        service=TwilioService(
            TwilioSettings(
                account_sid=twilio.account_sid,
                auth_token=twilio.auth_token,
                from_=twilio.from_,
                messaging_service_sid=twilio.messaging_service_sid,
            )
        )
    )
