"""The send limits' settings. ``0`` turns a limit off."""

from __future__ import annotations

from dataclasses import dataclass

from core.settings import setting


@dataclass(frozen=True)
class SendLimitSettings:
    sms_cooldown_seconds: int = setting(
        "SMS_COOLDOWN_SECONDS",
        10,
        "The least time between two codes sent for one session to one phone. Below"
        " the 15 s SuperTokens' prebuilt UI waits before it offers to resend, so that"
        " UI never meets it.",
    )
    sms_max_per_phone_per_hour: int = setting(
        "SMS_MAX_PER_PHONE_PER_HOUR",
        5,
        "The most codes one phone receives in an hour, whoever asks for them.",
    )
    sms_max_per_user_per_hour: int = setting(
        "SMS_MAX_PER_USER_PER_HOUR",
        10,
        "The most codes one user can have sent in an hour, to any phones.",
    )
    reset_email_cooldown_seconds: int = setting(
        "RESET_EMAIL_COOLDOWN_SECONDS",
        60,
        "The least time between two password reset emails to one address: about as"
        " long as an email may take to arrive.",
    )
    reset_email_max_per_address_per_hour: int = setting(
        "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR",
        5,
        "The most password reset emails one address receives in an hour, whoever asks.",
    )
