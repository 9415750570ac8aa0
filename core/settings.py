"""Every setting the examples read, from environment variables with documented defaults.

This is the only module that reads the environment, so the documentation and the
code cannot disagree. Unset and empty variables take the default.

``SUPERTOKENS_CONNECTION_URI`` (``http://127.0.0.1:3567``)
    The SuperTokens core: devcore by default, or a real one.
``SUPERTOKENS_API_KEY`` (none)
    The core's API key, if it has one.
``API_DOMAIN`` (``http://localhost:3001``)
    Where this backend is reached.
``WEBSITE_DOMAIN`` (``http://localhost:3000``)
    Where the frontend is served (allowed by CORS).
``APP_NAME`` (``Phone 2FA example``)
    The app's name, as SuperTokens shows it.
``OTP_OUTBOX`` (``otp-outbox.jsonl``)
    The file the local SMS outbox appends each code to, one JSON object a line.
``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_FROM`` (none)
    With the first two and a sender (``TWILIO_FROM`` or ``TWILIO_MESSAGING_SERVICE_SID``),
    SMS go out through Twilio instead of the outbox.
``EMAIL_OUTBOX`` (``email-outbox.jsonl``)
    The file the local email outbox appends each email to (the password reset links),
    one JSON object a line.
``SMTP_HOST``, ``SMTP_FROM`` (none)
    With both set, emails go out through this SMTP server, from this address, instead
    of the outbox. One without the other stops the app at start.
``SMTP_PORT`` (``587``, or ``465`` with ``SMTP_SECURE``)
    The SMTP server's port.
``SMTP_SECURE`` (``false``)
    ``true``: TLS from the first byte (usually port 465). ``false``: the connection is
    upgraded with STARTTLS when the server offers it (usually port 587).
``SMTP_USERNAME``, ``SMTP_PASSWORD`` (none)
    With a password, the app logs in as the username (``SMTP_FROM`` if unset).
``SMTP_FROM_NAME`` (``APP_NAME``)
    The sender's name.
``GOOGLE_CLIENT_ID``, ``GOOGLE_CLIENT_SECRET``, ``GITHUB_CLIENT_ID``, ``GITHUB_CLIENT_SECRET``
    (none) With a provider's id and secret both set, sign-in with it is offered as a
    first factor.
``OIDC_ISSUER``, ``OIDC_CLIENT_ID``, ``OIDC_CLIENT_SECRET`` (none)
    A company identity provider (Keycloak, Auth0, Okta...) as a first factor, through
    OpenID Connect: its issuer URL (the discovery document is read from
    ``<issuer>/.well-known/openid-configuration``) and this app's client there. All
    three or none; the client's redirect URI is the frontend's callback page.
``OIDC_PROVIDER_ID`` (``oidc``)
    The ``thirdPartyId`` the frontend names it by. It must not begin with the name of a
    provider the SDK builds in (``google``, ``okta``...), which it would configure its
    own way.
``OIDC_PROVIDER_NAME`` (``Single sign-on``)
    The name the login-methods API gives it, for the frontend's button.
``SMS_COOLDOWN_SECONDS`` (``10``)
    The least time between two codes sent for one session to one phone. Below the 15 s
    SuperTokens' prebuilt UI waits before it offers "resend", so that UI never hits it.
``SMS_MAX_PER_PHONE_PER_HOUR`` (``5``)
    The most codes one phone receives in an hour, whoever asks for them.
``SMS_MAX_PER_USER_PER_HOUR`` (``10``)
    The most codes one user can have sent in an hour, to any phones.
``RESET_EMAIL_COOLDOWN_SECONDS`` (``60``)
    The least time between two password reset emails to one address: about as long as
    an email may take to arrive.
``RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR`` (``5``)
    The most password reset emails one address receives in an hour, whoever asks.
``SMS_THROTTLE_DB`` (``sms-throttle.sqlite3``)
    The SQLite file in which every worker process records the codes and the password
    reset emails sent, so the limits hold across processes (hosts that do not share a
    disk each count alone).
``MAX_REQUEST_BODY_BYTES`` (``65536``)
    The largest body a SuperTokens API accepts; a larger one is answered 413.
    The interface's requests are under 2 KB; 64 KiB leaves room for OAuth tokens.

For the SMS and reset email limits, ``0`` turns that limit off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from supertokens_python import InputAppInfo, SupertokensConfig


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    from_: str | None
    messaging_service_sid: str | None


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class OidcSettings:
    """A company identity provider, reached by OpenID Connect discovery from its issuer."""

    issuer: str
    client_id: str
    client_secret: str
    third_party_id: str = "oidc"
    name: str = "Single sign-on"

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def is_issuer(self, iss: object) -> bool:
        """Whether an ID token's ``iss`` names this issuer (a trailing slash aside)."""
        return isinstance(iss, str) and iss.rstrip("/") == self.issuer.rstrip("/")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    from_email: str
    from_name: str
    username: str | None = None
    password: str | None = None
    secure: bool = False


