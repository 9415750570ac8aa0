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
    sms_max_per_client_per_hour: int = setting(
        "SMS_MAX_PER_CLIENT_PER_HOUR",
        20,
        "The most codes sent in an hour at the requests of one client address (of an"
        " IPv6 one, its /64), for any users and phones: what a script signing up"
        " account after account can have sent.",
    )
    sms_max_per_hour: int = setting(
        "SMS_MAX_PER_HOUR",
        1000,
        "The most codes the whole app sends in an hour, whoever asks from however many"
        " addresses: the ceiling of the SMS bill. Once it is reached, nobody is sent a"
        " code until the oldest of the hour's leave it.",
    )
    trusted_proxy_hops: int = setting(
        "TRUSTED_PROXY_HOPS",
        0,
        "How many proxies in front of the app append the address they were called"
        " from to X-Forwarded-For: the client address is the entry that many from the"
        " right. 0, no proxy: the header is never read, as a client could write"
        " anything in it; the examples' uvicorn reads no proxy header itself.",
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
