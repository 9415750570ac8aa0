"""Which service sends the codes, and with what: every Twilio setting reaches the SDK."""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.passwordless import TwilioService

from core.settings import Settings
from core.sms import OutboxSmsService, SmsSettings, sms_delivery


def delivery(env: dict[str, str]) -> Any:
    return sms_delivery(Settings.from_env(env).read(SmsSettings))


TWILIO = {"TWILIO_ACCOUNT_SID": "AC0123", "TWILIO_AUTH_TOKEN": "token"}


def test_codes_go_to_the_outbox_file_until_twilio_is_configured() -> None:
    service = delivery({"OTP_OUTBOX": "codes.jsonl"}).service

    assert isinstance(service, OutboxSmsService)
    assert service.path == "codes.jsonl"


def test_twilio_sends_from_a_number() -> None:
    service = delivery({**TWILIO, "TWILIO_FROM": "+14155550100"}).service

    assert isinstance(service, TwilioService)
    assert (service.config.account_sid, service.config.auth_token) == (
        "AC0123",
        "token",
    )
    assert (service.config.from_, service.config.messaging_service_sid) == (
        "+14155550100",
        None,
    )


def test_twilio_sends_through_a_messaging_service() -> None:
    service = delivery({**TWILIO, "TWILIO_MESSAGING_SERVICE_SID": "MG0123"}).service

    assert isinstance(service, TwilioService)
    assert (service.config.from_, service.config.messaging_service_sid) == (
        None,
        "MG0123",
    )
