"""The providers the settings configure (the behavioural suite signs in through one)."""

from __future__ import annotations

from core.additions.sign_in_providers import SignInProviderSettings, providers
from core.settings import Settings


def test_no_provider_unless_configured() -> None:
    assert providers(SignInProviderSettings()) == []


def test_google_github_and_a_company_idp_side_by_side() -> None:
    settings = Settings.from_env(
        {
            "GOOGLE_CLIENT_ID": "g-id",
            "GOOGLE_CLIENT_SECRET": "g-secret",
            "GITHUB_CLIENT_ID": "gh-id",
            "GITHUB_CLIENT_SECRET": "gh-secret",
            "OIDC_ISSUER": "https://sso.example.com/realms/acme",
            "OIDC_CLIENT_ID": "app",
            "OIDC_CLIENT_SECRET": "app-secret",
            "OIDC_PROVIDER_ID": "acme-sso",
        }
    )

    google, github, company = providers(settings.read(SignInProviderSettings))

    assert [p.config.third_party_id for p in (google, github, company)] == [
        "google",
        "github",
        "acme-sso",
    ]
    assert [(c.client_id, c.client_secret) for c in google.config.clients or []] == [
        ("g-id", "g-secret")
    ]
    assert company.config.oidc_discovery_endpoint == (
        "https://sso.example.com/realms/acme/.well-known/openid-configuration"
    )
    [client] = company.config.clients or []
    assert (client.client_id, client.client_secret) == ("app", "app-secret")
    assert (client.scope, client.force_pkce) == (["openid", "email"], True)
    assert all(p.override is not None for p in (google, github, company))