THROTTLE_STORE = "sms-throttle.sqlite3"


@dataclass(frozen=True)
class SmsLimits:
    cooldown_seconds: int = 10
    max_per_phone_per_hour: int = 5
    max_per_user_per_hour: int = 10
    store: str = THROTTLE_STORE


@dataclass(frozen=True)
class ResetEmailLimits:
    cooldown_seconds: int = 60
    max_per_address_per_hour: int = 5
    store: str = THROTTLE_STORE


@dataclass(frozen=True)
class Settings:
    connection_uri: str = "http://127.0.0.1:3567"
    api_key: str | None = None
    api_domain: str = "http://localhost:3001"
    website_domain: str = "http://localhost:3000"
    app_name: str = "Phone 2FA example"
    otp_outbox: str = "otp-outbox.jsonl"
    email_outbox: str = "email-outbox.jsonl"
    twilio: TwilioSettings | None = None
    smtp: SmtpSettings | None = None
    oauth_clients: dict[str, OAuthClient] = field(default_factory=dict)
    oidc: OidcSettings | None = None
    sms_limits: SmsLimits = field(default_factory=SmsLimits)
    reset_email_limits: ResetEmailLimits = field(default_factory=ResetEmailLimits)
    max_request_body_bytes: int = 65536

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        defaults = cls()

        def read(name: str, default: str) -> str:
            return env.get(name) or default

        def optional(name: str) -> str | None:
            return env.get(name) or None

        def count(name: str, default: int) -> int:
            raw = env.get(name)
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(
                    f"{name} must be a whole number, not {raw!r}"
                ) from None
            if value < 0:
                raise ValueError(f"{name} must not be negative, not {raw!r}")
            return value

        limits, reset_limits = defaults.sms_limits, defaults.reset_email_limits
        store = read("SMS_THROTTLE_DB", THROTTLE_STORE)
        return cls(
            connection_uri=read("SUPERTOKENS_CONNECTION_URI", defaults.connection_uri),
            api_key=optional("SUPERTOKENS_API_KEY"),
            api_domain=read("API_DOMAIN", defaults.api_domain),
            website_domain=read("WEBSITE_DOMAIN", defaults.website_domain),
            app_name=read("APP_NAME", defaults.app_name),
            otp_outbox=read("OTP_OUTBOX", defaults.otp_outbox),
            email_outbox=read("EMAIL_OUTBOX", defaults.email_outbox),
            twilio=_twilio_from(env),
            smtp=_smtp_from(env, read("APP_NAME", defaults.app_name)),
            oauth_clients=_oauth_clients_from(env),
            oidc=_oidc_from(env),
            sms_limits=SmsLimits(
                cooldown_seconds=count("SMS_COOLDOWN_SECONDS", limits.cooldown_seconds),
                max_per_phone_per_hour=count(
                    "SMS_MAX_PER_PHONE_PER_HOUR", limits.max_per_phone_per_hour
                ),
                max_per_user_per_hour=count(
                    "SMS_MAX_PER_USER_PER_HOUR", limits.max_per_user_per_hour
                ),
                store=store,
            ),
            reset_email_limits=ResetEmailLimits(
                cooldown_seconds=count(
                    "RESET_EMAIL_COOLDOWN_SECONDS", reset_limits.cooldown_seconds
                ),
                max_per_address_per_hour=count(
                    "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR",
                    reset_limits.max_per_address_per_hour,
                ),
                store=store,
            ),
            max_request_body_bytes=count(
                "MAX_REQUEST_BODY_BYTES", defaults.max_request_body_bytes
            ),
        )

    def app_info(self) -> InputAppInfo:
        return InputAppInfo(
            app_name=self.app_name,
            api_domain=self.api_domain,
            website_domain=self.website_domain,
            api_base_path="/auth",
            website_base_path="/auth",
        )

    def supertokens_config(self) -> SupertokensConfig:
        return SupertokensConfig(
            connection_uri=self.connection_uri, api_key=self.api_key
        )


