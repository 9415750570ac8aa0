from __future__ import annotations

from core.settings import Settings


def test_defaults_when_nothing_is_set() -> None:
    settings = Settings.from_env({})

    assert settings.connection_uri == "http://127.0.0.1:3567"
    assert settings.api_key is None
    assert settings.api_domain == "http://localhost:3001"
    assert settings.website_domain == "http://localhost:3000"
    assert settings.otp_outbox == "otp-outbox.jsonl"
    assert settings.twilio is None
    assert settings.oauth_clients == {}


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


def test_twilio_needs_a_sender_as_well_as_credentials() -> None:
    settings = Settings.from_env({"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "token"})

    assert settings.twilio is None


def test_empty_variables_count_as_unset() -> None:
    assert Settings.from_env({"SUPERTOKENS_API_KEY": "", "API_DOMAIN": ""}) == Settings()
