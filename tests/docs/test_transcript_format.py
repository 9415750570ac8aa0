"""How an exchange is written down: the same text whichever framework answered."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from tests.docs.transcript import Transcript

USER_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def exchange(response_headers: list[tuple[str, str]], body: object) -> httpx.Response:
    request = httpx.Request(
        "POST",
        "http://127.0.0.1:40151/auth/signin",
        json={"formFields": []},
        headers={
            "st-auth-mode": "cookie",
            "user-agent": "x",
            "cookie": "sAccessToken=abc",
        },
    )
    return httpx.Response(200, headers=response_headers, json=body, request=request)


def recorded(
    response: httpx.Response, transcript: Transcript | None = None
) -> dict[str, str]:
    transcript = transcript or Transcript()
    transcript.alias(USER_ID, "<alice-user-id>")
    with transcript.exchange("sign-in"):
        transcript(response)
    return transcript.files()


@pytest.mark.parametrize(
    "set_cookie",
    [
        "sAccessToken=eyJhbGciOiJSUzI1NiJ9.e30.c2ln; expires=Tue, 30 Nov 2027 02:39:29 GMT; "
        "HttpOnly; Path=/; SameSite=lax",  # Starlette
        "sAccessToken=eyJhbGciOiJSUzI1NiJ9.e30.c2ln; Expires=Tue, 30 Nov 2027 02:39:36 GMT; "
        "HttpOnly; Path=/; SameSite=Lax",  # Werkzeug
    ],
)
def test_cookies_and_headers_are_written_one_way(set_cookie: str) -> None:
    response = exchange(
        [
            ("content-type", "application/json; charset=utf-8"),
            ("set-cookie", set_cookie),
        ],
        {"user": {"id": USER_ID, "timeJoined": 1796006369603}, "status": "OK"},
    )

    assert recorded(response)["sign-in.http"] == (
        "POST /auth/signin HTTP/1.1\n"
        "content-type: application/json\n"
        "cookie: sAccessToken=<access-token>\n"
        "st-auth-mode: cookie\n"
        "\n"
        '{\n  "formFields": []\n}\n'
        "\n"
        "HTTP/1.1 200 OK\n"
        "content-type: application/json\n"
        "set-cookie: sAccessToken=<access-token>; Path=/; HttpOnly; SameSite=Lax\n"
        "\n"
        '{\n  "status": "OK",\n  "user": {\n    "id": "<alice-user-id>",\n'
        '    "timeJoined": "<time>"\n  }\n}\n'
    )


def test_the_front_token_payload_is_written_decoded() -> None:
    payload = {
        "uid": USER_ID,
        "ate": 1,
        "up": {"2fa-completed": {"t": 1796006369720, "v": False}},
    }
    token = base64.b64encode(json.dumps(payload).encode()).decode()

    files = recorded(exchange([("front-token", token)], {"status": "OK"}))

    assert "front-token: <front-token>" in files["sign-in.http"]
    assert json.loads(files["sign-in.payload.json"]) == {
        "2fa-completed": {"t": "<time>", "v": False}
    }


def test_a_value_left_as_the_run_made_it_is_an_error() -> None:
    other_user = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    response = exchange([], {"status": "OK", "user": {"id": other_user}})

    with pytest.raises(AssertionError, match="run-specific value '6ba7b810"):
        recorded(response)
