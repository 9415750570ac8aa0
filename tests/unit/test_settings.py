"""The settings: each read from its variable, with its default, and refused at start
when it cannot be right."""

from __future__ import annotations

from dataclasses import fields

import pytest

from core.additions.password_reset import ResetEmailSettings
from core.additions.request_guard import RequestGuardSettings
from core.additions.send_limits.settings import SendLimitSettings
from core.additions.sign_in_providers import SignInProviderSettings
from core.settings import Settings, declared_settings
from core.sms import SmsSettings


def test_defaults_when_nothing_is_set() -> None:
    settings = Settings.from_env({})

    assert settings.connection_uri == "http://127.0.0.1:3567"
    assert settings.api_key is None
    assert settings.api_domain == "http://localhost:3001"
    assert settings.website_domain == "http://localhost:3000"
    assert settings.read(SmsSettings).otp_outbox == "otp-outbox.jsonl"
    assert settings.read(SmsSettings).twilio() is None
    assert settings.read(SignInProviderSettings).oauth_clients() == {}
    assert settings.read(SignInProviderSettings).oidc_issuer is None


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(
        {
            "SUPERTOKENS_CONNECTION_URI": "https://core.example.com",
            "SUPERTOKENS_API_KEY": "key",
            "API_DOMAIN": "https://api.example.com",
            "WEBSITE_DOMAIN": "https://example.com",
            "APP_NAME": "Example",
            "OTP_OUTBOX": "/tmp/outbox.jsonl",
            "TWILIO_ACCOUNT_SID": "AC123",
            "TWILIO_AUTH_TOKEN": "token",
            "TWILIO_FROM": "+14155550100",
            "GITHUB_CLIENT_ID": "id",
            "GITHUB_CLIENT_SECRET": "secret",
            "OIDC_ISSUER": "https://sso.example.com/realms/acme",
            "OIDC_CLIENT_ID": "app",
            "OIDC_CLIENT_SECRET": "app-secret",
            "OIDC_PROVIDER_ID": "acme-sso",
            "OIDC_PROVIDER_NAME": "Acme",
        }
    )

    assert settings.connection_uri == "https://core.example.com"
    assert settings.api_key == "key"
    assert settings.app_info().api_domain == "https://api.example.com"
    assert settings.app_info().website_domain == "https://example.com"
    assert settings.app_name == "Example"
    sms = settings.read(SmsSettings)
    assert sms.otp_outbox == "/tmp/outbox.jsonl"
    twilio = sms.twilio()
    assert twilio is not None and twilio.from_ == "+14155550100"
    providers = settings.read(SignInProviderSettings)
    assert list(providers.oauth_clients()) == ["github"]
    assert (providers.oidc_issuer, providers.oidc_client_id) == (
        "https://sso.example.com/realms/acme",
        "app",
    )
    assert (providers.oidc_client_secret, providers.oidc_provider_id) == (
        "app-secret",
        "acme-sso",
    )
    assert providers.oidc_provider_name == "Acme"


def test_twilio_needs_a_sender_as_well_as_credentials() -> None:
    settings = Settings.from_env(
        {"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "token"}
    )

    assert settings.read(SmsSettings).twilio() is None


def test_empty_variables_count_as_unset() -> None:
    assert (
        Settings.from_env({"SUPERTOKENS_API_KEY": "", "API_DOMAIN": ""}) == Settings()
    )


def test_the_send_limits_and_the_body_limit_have_defaults_and_are_read() -> None:
    defaults = Settings.from_env({})
    assert defaults.read(SendLimitSettings).sms_cooldown_seconds == 10
    assert defaults.read(RequestGuardSettings).max_request_body_bytes == 65536

    settings = Settings.from_env(
        {
            "SMS_COOLDOWN_SECONDS": "0",
            "SMS_MAX_PER_PHONE_PER_HOUR": "3",
            "SMS_MAX_PER_USER_PER_HOUR": "4",
            "RESET_EMAIL_COOLDOWN_SECONDS": "0",
            "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR": "2",
            "STATE_DB": "/var/lib/app/state.sqlite3",
            "MAX_REQUEST_BODY_BYTES": "1024",
        }
    )

    limits = settings.read(SendLimitSettings)
    assert (limits.sms_cooldown_seconds, limits.sms_max_per_phone_per_hour) == (0, 3)
    assert limits.sms_max_per_user_per_hour == 4
    assert (
        limits.reset_email_cooldown_seconds,
        limits.reset_email_max_per_address_per_hour,
    ) == (0, 2)
    assert settings.state_db == "/var/lib/app/state.sqlite3"
    assert settings.read(RequestGuardSettings).max_request_body_bytes == 1024


def test_the_reset_email_limits_default_to_a_minute_and_five_an_hour() -> None:
    defaults = Settings.from_env({}).read(SendLimitSettings)
    assert (
        defaults.reset_email_cooldown_seconds,
        defaults.reset_email_max_per_address_per_hour,
    ) == (60, 5)


@pytest.mark.parametrize("value", ["ten", "-1", "1.5"])
def test_a_limit_that_is_not_a_whole_number_stops_the_app_at_start(value: str) -> None:
    settings = Settings.from_env({"SMS_MAX_PER_PHONE_PER_HOUR": value})
    with pytest.raises(ValueError, match="SMS_MAX_PER_PHONE_PER_HOUR"):
        settings.read(SendLimitSettings)


@pytest.mark.parametrize(
    "name", ["RESET_EMAIL_COOLDOWN_SECONDS", "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR"]
)
def test_a_reset_email_limit_that_is_not_a_whole_number_stops_the_app_at_start(
    name: str,
) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: "-1"}).read(SendLimitSettings)