def _twilio_from(env: Mapping[str, str]) -> TwilioSettings | None:
    sid, token = env.get("TWILIO_ACCOUNT_SID"), env.get("TWILIO_AUTH_TOKEN")
    sender = env.get("TWILIO_FROM") or None
    service = env.get("TWILIO_MESSAGING_SERVICE_SID") or None
    if not (sid and token and (sender or service)):
        return None
    return TwilioSettings(sid, token, sender, service)


def _smtp_from(env: Mapping[str, str], app_name: str) -> SmtpSettings | None:
    host, sender = env.get("SMTP_HOST") or None, env.get("SMTP_FROM") or None
    if host is None and sender is None:
        return None
    if host is None or sender is None:
        raise ValueError("SMTP_HOST and SMTP_FROM must be set together")
    secure_raw = (env.get("SMTP_SECURE") or "false").lower()
    if secure_raw not in ("true", "false"):
        raise ValueError(
            f"SMTP_SECURE must be true or false, not {env['SMTP_SECURE']!r}"
        )
    secure = secure_raw == "true"
    port_raw = env.get("SMTP_PORT") or ("465" if secure else "587")
    port = int(port_raw) if port_raw.isascii() and port_raw.isdigit() else 0
    if not 0 < port < 65536:
        raise ValueError(f"SMTP_PORT must be a port number, not {port_raw!r}")
    return SmtpSettings(
        host=host,
        port=port,
        from_email=sender,
        from_name=env.get("SMTP_FROM_NAME") or app_name,
        username=env.get("SMTP_USERNAME") or None,
        password=env.get("SMTP_PASSWORD") or None,
        secure=secure,
    )


def _oauth_clients_from(env: Mapping[str, str]) -> dict[str, OAuthClient]:
    clients = {}
    for provider in ("google", "github"):
        client_id = env.get(f"{provider.upper()}_CLIENT_ID")
        secret = env.get(f"{provider.upper()}_CLIENT_SECRET")
        if client_id and secret:
            clients[provider] = OAuthClient(client_id, secret)
    return clients


OIDC_VARIABLES = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
BUILT_IN_PROVIDERS = (
    "active-directory", "apple", "bitbucket", "boxy-saml", "discord", "facebook", "github",
    "gitlab", "google", "linkedin", "okta", "saml", "twitter",
)  # fmt: skip
"""The SDK configures a provider whose id begins with one of these its own way."""


def _oidc_from(env: Mapping[str, str]) -> OidcSettings | None:
    issuer, client_id, secret = (env.get(name) or None for name in OIDC_VARIABLES)
    if not (issuer or client_id or secret):
        return None
    if not (issuer and client_id and secret):
        missing = [name for name in OIDC_VARIABLES if not env.get(name)]
        raise ValueError(
            f"{', '.join(missing)} must be set too: set all of {OIDC_VARIABLES}"
        )
    url = urlsplit(issuer)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ValueError(f"OIDC_ISSUER must be an http(s) URL, not {issuer!r}")
    defaults = OidcSettings("", "", "")
    third_party_id = env.get("OIDC_PROVIDER_ID") or defaults.third_party_id
    if third_party_id.startswith(BUILT_IN_PROVIDERS):
        raise ValueError(
            f"OIDC_PROVIDER_ID must not begin with a built-in provider's name: {third_party_id!r}"
        )
    name = env.get("OIDC_PROVIDER_NAME") or defaults.name
    return OidcSettings(issuer, client_id, secret, third_party_id, name)
