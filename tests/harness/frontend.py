"""A client that speaks the Frontend Driver Interface the way a SuperTokens frontend does.

It keeps the session's tokens as a browser (cookies) or a mobile app (headers) would,
sends the anti-CSRF token back, and decodes the ``front-token`` header to read the
access-token payload exactly as the frontend SDK exposes it.

A cookie holds a token in the form the server wrote it: percent-encoded by the SDK
(``quote``), and wrapped in double quotes by some frameworks. A browser sends that form
back untouched; the token itself, the one a mobile app would send in a header, is what
the server reads out of it (:func:`token_in_cookie`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, unquote, urlencode

import httpx

from tests.harness.examples import AUTH_BASE_PATH, PROTECTED_ROUTE
from tests.harness.tls import shared_tls_context

TokenTransfer = Literal["cookie", "header"]


@dataclass
class OtpFlow:
    device_id: str
    pre_auth_session_id: str


@dataclass(frozen=True)
class ProviderRedirect:
    """A provider's redirect back to the frontend's callback page, and what the frontend
    kept for it when it sent the browser to the provider."""

    redirect_uri: str
    query: dict[str, Any]
    """The callback page's query: the provider's ``code``, the frontend's ``state``."""
    pkce_code_verifier: str | None = None


@dataclass
class Frontend:
    base_url: str
    transfer: TokenTransfer = "cookie"
    fdi_version: str | None = None
    on_exchange: Callable[[httpx.Response], None] | None = None
    """Called with every response (its ``.request`` is what was sent): the demo's narrator."""
    http: httpx.Client = field(init=False)
    front_token: str | None = field(default=None, init=False)
    anti_csrf: str | None = field(default=None, init=False)
    access_token: str | None = field(default=None, init=False)
    refresh_token: str | None = field(default=None, init=False)
    flow: OtpFlow | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.base_url, timeout=30, verify=shared_tls_context()
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Frontend:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- the flow, one FDI call each -------------------------------------------------

    def sign_up(self, email: str, password: str) -> httpx.Response:
        return self.post("/signup", _form(email=email, password=password))

    def sign_in(self, email: str, password: str) -> httpx.Response:
        return self.post("/signin", _form(email=email, password=password))

    def authorisation_url(
        self, third_party_id: str, redirect_uri: str
    ) -> httpx.Response:
        """Where to send the browser to sign in with a provider."""
        query = urlencode(
            {
                "thirdPartyId": third_party_id,
                "redirectURIOnProviderDashboard": redirect_uri,
            }
        )
        return self.request("GET", f"{AUTH_BASE_PATH}/authorisationurl?{query}")

    def sign_in_with_provider(
        self, third_party_id: str, redirect: ProviderRedirect
    ) -> httpx.Response:
        """Sign in (or up) with what the provider's redirect brought back."""
        info: dict[str, Any] = {
            "redirectURIOnProviderDashboard": redirect.redirect_uri,
            "redirectURIQueryParams": redirect.query,
        }
        if redirect.pkce_code_verifier is not None:
            info["pkceCodeVerifier"] = redirect.pkce_code_verifier
        return self.post(
            "/signinup", {"thirdPartyId": third_party_id, "redirectURIInfo": info}
        )

    def login_methods(self) -> httpx.Response:
        return self.request("GET", AUTH_BASE_PATH + "/loginmethods")

    def send_code(self, phone_number: str) -> httpx.Response:
        response = self.post("/signinup/code", {"phoneNumber": phone_number})
        body = response.json() if response.status_code == 200 else {}
        if body.get("status") == "OK":
            self.flow = OtpFlow(body["deviceId"], body["preAuthSessionId"])
        return response

    def resend_code(self, flow: OtpFlow | None = None) -> httpx.Response:
        flow = flow or self._current_flow()
        return self.post(
            "/signinup/code/resend",
            {"deviceId": flow.device_id, "preAuthSessionId": flow.pre_auth_session_id},
        )

    def enter_code(self, code: str, flow: OtpFlow | None = None) -> httpx.Response:
        flow = flow or self._current_flow()
        return self.post(
            "/signinup/code/consume",
            {
                "deviceId": flow.device_id,
                "preAuthSessionId": flow.pre_auth_session_id,
                "userInputCode": code,
            },
        )

    def me(self) -> httpx.Response:
        return self.request("GET", PROTECTED_ROUTE)

    def refresh(self) -> httpx.Response:
        return self.post("/session/refresh", None, bearer=self.refresh_token)

    def refresh_with(self, refresh_token: str) -> httpx.Response:
        """Refresh with a token of one's choosing (one copied from another frontend)."""
        if self.transfer == "header":
            return self.post("/session/refresh", None, bearer=refresh_token)
        return self.request(
            "POST",
            AUTH_BASE_PATH + "/session/refresh",
            headers={"cookie": f"sRefreshToken={cookie_value(refresh_token)}"},
        )

    def sign_out(self) -> httpx.Response:
        return self.post("/signout", None)

    def forgot_password(self, email: str) -> httpx.Response:
        """Ask for a password reset link by email (no session needed)."""
        return self.post("/user/password/reset/token", _form(email=email))

    def reset_password(self, token: str, new_password: str) -> httpx.Response:
        """Set a new password with the token of a reset link, as the reset page does."""
        return self.post(
            "/user/password/reset",
            {"method": "token", "token": token, **_form(password=new_password)},
        )

    # -- what the frontend SDK can see -----------------------------------------------

    @property
    def payload(self) -> dict[str, Any]:
        """The access-token payload, from the ``front-token`` header."""
        if self.front_token is None:
            return {}
        padded = self.front_token + "=" * (-len(self.front_token) % 4)
        return dict(json.loads(base64.b64decode(padded))["up"])

    @property
    def session_handle(self) -> str | None:
        handle = self.payload.get("sessionHandle")
        return handle if isinstance(handle, str) else None

    def use_access_token(self, token: str) -> None:
        """Send ``token`` from now on, where this frontend keeps its access token."""
        if self.transfer == "header":
            self.access_token = token
            return
        value = cookie_value(token)
        for cookie in self.http.cookies.jar:  # replace it in place, not beside it
            if cookie.name == "sAccessToken":
                self.http.cookies.set(
                    cookie.name, value, domain=cookie.domain, path=cookie.path
                )
                return
        self.http.cookies.set("sAccessToken", value)

    def refresh_token_now(self) -> str | None:
        """The refresh token this frontend holds, wherever it is kept."""
        if self.transfer == "header":
            return self.refresh_token
        return self._token_in_cookie("sRefreshToken")

    def access_token_now(self) -> str | None:
        """The access token the next request will carry, wherever it is kept."""
        if self.transfer == "header":
            return self.access_token
        return self._token_in_cookie("sAccessToken")

    def _token_in_cookie(self, name: str) -> str | None:
        for cookie in self.http.cookies.jar:
            if cookie.name == name and cookie.value is not None:
                return token_in_cookie(cookie.value)
        return None

    # -- plumbing --------------------------------------------------------------------

    def post(
        self, path: str, body: dict[str, Any] | None, *, bearer: str | None = None
    ) -> httpx.Response:
        return self.request("POST", AUTH_BASE_PATH + path, json=body, bearer=bearer)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        bearer: str | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if self.fdi_version is not None:
            sent.setdefault("fdi-version", self.fdi_version)
        if self.anti_csrf is not None:
            sent.setdefault("anti-csrf", self.anti_csrf)
        sent.setdefault(
            "st-auth-mode", self.transfer
        )  # the frontend SDK always says which
        if self.transfer == "header":
            token = bearer if bearer is not None else self.access_token
            if token:
                sent.setdefault("authorization", f"Bearer {token}")
        response = self.http.request(
            method, path, json=json, content=content, headers=sent
        )
        self._remember_tokens(response)
        if self.on_exchange is not None:
            self.on_exchange(response)
        return response

    def _remember_tokens(self, response: httpx.Response) -> None:
        headers = response.headers
        if "front-token" in headers:
            token = headers["front-token"]
            self.front_token = None if token == "remove" else token
        if "anti-csrf" in headers:
            self.anti_csrf = headers["anti-csrf"] or None
        if "st-access-token" in headers:
            self.access_token = headers["st-access-token"] or None
        if "st-refresh-token" in headers:
            self.refresh_token = headers["st-refresh-token"] or None

    def _current_flow(self) -> OtpFlow:
        if self.flow is None:
            raise AssertionError("no OTP flow was started: call send_code first")
        return self.flow


def token_in_cookie(value: str) -> str:
    """The token a cookie's value carries, as the server reads it: without the double
    quotes a framework may have put around it, percent-decoded as the SDK encoded it."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return unquote(value)


def cookie_value(token: str) -> str:
    """A token in the form the SDK writes it into a cookie (percent-encoded)."""
    return quote(token, encoding="utf-8")


def _form(**fields: str) -> dict[str, Any]:
    return {
        "formFields": [{"id": name, "value": value} for name, value in fields.items()]
    }
