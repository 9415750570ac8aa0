from __future__ import annotations

import pytest

from core.settings import OidcSettings, Settings


def test_defaults_when_nothing_is_set() -> None:
    settings = Settings.from_env({})

    assert settings.connection_uri == "http://127.0.0.1:3567"
    assert settings.api_key is None
    assert settings.api_domain == "http://localhost:3001"
    assert settings.website_domain == "http://localhost:3000"
    assert settings.otp_outbox == "otp-outbox.jsonl"
    assert settings.twilio is None
    assert settings.oauth_clients == {}
    assert settings.oidc is None


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
    assert settings.otp_outbox == "/tmp/outbox.jsonl"
    assert settings.twilio is not None and settings.twilio.from_ == "+14155550100"
    assert list(settings.oauth_clients) == ["github"]
    assert settings.oidc == OidcSettings(
        "https://sso.example.com/realms/acme", "app", "app-secret", "acme-sso", "Acme"
    )


def test_twilio_needs_a_sender_as_well_as_credentials() -> None:
    settings = Settings.from_env(
        {"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "token"}
    )

    assert settings.twilio is None


def test_empty_variables_count_as_unset() -> None:
    assert (
        Settings.from_env({"SUPERTOKENS_API_KEY": "", "API_DOMAIN": ""}) == Settings()
    )


def test_sms_limits_and_the_body_limit_have_defaults_and_are_read() -> None:
    defaults = Settings.from_env({})
    assert (defaults.sms_limits.cooldown_seconds, defaults.max_request_body_bytes) == (
        10,
        65536,
    )

    settings = Settings.from_env(
        {
            "SMS_COOLDOWN_SECONDS": "0",
            "SMS_MAX_PER_PHONE_PER_HOUR": "3",
            "SMS_MAX_PER_USER_PER_HOUR": "4",
            "SMS_THROTTLE_DB": "/var/lib/app/throttle.sqlite3",
            "MAX_REQUEST_BODY_BYTES": "1024",
        }
    )

    limits = settings.sms_limits
    assert (limits.cooldown_seconds, limits.max_per_phone_per_hour) == (0, 3)
    assert (limits.max_per_user_per_hour, limits.store) == (
        4,
        "/var/lib/app/throttle.sqlite3",
    )
    assert settings.max_request_body_bytes == 1024


def test_reset_email_limits_have_defaults_are_read_and_share_the_sms_store() -> None:
    defaults = Settings.from_env({}).reset_email_limits
    assert (defaults.cooldown_seconds, defaults.max_per_address_per_hour) == (60, 5)
    assert defaults.store == Settings().sms_limits.store

    settings = Settings.from_env(
        {
            "RESET_EMAIL_COOLDOWN_SECONDS": "0",
            "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR": "3",
            "SMS_THROTTLE_DB": "/var/lib/app/throttle.sqlite3",
        }
    )

    limits = settings.reset_email_limits
    assert (limits.cooldown_seconds, limits.max_per_address_per_hour) == (0, 3)
    assert limits.store == settings.sms_limits.store == "/var/lib/app/throttle.sqlite3"


@pytest.mark.parametrize("value", ["ten", "-1", "1.5"])
def test_a_limit_that_is_not_a_whole_number_stops_the_app_at_start(value: str) -> None:
    with pytest.raises(ValueError, match="SMS_MAX_PER_PHONE_PER_HOUR"):
        Settings.from_env({"SMS_MAX_PER_PHONE_PER_HOUR": value})


@pytest.mark.parametrize(
    "name", ["RESET_EMAIL_COOLDOWN_SECONDS", "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR"]
)
def test_a_reset_email_limit_that_is_not_a_whole_number_stops_the_app_at_start(
    name: str,
) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: "-1"})


SMTP = {"SMTP_HOST": "smtp.example.com", "SMTP_FROM": "no-reply@example.com"}


def test_emails_go_to_the_outbox_unless_smtp_is_set() -> None:
    settings = Settings.from_env({})

    assert (settings.email_outbox, settings.smtp) == ("email-outbox.jsonl", None)
    assert (
        Settings.from_env({"EMAIL_OUTBOX": "/tmp/mail.jsonl"}).email_outbox
        == "/tmp/mail.jsonl"
    )


def test_smtp_has_defaults_for_all_but_the_host_and_the_sender() -> None:
    smtp = Settings.from_env({**SMTP, "APP_NAME": "Example"}).smtp

    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.secure) == ("smtp.example.com", 587, False)
    assert (smtp.from_email, smtp.from_name) == ("no-reply@example.com", "Example")
    assert (smtp.username, smtp.password) == (None, None)
    secure = Settings.from_env({**SMTP, "SMTP_SECURE": "TRUE"}).smtp
    assert secure is not None and (secure.port, secure.secure) == (465, True)


@pytest.mark.parametrize("only", ["SMTP_HOST", "SMTP_FROM"])
def test_an_smtp_host_without_a_sender_or_the_reverse_stops_the_app(only: str) -> None:
    with pytest.raises(
        ValueError, match="SMTP_HOST and SMTP_FROM must be set together"
    ):
        Settings.from_env({only: SMTP[only]})


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
        Settings.from_env({**SMTP, name: value})


OIDC = {
    "OIDC_ISSUER": "https://tenant.auth0.example/",
    "OIDC_CLIENT_ID": "app",
    "OIDC_CLIENT_SECRET": "app-secret",
}


def test_an_oidc_provider_has_defaults_and_its_discovery_document_under_the_issuer() -> (
    None
):
    oidc = Settings.from_env(OIDC).oidc

    assert oidc is not None
    assert (oidc.third_party_id, oidc.name) == ("oidc", "Single sign-on")
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
        Settings.from_env({**OIDC, left_out: ""})


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
        Settings.from_env({**OIDC, name: value})
