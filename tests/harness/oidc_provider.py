"""A fake OpenID Connect provider: a company's identity provider, offline.

It does for the example's backend what Keycloak, Auth0 or Okta do, and is as strict as
they are, so that a misconfigured client fails a test:

* ``GET /.well-known/openid-configuration``: the discovery document;
* ``GET /authorize``: where a frontend sends the browser. There is no login page:
  ``login_hint`` names the person signing in (their email), who consents at once, and
  the answer redirects to ``redirect_uri`` with a code and the frontend's ``state``;
* ``POST /token``: a code is exchanged once, by the client it was issued to with that
  client's secret, for the redirect URI it was issued for and with the verifier of its
  PKCE challenge, for an access token and an RS256 ID token. Anything else gets
  ``401 invalid_client`` or ``400 invalid_grant``, as from a real provider;
* ``GET /jwks``: the public key; ``GET /userinfo``: the person an access token is for.

Several clients can be registered: another app of the same provider is how a test gets
tokens issued to someone other than the example. The server runs in a thread of the
test process, on a free loopback port.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

ID_TOKEN_LIFETIME_S = 300


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Grant:
    """What a code was issued for."""

    client_id: str
    redirect_uri: str
    code_challenge: str | None
    email: str


def subject(email: str) -> str:
    """The provider's stable user id for a person (the ID token's ``sub``)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{email}"))


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class FakeOidcProvider:
    def __init__(self, *clients: Client) -> None:
        self.clients = {client.client_id: client for client in clients}
        self.issuer = ""
        """``http://127.0.0.1:<port>``, once it serves."""
        self.socket = socket.socket()
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.grants: dict[str, Grant] = {}
        self.access_tokens: dict[str, str] = {}
        """Each access token issued, and whose (an email)."""
        self.lock = threading.Lock()
        self.app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", self.jwks),
                Route("/userinfo", self.userinfo),
            ]
        )

    @property
    def authorization_endpoint(self) -> str:
        return self.issuer + "/authorize"

    # -- what a test does with it --------------------------------------------------------

    def stop(self) -> None:
        """Stop serving (an outage); the block that started it stops it anyway."""
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)
        self.socket.close()  # refused from now on, not left waiting in the backlog

    def log_in(self, authorization_url: str, email: str) -> dict[str, str]:
        """The person ``email`` signs in at ``authorization_url``; returns the query the
        provider redirects the browser back with (``code`` and ``state``)."""
        separator = "&" if "?" in authorization_url else "?"
        url = authorization_url + separator + urlencode({"login_hint": email})
        answer = httpx.get(url, follow_redirects=False)
        assert answer.status_code == 302, (
            f"the provider refused the sign-in: {answer.text}"
        )
        return dict(parse_qsl(urlsplit(answer.headers["location"]).query))

    def tokens_for(self, client: Client, email: str) -> dict[str, Any]:
        """What ``client`` (another app) gets when ``email`` signs in to it."""
        redirect_uri = "http://localhost:4000/callback"
        query = urlencode(
            {
                "client_id": client.client_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": "openid email",
            }
        )
        code = self.log_in(f"{self.authorization_endpoint}?{query}", email)["code"]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client.client_id,
            "client_secret": client.client_secret,
        }
        answer = httpx.post(self.issuer + "/token", data=form)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def id_token(self, email: str, audience: str, **claims: Any) -> str:
        """An ID token signed with the provider's key; ``claims`` replace the usual ones."""
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "sub": subject(email),
            "aud": audience,
            "azp": audience,
            "iat": now,
            "exp": now + ID_TOKEN_LIFETIME_S,
            "email": email,
            "email_verified": True,
            **claims,
        }
        return jwt.encode(
            payload, self.key, algorithm="RS256", headers={"kid": self.kid}
        )

    # -- the endpoints -------------------------------------------------------------------

    async def discovery(self, _request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.authorization_endpoint,
                "token_endpoint": self.issuer + "/token",
                "userinfo_endpoint": self.issuer + "/userinfo",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["openid", "email"],
            }
        )

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        problem = None
        if query.get("client_id") not in self.clients:
            problem = "unknown client_id"
        elif query.get("response_type") != "code":
            problem = "response_type must be code"
        elif "openid" not in query.get("scope", "").split():
            problem = "scope must include openid"
        elif not query.get("redirect_uri") or not query.get("login_hint"):
            problem = "redirect_uri and login_hint are needed"
        elif (
            query.get("code_challenge") and query.get("code_challenge_method") != "S256"
        ):
            problem = "code_challenge_method must be S256"
        if problem is not None:  # no redirect, as a provider shows an error page
            return JSONResponse(
                {"error": "invalid_request", "error_description": problem}, 400
            )
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.grants[code] = Grant(
                query["client_id"],
                query["redirect_uri"],
                query.get("code_challenge"),
                query["login_hint"],
            )
        back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
        separator = "&" if "?" in query["redirect_uri"] else "?"
        return RedirectResponse(
            query["redirect_uri"] + separator + urlencode(back), 302
        )

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))  # x-www-form-urlencoded
        client = self.clients.get(form.get("client_id", ""))
        if client is None or form.get("client_secret") != client.client_secret:
            return JSONResponse({"error": "invalid_client"}, 401)
        if form.get("grant_type") != "authorization_code":
            return JSONResponse({"error": "unsupported_grant_type"}, 400)
        with self.lock:  # a code is spent by any attempt to use it, as RFC 6749 asks
            grant = self.grants.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier")
        if (
            grant is None
            or grant.client_id != client.client_id
            or grant.redirect_uri != form.get("redirect_uri")
            or (
                grant.code_challenge is not None
                and not (verifier and s256(verifier) == grant.code_challenge)
            )
        ):
            return JSONResponse({"error": "invalid_grant"}, 400)
        access_token = secrets.token_urlsafe(24)
        with self.lock:
            self.access_tokens[access_token] = grant.email
        return JSONResponse(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": ID_TOKEN_LIFETIME_S,
                "id_token": self.id_token(grant.email, client.client_id),
            },
            headers={"cache-control": "no-store"},
        )

    async def jwks(self, _request: Request) -> Response:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return JSONResponse(
            {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}
        )

    async def userinfo(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        email = self.access_tokens.get(token) if scheme.lower() == "bearer" else None
        if email is None:
            return JSONResponse({"error": "invalid_token"}, 401)
        return JSONResponse(
            {"sub": subject(email), "email": email, "email_verified": True}
        )


@contextmanager
def running_fake_oidc_provider(*clients: Client) -> Iterator[FakeOidcProvider]:
    """Serve a fake provider for ``clients`` on a free loopback port for the block."""
    provider = FakeOidcProvider(*clients)
    sock = provider.socket
    sock.bind(("127.0.0.1", 0))
    provider.issuer = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = provider.server = uvicorn.Server(
        uvicorn.Config(
            provider.app, log_level="warning", access_log=False, lifespan="off"
        )
    )
    thread = provider.thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="fake-oidc", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the fake OpenID Connect provider did not start")
            time.sleep(0.01)
        yield provider
    finally:
        provider.stop()


THE_EXAMPLE = Client("phone-2fa-example", "example-client-secret")
"""The example's client at the provider, as the suite registers it."""
ANOTHER_APP = Client("another-app", "another-app-secret")
"""Another app that signs its users in with the same provider."""
THIRD_PARTY_ID = "acme-sso"
"""The id the example gives the provider (``OIDC_PROVIDER_ID``), which frontends send."""
NAME = "Acme SSO"


def example_env(
    provider: FakeOidcProvider, client: Client = THE_EXAMPLE
) -> dict[str, str]:
    """The variables (``core.settings``) that make ``provider`` an example's first factor."""
    return {
        "OIDC_PROVIDER_ID": THIRD_PARTY_ID,
        "OIDC_PROVIDER_NAME": NAME,
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": client.client_id,
        "OIDC_CLIENT_SECRET": client.client_secret,
    }
