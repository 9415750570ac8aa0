"""The hand list of malformed requests, one readable line each, by class of bad input.

Each request names the endpoint, what is sent, and the answer expected: an HTTP status,
or the FDI status of a 200 answer (``"FIELD_ERROR"``, ``"GENERAL_ERROR"``, ...), which
SuperTokens frontends show as they are. ``FLOW`` and ``DEVICE`` stand for the probe
session's real OTP flow, so that requests reach past the first checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.behaviour.probe import DEVICE, FLOW

NO_BODY = object()
OTHER_PHONE = "+12015550123"  # valid, and never the probe's enrolled phone
JSON = {"content-type": "application/json"}
ONE_MEGABYTE = 1 << 20
MADE_UP_TOKEN = "A" * 128  # a reset token of the real form that no one was sent
NEW_PASSWORD = "pw-new-12345678"

ENDPOINTS = {
    "sign up": ("POST", "/auth/signup"),
    "sign in": ("POST", "/auth/signin"),
    "create code": ("POST", "/auth/signinup/code"),
    "resend code": ("POST", "/auth/signinup/code/resend"),
    "consume code": ("POST", "/auth/signinup/code/consume"),
    "forgot password": ("POST", "/auth/user/password/reset/token"),
    "reset password": ("POST", "/auth/user/password/reset"),
    "sign out": ("POST", "/auth/signout"),
    "refresh": ("POST", "/auth/session/refresh"),
    "protected route": ("GET", "/api/me"),
}
JSON_ENDPOINTS = [
    "sign up",
    "sign in",
    "create code",
    "resend code",
    "consume code",
    "forgot password",
    "reset password",
]

AN_EMPTY_OBJECT_GETS = {
    "sign up": "FIELD_ERROR",
    "sign in": "FIELD_ERROR",
    "create code": 400,
    "resend code": 400,
    "consume code": 400,
    "forgot password": "FIELD_ERROR",
    "reset password": "FIELD_ERROR",
}
"""What each API answers a body it cannot parse: every framework hands the SDK ``{}``."""

WELL_FORMED = {
    "sign up": {"formFields": [{"id": "email", "value": "x@example.com"}]},
    "sign in": {"formFields": [{"id": "email", "value": "x@example.com"}]},
    "create code": {"phoneNumber": OTHER_PHONE},
    "resend code": {"deviceId": DEVICE, "preAuthSessionId": FLOW},
    "consume code": {
        "deviceId": DEVICE,
        "preAuthSessionId": FLOW,
        "userInputCode": "000000",
    },
    "forgot password": {"formFields": [{"id": "email", "value": "x@example.com"}]},
    "reset password": {
        "method": "token",
        "token": MADE_UP_TOKEN,
        "formFields": [{"id": "password", "value": "pw-new-12345678"}],
    },
}
"""A body of the right form for each API (sent with the wrong content type, it must be
refused before it is read: none of these would be harmless if read)."""


BODY_IGNORED = {"sign out": 401, "refresh": 401, "protected route": 403}
"""The endpoints that read no body: whatever body comes is ignored, and the answer is the
one they give without it (sign out and refresh sent without a session, so that they
change nothing; the protected route with the probe's)."""


@dataclass(frozen=True)
class BadRequest:
    kind: str
    endpoint: str
    expect: int | str
    json: Any = NO_BODY
    """Sent as JSON text (non-ASCII escaped, so even lone surrogates can be sent)."""
    content: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    as_probe: bool = True
    """Sent with the probe's session; otherwise anonymously."""
    note: str = ""
    tenant: str | None = None
    """A tenant id in the path (``/auth/<tenant>/signup``); None for the default one."""

    @property
    def method(self) -> str:
        return ENDPOINTS[self.endpoint][0]

    @property
    def path(self) -> str:
        path = ENDPOINTS[self.endpoint][1]
        if self.tenant is None:
            return path
        return path.replace("/auth/", f"/auth/{self.tenant}/", 1)

    @property
    def id(self) -> str:
        what = self.note or _short(self.content if self.json is NO_BODY else self.json)
        return f"{self.kind} | {self.endpoint} | {what}"


def form(**fields: Any) -> dict[str, Any]:
    return {
        "formFields": [{"id": name, "value": value} for name, value in fields.items()]
    }


def ignored(
    kind: str, content: str | bytes, headers: dict[str, str]
) -> Iterator[BadRequest]:
    for endpoint, expect in BODY_IGNORED.items():
        yield BadRequest(
            kind,
            endpoint,
            expect,
            content=content,
            headers=headers,
            as_probe=endpoint == "protected route",
            note=f"{_short(content)} (ignored)",
        )


def malformed_json() -> Iterator[BadRequest]:
    bodies = [
        "{",
        '{"formFields": [}',
        "not json",
        '{"phoneNumber": "+12015550123",}',
        "{'single': 'quotes'}",
        "",
        "[" * 5000 + "]" * 5000,
    ]
    for endpoint in JSON_ENDPOINTS:
        for body in bodies:
            note = "5000 nested arrays" if len(body) > 100 else ""
            yield BadRequest(
                "Malformed JSON",
                endpoint,
                AN_EMPTY_OBJECT_GETS[endpoint],
                content=body,
                headers=JSON,
                note=note,
            )
    yield from ignored("Malformed JSON", '{"formFields": [}', JSON)


def wrong_content_type() -> Iterator[BadRequest]:
    types = [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "text/json",
        None,
    ]
    for endpoint in JSON_ENDPOINTS:
        for content_type in types:
            body = json.dumps(WELL_FORMED[endpoint])
            yield BadRequest(
                "Wrong content type",
                endpoint,
                415,
                content=body,
                headers={} if content_type is None else {"content-type": content_type},
                note=f"Content-Type: {content_type}",
            )
    yield from ignored("Wrong content type", "a=1&b=2", {"content-type": "text/plain"})


def not_an_object() -> Iterator[BadRequest]:
    for endpoint in JSON_ENDPOINTS:
        for body in (
            [],
            [1],
            ["phoneNumber", "formFields"],
            "phoneNumber",
            5,
            True,
            None,
        ):
            yield BadRequest(
                "Not a JSON object", endpoint, 400, json=body, note=repr(body)
            )
    yield from ignored("Not a JSON object", '["formFields"]', JSON)


def missing_fields() -> Iterator[BadRequest]:
    for endpoint in ("sign up", "sign in"):
        yield BadRequest("Missing fields", endpoint, "FIELD_ERROR", json={})
        yield BadRequest(
            "Missing fields", endpoint, "FIELD_ERROR", json={"formFields": []}
        )
        yield BadRequest(
            "Missing fields", endpoint, "FIELD_ERROR", json=form(email="x@y.co")
        )
        yield BadRequest(
            "Missing fields", endpoint, 400, json={"formFields": [{"id": "email"}]}
        )
    yield BadRequest("Missing fields", "create code", 400, json={})
    yield BadRequest(
        "Missing fields", "create code", 400, json={"email": "x@example.com"}
    )
    yield BadRequest("Missing fields", "resend code", 400, json={})
    yield BadRequest("Missing fields", "resend code", 400, json={"deviceId": DEVICE})
    yield BadRequest(
        "Missing fields", "resend code", 400, json={"preAuthSessionId": FLOW}
    )
    yield BadRequest("Missing fields", "consume code", 400, json={})
    yield BadRequest(
        "Missing fields", "consume code", 400, json={"preAuthSessionId": FLOW}
    )
    yield BadRequest(
        "Missing fields",
        "consume code",
        400,
        json={"preAuthSessionId": FLOW, "deviceId": DEVICE},
    )
    yield BadRequest(
        "Missing fields",
        "consume code",
        400,
        json={"preAuthSessionId": FLOW, "userInputCode": "000000"},
    )
    yield BadRequest(
        "Missing fields",
        "consume code",
        400,
        json={"deviceId": DEVICE, "userInputCode": "0"},
    )
    yield BadRequest("Missing fields", "forgot password", "FIELD_ERROR", json={})
    yield BadRequest(
        "Missing fields", "forgot password", "FIELD_ERROR", json={"formFields": []}
    )
    yield BadRequest(
        "Missing fields", "forgot password", 400, json={"formFields": [{"id": "email"}]}
    )
    yield BadRequest(
        "Missing fields",
        "forgot password",
        400,
        json=form(email="x@example.com", password=NEW_PASSWORD),
        note="a password too: more fields than the form has",
    )
    yield BadRequest("Missing fields", "reset password", "FIELD_ERROR", json={})
    yield BadRequest(
        "Missing fields", "reset password", "FIELD_ERROR", json={"token": MADE_UP_TOKEN}
    )
    yield BadRequest(
        "Missing fields", "reset password", 400, json=form(password=NEW_PASSWORD)
    )
    yield BadRequest(
        "Missing fields",
        "reset password",
        400,
        json={"formFields": [{"id": "password"}], "token": MADE_UP_TOKEN},
    )


def wrong_types() -> Iterator[BadRequest]:
    for endpoint in ("sign up", "sign in"):
        for form_fields in (
            "x",
            {},
            5,
            None,
            [1],
            ["email"],
            [None],
            [{"id": 5, "value": "x"}],
            [{"id": "email", "value": 5}],
            [{"id": "password", "value": ["x"]}],
        ):
            yield BadRequest(
                "Wrong-typed fields", endpoint, 400, json={"formFields": form_fields}
            )
        yield BadRequest(
            "Wrong-typed fields",
            endpoint,
            400,
            json={
                **form(email="x@example.com", password="pw-12345678"),
                **_linking("yes"),
            },
            note="shouldTryLinkingWithSessionUser: 'yes'",
        )
    for value in (5, None, [], {}, True, 1.5, [OTHER_PHONE]):
        yield BadRequest(
            "Wrong-typed fields", "create code", 400, json={"phoneNumber": value}
        )
    yield BadRequest("Wrong-typed fields", "create code", 400, json={"email": 5})
    for field_name in ("deviceId", "preAuthSessionId"):
        for value in (5, None, [DEVICE], {}):
            body = {"deviceId": DEVICE, "preAuthSessionId": FLOW, field_name: value}
            yield BadRequest("Wrong-typed fields", "resend code", 400, json=body)
    for field_name in ("deviceId", "preAuthSessionId", "userInputCode"):
        for value in (5, None, [], {"code": 1}):
            body = {
                "deviceId": DEVICE,
                "preAuthSessionId": FLOW,
                "userInputCode": "000000",
                field_name: value,
            }
            yield BadRequest("Wrong-typed fields", "consume code", 400, json=body)
    yield BadRequest(
        "Wrong-typed fields",
        "consume code",
        400,
        json={"preAuthSessionId": FLOW, "linkCode": 5},
    )
    for form_fields in ("x", {}, 5, None, [1], [None], [{"id": 5, "value": "x"}]):
        yield BadRequest(
            "Wrong-typed fields",
            "forgot password",
            400,
            json={"formFields": form_fields},
        )
        yield BadRequest(
            "Wrong-typed fields",
            "reset password",
            400,
            json={"formFields": form_fields, "token": MADE_UP_TOKEN},
        )
    for value in (5, None, ["x@example.com"], {"email": "x@example.com"}):
        yield BadRequest(
            "Wrong-typed fields", "forgot password", 400, json=form(email=value)
        )
        yield BadRequest(
            "Wrong-typed fields",
            "reset password",
            400,
            json={**form(password=value), "token": MADE_UP_TOKEN},
        )
    for value in (5, None, [MADE_UP_TOKEN], {"token": MADE_UP_TOKEN}, True):
        yield BadRequest(
            "Wrong-typed fields",
            "reset password",
            400,
            json={**form(password=NEW_PASSWORD), "token": value},
        )
    yield BadRequest(
        "Wrong-typed fields",
        "reset password",
        400,
        json={**form(password=NEW_PASSWORD), "token": MADE_UP_TOKEN, "method": 5},
        note="method: 5",
    )


def empty_strings() -> Iterator[BadRequest]:
    for endpoint in ("sign up", "sign in"):
        yield BadRequest(
            "Empty strings", endpoint, "FIELD_ERROR", json=form(email="", password="")
        )
        yield BadRequest(
            "Empty strings",
            endpoint,
            "FIELD_ERROR",
            json=form(email="", password="pw-1234567"),
        )
    yield BadRequest(
        "Empty strings", "create code", "GENERAL_ERROR", json={"phoneNumber": ""}
    )
    yield BadRequest(
        "Empty strings",
        "resend code",
        "GENERAL_ERROR",
        json={"deviceId": "", "preAuthSessionId": ""},
    )
    yield BadRequest(
        "Empty strings",
        "resend code",
        "RESTART_FLOW_ERROR",
        json={"deviceId": "", "preAuthSessionId": FLOW},
    )
    yield BadRequest(
        "Empty strings",
        "consume code",
        "GENERAL_ERROR",
        json={"deviceId": "", "preAuthSessionId": "", "userInputCode": ""},
    )
    yield BadRequest(
        "Empty strings",
        "consume code",
        "RESTART_FLOW_ERROR",
        json={"deviceId": "", "preAuthSessionId": FLOW, "userInputCode": "000000"},
    )
    yield BadRequest(
        "Empty strings",
        "consume code",
        "GENERAL_ERROR",
        json={"preAuthSessionId": FLOW, "linkCode": ""},
    )
    yield BadRequest(
        "Empty strings", "forgot password", "FIELD_ERROR", json=form(email="")
    )
    yield BadRequest(
        "Empty strings", "forgot password", "FIELD_ERROR", json=form(email="   ")
    )
    yield BadRequest(
        "Empty strings",
        "reset password",
        "RESET_PASSWORD_INVALID_TOKEN_ERROR",
        json={**form(password=NEW_PASSWORD), "token": ""},
    )
    yield BadRequest(
        "Empty strings",
        "reset password",
        "FIELD_ERROR",
        json={**form(password=""), "token": MADE_UP_TOKEN},
    )


def oversized() -> Iterator[BadRequest]:
    big = '{"padding": "' + "x" * ONE_MEGABYTE + '"}'
    for endpoint in ENDPOINTS:
        if endpoint == "protected route":
            # A GET route never reads a body: it answers as it would without one.
            yield BadRequest(
                "Oversized body (1 MB)", endpoint, 403, content=big, headers=JSON
            )
            continue
        yield BadRequest(
            "Oversized body (1 MB)", endpoint, 413, content=big, headers=JSON
        )
    for endpoint in ENDPOINTS:
        if endpoint == "protected route":
            continue
        yield BadRequest(
            "Oversized body (1 MB)",
            endpoint,
            411,
            content=Streamed(big),
            headers=JSON,
            note="streamed without Content-Length",
        )


def invalid_phones() -> Iterator[BadRequest]:
    for phone in (
        "abc",
        "+1",
        "12345",
        "+999999999999999999",
        "+1 201 555 01230",
        "+0000000000",
        "0012015550123",
        "+1201555012\u0000",
        "\u260e",
        "+" + "9" * 5000,
        "+1 (201) 555-01234 ext",
        "tel:",
    ):
        yield BadRequest(
            "Invalid phone numbers",
            "create code",
            "GENERAL_ERROR",
            json={"phoneNumber": phone},
        )
    yield BadRequest(
        "Invalid phone numbers",
        "create code",
        "GENERAL_ERROR",
        json={"phoneNumber": OTHER_PHONE},
        note="a valid phone that is not the enrolled one",
    )


def unicode_edge_cases() -> Iterator[BadRequest]:
    lone = "\ud800"
    yield BadRequest(
        "Unicode edge cases",
        "create code",
        400,
        json={"phoneNumber": f"+1201{lone}5550123"},
    )
    yield BadRequest(
        "Unicode edge cases",
        "sign in",
        400,
        json=form(email=f"a{lone}@example.com", password="x"),
    )
    yield BadRequest(
        "Unicode edge cases",
        "sign up",
        400,
        json=form(email="a@example.com", password=f"p{lone}"),
    )
    yield BadRequest(
        "Unicode edge cases",
        "consume code",
        400,
        json={f"key{lone}": 1, "preAuthSessionId": FLOW},
    )
    yield BadRequest(
        "Unicode edge cases",
        "sign in",
        "WRONG_CREDENTIALS_ERROR",
        json=form(email="a\u202eb@example.com", password="pw-12345678"),
        note="right-to-left override in the email",
    )
    yield BadRequest(
        "Unicode edge cases",
        "sign in",
        "WRONG_CREDENTIALS_ERROR",
        json=form(email="\u0430lice@example.com", password="pw-\u0000-12345678"),
        note="Cyrillic a in the email, NUL in the password",
    )
    yield BadRequest(
        "Unicode edge cases",
        "sign in",
        "WRONG_CREDENTIALS_ERROR",
        json=form(email="emoji@example.com", password="\U0001f600" * 1000),
        note="a password of 1000 emoji",
    )
    yield BadRequest(
        "Unicode edge cases",
        "resend code",
        "RESTART_FLOW_ERROR",
        json={"deviceId": "\u200b" + "A" * 43 + "=", "preAuthSessionId": FLOW},
        note="zero-width space in the device id",
    )
    yield BadRequest(
        "Unicode edge cases",
        "consume code",
        "RESTART_FLOW_ERROR",
        json={
            "deviceId": "\uff21" * 4,
            "preAuthSessionId": FLOW,
            "userInputCode": "000000",
        },
        note="fullwidth letters as the device id",
    )
    yield BadRequest(
        "Unicode edge cases",
        "create code",
        "GENERAL_ERROR",
        content=json.dumps({"phoneNumber": OTHER_PHONE}).encode("utf-16"),
        headers=JSON,
        note="UTF-16 with a byte-order mark",
    )
    yield BadRequest(
        "Unicode edge cases",
        "create code",
        400,
        content=b'{"phoneNumber": "\xff\xfe+12015550123"}',
        headers=JSON,
        note="bytes that are not UTF-8",
    )
    yield BadRequest(
        "Unicode edge cases",
        "forgot password",
        400,
        json=form(email=f"a{lone}@example.com"),
    )
    yield BadRequest(
        "Unicode edge cases",
        "reset password",
        400,
        json={**form(password=NEW_PASSWORD), "token": f"{MADE_UP_TOKEN}{lone}"},
    )
    yield BadRequest(
        "Unicode edge cases",
        "reset password",
        "RESET_PASSWORD_INVALID_TOKEN_ERROR",
        json={**form(password=NEW_PASSWORD), "token": "\uff21" * 128},
        note="a token of fullwidth letters",
    )
    yield BadRequest(
        "Unicode edge cases",
        "reset password",
        "FIELD_ERROR",
        json={**form(password="\U0001f600" * 1000), "token": MADE_UP_TOKEN},
        note="a new password of 1000 emoji",
    )
    yield from ignored("Unicode edge cases", b'{"\xff": "\xed\xa0\x80"}', JSON)


def malformed_tokens() -> Iterator[BadRequest]:
    for endpoint in ("protected route", "sign out", "create code"):
        for token in ("a.b.c", "x", "eyJhbGciOiJub25lIn0..", "e" * 5000):
            body = WELL_FORMED.get(endpoint, NO_BODY)
            yield BadRequest(
                "Malformed tokens",
                endpoint,
                401,
                json=body,
                headers={"authorization": f"Bearer {token}", "st-auth-mode": "header"},
                as_probe=False,
                note=f"access token {token[:12]!r}",
            )
            yield BadRequest(
                "Malformed tokens",
                endpoint,
                401,
                json=body,
                headers={"cookie": f"sAccessToken={token}"},
                as_probe=False,
                note=f"access-token cookie {token[:12]!r}",
            )
    for token in ("a.b.c", "x", "e" * 5000):
        yield BadRequest(
            "Malformed tokens",
            "refresh",
            401,
            headers={"authorization": f"Bearer {token}", "st-auth-mode": "header"},
            as_probe=False,
            note=f"refresh token {token[:12]!r}",
        )


TENANT_APIS = [*JSON_ENDPOINTS]
"""The APIs a tenant id in the path reaches (the session's own are the app's)."""


def unknown_tenants() -> Iterator[BadRequest]:
    for tenant in ("xyz", "public2", "PUBLIC", "a" * 200):
        for endpoint in TENANT_APIS:
            yield BadRequest(
                "Unknown tenant",
                endpoint,
                404,
                json=WELL_FORMED[endpoint],
                headers=JSON,
                tenant=tenant,
                note=f"tenant {tenant[:20]}",
            )


def malformed_fdi_versions() -> Iterator[BadRequest]:
    for version in ("abc", "", "1.", ".1", "1..2", "1.a", "1.18,abc", "1.18;2"):
        for endpoint in ("sign up", "sign in", "create code"):
            yield BadRequest(
                "Malformed fdi-version header",
                endpoint,
                400,
                json=WELL_FORMED[endpoint],
                headers={**JSON, "fdi-version": version},
                note=f"fdi-version {version!r}",
            )


def linking_a_first_factor() -> Iterator[BadRequest]:
    for endpoint in ("sign up", "sign in"):
        for as_probe in (True, False):
            yield BadRequest(
                "Account linking asked of a first factor",
                endpoint,
                400,
                json={**WELL_FORMED[endpoint], **_linking(True)},
                headers=JSON,
                as_probe=as_probe,
                note="with a session" if as_probe else "without one",
            )


def all_bad_requests() -> list[BadRequest]:
    return [
        *malformed_json(),
        *wrong_content_type(),
        *not_an_object(),
        *missing_fields(),
        *wrong_types(),
        *empty_strings(),
        *oversized(),
        *invalid_phones(),
        *unicode_edge_cases(),
        *malformed_tokens(),
        *unknown_tenants(),
        *malformed_fdi_versions(),
        *linking_a_first_factor(),
    ]


def _linking(value: Any) -> dict[str, Any]:
    return {"shouldTryLinkingWithSessionUser": value}


@dataclass(frozen=True)
class Streamed:
    """A body sent in chunks (``Transfer-Encoding: chunked``), with no length declared."""

    body: str

    def __iter__(self) -> Iterator[bytes]:
        data = self.body.encode()
        for start in range(0, len(data), 64 * 1024):
            yield data[start : start + 64 * 1024]


def _short(value: Any) -> str:
    if isinstance(value, str):
        text = value.encode("unicode_escape").decode()
    elif isinstance(value, bytes):
        text = repr(value)
    else:
        text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 60 else text[:57] + "..."
