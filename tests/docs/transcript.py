"""HTTP exchanges written down the way the tutorial shows them, identical on every run.

A :class:`Transcript` is handed to ``Frontend(on_exchange=...)``: while an exchange is
named (``with transcript.exchange("sign-up"): ...``) it keeps the one response seen,
whose ``.request`` is what was sent. :meth:`Transcript.files` then renders each as

* ``NAME.http``: the request, a blank line, the response; only the headers a
  SuperTokens frontend reads or sends, JSON bodies indented with keys sorted
  (``status`` first);
* ``NAME.payload.json``: when the response set a ``front-token``, the access-token
  payload it carries, as the frontend SDK decodes it.

Values that change from run to run become placeholders: those the tutorial names
(``alias``: ids, emails, phones, codes) and, by JSON key, times and token hashes. A
value that still looks volatile afterwards (a UUID, a token, an epoch time) is an
error, so a transcript cannot silently depend on the run that made it.
"""

from __future__ import annotations

import base64
import contextlib
import http
import json
import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import httpx

REQUEST_HEADERS = (
    "anti-csrf",
    "authorization",
    "cdi-version",
    "content-type",
    "st-auth-mode",
)
RESPONSE_HEADERS = ("anti-csrf", "content-type", "st-access-token", "st-refresh-token")
TOKEN_PLACEHOLDERS = {
    "sAccessToken": "<access-token>",
    "sRefreshToken": "<refresh-token>",
    "st-access-token": "<access-token>",
    "st-refresh-token": "<refresh-token>",
    "anti-csrf": "<anti-csrf-token>",
}
TIME_KEYS = frozenset({"t", "exp", "iat", "timeJoined", "sentAt", "createdAt"})
HASH_KEYS = frozenset({"refreshTokenHash1", "parentRefreshTokenHash1", "antiCsrfToken"})

VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # ids, handles
    r"|eyJ[\w-]{10,}"  # JWTs and base64 JSON
    r"|(?=[\w+/=-]*\d)[\w+/=-]{32,}"  # other tokens and hashes (long, with a digit)
    r"|\b1\d{9}(?:\d{3})?\b"  # epoch seconds or milliseconds
)