SMTP = {"SMTP_HOST": "smtp.example.com", "SMTP_FROM": "no-reply@example.com"}


def reset_email_settings(env: dict[str, str]) -> ResetEmailSettings:
    return Settings.from_env(env).read(ResetEmailSettings)


def test_emails_go_to_the_outbox_unless_smtp_is_set() -> None:
    settings = reset_email_settings({})

    assert (settings.email_outbox, settings.smtp("App")) == ("email-outbox.jsonl", None)
    assert (
        reset_email_settings({"EMAIL_OUTBOX": "/tmp/mail.jsonl"}).email_outbox
        == "/tmp/mail.jsonl"
    )


def test_smtp_has_defaults_for_all_but_the_host_and_the_sender() -> None:
    smtp = reset_email_settings(SMTP).smtp("Example")

    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.secure) == ("smtp.example.com", 587, False)
    assert (smtp.from_.email, smtp.from_.name) == ("no-reply@example.com", "Example")
    assert (smtp.username, smtp.password) == (None, None)
    secure = reset_email_settings({**SMTP, "SMTP_SECURE": "TRUE"}).smtp("Example")
    assert secure is not None and (secure.port, secure.secure) == (465, True)


@pytest.mark.parametrize("only", ["SMTP_HOST", "SMTP_FROM"])
def test_an_smtp_host_without_a_sender_or_the_reverse_stops_the_app(only: str) -> None:
    with pytest.raises(
        ValueError, match="SMTP_HOST and SMTP_FROM must be set together"
    ):
        reset_email_settings({only: SMTP[only]})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SMTP_SECURE", "yes"),
        ("SMTP_PORT", "0"),
        ("SMTP_PORT", "65536"),
        ("SMTP_PORT", "smtp"),
        ("SMTP_PORT", "\u00b2"),
    ],
)
def test_a_malformed_smtp_setting_stops_the_app_at_start(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        reset_email_settings({**SMTP, name: value})


OIDC = {
    "OIDC_ISSUER": "https://tenant.auth0.example/",
    "OIDC_CLIENT_ID": "app",
    "OIDC_CLIENT_SECRET": "app-secret",
}


def provider_settings(env: dict[str, str]) -> SignInProviderSettings:
    return Settings.from_env(env).read(SignInProviderSettings)


def test_an_oidc_provider_has_defaults_and_its_discovery_document_under_the_issuer() -> (
    None
):
    oidc = provider_settings(OIDC)

    assert (oidc.oidc_provider_id, oidc.oidc_provider_name) == (
        "oidc",
        "Single sign-on",
    )
    assert (
        oidc.discovery_url
        == "https://tenant.auth0.example/.well-known/openid-configuration"
    )
    assert oidc.is_issuer("https://tenant.auth0.example")
    assert oidc.is_issuer("https://tenant.auth0.example/")
    assert not oidc.is_issuer("https://tenant.auth0.example/other")
    assert not oidc.is_issuer(None)


@pytest.mark.parametrize("left_out", list(OIDC))
def test_an_oidc_provider_half_configured_stops_the_app_at_start(left_out: str) -> None:
    with pytest.raises(ValueError, match=left_out):
        provider_settings({**OIDC, left_out: ""})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OIDC_ISSUER", "sso.example.com"),
        ("OIDC_ISSUER", "ftp://sso.example.com"),
        ("OIDC_PROVIDER_ID", "okta-staff"),
        ("OIDC_PROVIDER_ID", "google"),
    ],
)
def test_an_oidc_provider_the_sdk_would_misread_stops_the_app_at_start(
    name: str, value: str
) -> None:
    with pytest.raises(ValueError, match=name):
        provider_settings({**OIDC, name: value})


def test_the_docs_tables_show_each_setting_as_the_code_declares_it() -> None:
    for cls in (
        Settings,
        SmsSettings,
        RequestGuardSettings,
        SendLimitSettings,
        ResetEmailSettings,
        SignInProviderSettings,
    ):
        declared = declared_settings(cls)
        defaults = cls()
        for (variable, default, meaning), field in zip(
            declared, [f for f in fields(cls) if "variable" in f.metadata], strict=True
        ):
            assert variable.isupper() and meaning.endswith("."), variable
            assert default == getattr(defaults, field.name), variable
    names = [v for cls in (Settings, SmsSettings) for v, _, _ in declared_settings(cls)]
    assert "SUPERTOKENS_CONNECTION_URI" in names and "OTP_OUTBOX" in names


def test_the_client_and_app_caps_have_defaults_and_no_proxy_is_trusted() -> None:
    defaults = Settings.from_env({}).read(SendLimitSettings)
    assert (defaults.sms_max_per_client_per_hour, defaults.sms_max_per_hour) == (
        20,
        1000,
    )
    assert defaults.trusted_proxy_hops == 0

    read = Settings.from_env(
        {
            "SMS_MAX_PER_CLIENT_PER_HOUR": "7",
            "SMS_MAX_PER_HOUR": "300",
            "TRUSTED_PROXY_HOPS": "2",
        }
    ).read(SendLimitSettings)
    assert (read.sms_max_per_client_per_hour, read.sms_max_per_hour) == (7, 300)
    assert read.trusted_proxy_hops == 2