class Transcript:
    """Collects named exchanges during a run and renders them once the run is over."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.inside: dict[str, str] = {}
        self._responses: dict[str, httpx.Response] = {}
        self._current: str | None = None

    def alias(self, value: str, placeholder: str, *, inside: bool = False) -> None:
        """Show ``placeholder`` for ``value``: as a whole JSON string or query value, or
        also ``inside`` longer strings (for a host name within a URL)."""
        aliases = self.inside if inside else self.aliases
        known = aliases.setdefault(value, placeholder)
        assert known == placeholder, f"{value!r} is already shown as {known}"

    @contextlib.contextmanager
    def exchange(self, name: str) -> Iterator[None]:
        """Record the one response that the block's code receives as exchange ``name``."""
        assert name not in self._responses, f"exchange {name!r} recorded twice"
        self._current = name
        try:
            yield
        finally:
            self._current = None
        assert name in self._responses, f"exchange {name!r} saw no response"

    def seen(self, name: str) -> httpx.Response:
        """The response recorded as exchange ``name``."""
        return self._responses[name]

    def __call__(self, response: httpx.Response) -> None:
        """The ``on_exchange`` hook: every response the frontend receives passes here."""
        if self._current is None:
            return
        assert self._current not in self._responses, (
            f"{self._current!r} saw two responses"
        )
        self._responses[self._current] = response

    def files(self) -> dict[str, str]:
        """File name -> content, for every recorded exchange."""
        rendered: dict[str, str] = {}
        for name, response in self._responses.items():
            rendered[f"{name}.http"] = self._check(
                name,
                render_request(response.request, self)
                + "\n"
                + render_response(response, self),
            )
            payload = front_token_payload(response)
            if payload is not None:
                rendered[f"{name}.payload.json"] = self._check(
                    name, render_json(self.normalise(payload)) + "\n"
                )
        return dict(sorted(rendered.items()))

    # -- normalising ---------------------------------------------------------------------

    def text(self, value: str) -> str:
        if value in self.aliases:
            return self.aliases[value]
        for raw in sorted(self.inside, key=len, reverse=True):
            value = value.replace(raw, self.inside[raw])
        return value

    def target(self, url: httpx.URL) -> str:
        """The request line's path and query, each query value normalised."""
        query = [f"{k}={self.text(v)}" for k, v in url.params.multi_items()]
        return self.text(url.path) + ("?" + "&".join(query) if query else "")

    def normalise(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: self.normalise(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.normalise(v) for v in value]
        if key in TIME_KEYS and isinstance(value, int | float):
            return "<time>"
        if key in HASH_KEYS and isinstance(value, str):
            return "<hash>"
        if isinstance(value, str):
            return self.text(value)
        return value

    @staticmethod
    def _check(name: str, text: str) -> str:
        leftover = VOLATILE.search(text)
        if leftover is not None:
            raise AssertionError(
                f"exchange {name!r} still holds a run-specific value {leftover.group()!r}: "
                "give it a placeholder with Transcript.alias"
            )
        return text


def render_request(request: httpx.Request, transcript: Transcript) -> str:
    lines = [f"{request.method} {transcript.target(request.url)} HTTP/1.1"]
    headers = {
        name: request.headers[name]
        for name in REQUEST_HEADERS
        if name in request.headers
    }
    if "authorization" in headers:
        headers["authorization"] = "Bearer <token>"
    if "content-type" in headers:
        headers["content-type"] = media_type(headers["content-type"])
    cookies = SimpleCookie(request.headers.get("cookie", ""))
    if cookies:
        headers["cookie"] = "; ".join(
            f"{name}={TOKEN_PLACEHOLDERS.get(name, '<value>')}"
            for name in sorted(cookies)
        )
    lines += [f"{name}: {value}" for name, value in sorted(headers.items())]
    return "\n".join(lines) + "\n" + body(request.content, transcript)


def render_response(response: httpx.Response, transcript: Transcript) -> str:
    status = http.HTTPStatus(response.status_code)
    lines = [f"HTTP/1.1 {status.value} {status.phrase}"]
    headers: list[tuple[str, str]] = []
    for name in RESPONSE_HEADERS:
        if name in response.headers:
            value = response.headers[name]
            if name == "content-type":
                value = media_type(value)
            headers.append(
                (name, TOKEN_PLACEHOLDERS.get(name, value) if value else value)
            )
    if "front-token" in response.headers:
        token = response.headers["front-token"]
        headers.append(("front-token", token if token == "remove" else "<front-token>"))
    headers += [("set-cookie", c) for c in sorted(set_cookies(response))]
    lines += [f"{name}: {value}" for name, value in sorted(headers, key=lambda h: h[0])]
    return "\n".join(lines) + "\n" + body(response.content, transcript)


def set_cookies(response: httpx.Response) -> list[str]:
    """Each ``set-cookie`` in one form, whatever order and case the framework wrote."""
    shown = []
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie(header)
        for name, morsel in cookie.items():
            removed = morsel.value in ("", '""')
            parts = [
                f"{name}={'' if removed else TOKEN_PLACEHOLDERS.get(name, '<value>')}"
            ]
            if removed:
                parts.append("Expires=Thu, 01 Jan 1970 00:00:00 GMT")
            if morsel["path"]:
                parts.append(f"Path={morsel['path']}")
            if morsel["httponly"]:
                parts.append("HttpOnly")
            if morsel["secure"]:
                parts.append("Secure")
            if morsel["samesite"]:
                parts.append(f"SameSite={morsel['samesite'].capitalize()}")
            shown.append("; ".join(parts))
    return shown


def front_token_payload(response: httpx.Response) -> dict[str, Any] | None:
    token = response.headers.get("front-token")
    if token is None or token == "remove":
        return None
    decoded = json.loads(base64.b64decode(token + "=" * (-len(token) % 4)))
    return dict(decoded["up"])


def body(content: bytes, transcript: Transcript) -> str:
    if not content:
        return ""
    try:
        parsed = json.loads(content)
    except ValueError:
        return "\n" + transcript.text(content.decode()) + "\n"
    return "\n" + render_json(transcript.normalise(parsed)) + "\n"


def render_json(value: Any) -> str:
    return json.dumps(status_first(value), indent=2, ensure_ascii=False)


def status_first(value: Any) -> Any:
    """Keys sorted, ``status`` first: the same text whichever framework wrote the JSON."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (k != "status", k))
        return {k: status_first(value[k]) for k in keys}
    if isinstance(value, list):
        return [status_first(v) for v in value]
    return value


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip()
