"""Malformed traffic, from a hand list, on every endpoint the examples expose.

Each request gets the answer written next to it in ``bad_requests.py``: a clear 4xx,
or a 200 with the FDI's ``FIELD_ERROR`` / ``GENERAL_ERROR`` / ... that SuperTokens
frontends show. Never a 500 and never a dropped connection; and nothing changes: no
SMS, no new tokens, the probe session still held at the second factor with the same
metadata, and its OTP flow still completable at the end.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.behaviour.bad_requests import (
    ENDPOINTS,
    NO_BODY,
    BadRequest,
    all_bad_requests,
)
from tests.behaviour.probe import Probe
from tests.harness.examples import RunningExample
from tests.harness.flows import enter_sent_code
from tests.harness.outbox import EmailOutbox, Outbox


def send(bad: BadRequest, probe: Probe) -> httpx.Response:
    if bad.json is not NO_BODY:
        return probe.post_json_text(
            bad.path, bad.json, as_probe=bad.as_probe, headers=bad.headers
        )
    return probe.send(
        bad.method,
        bad.path,
        content=bad.content,
        headers=dict(bad.headers),
        as_probe=bad.as_probe,
    )


def assert_answered(response: httpx.Response, expect: int | str) -> None:
    assert response.status_code < 500, response.text
    if isinstance(expect, int):
        assert response.status_code == expect, response.text
        if response.request.url.path.startswith("/auth"):
            assert isinstance(response.json().get("message"), str)
    else:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == expect, response.text


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(bad, id=bad.id, marks=pytest.mark.hardening("Bad input", bad.kind))
        for bad in all_bad_requests()
    ],
)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(
    bad: BadRequest, probe: Probe, outbox: Outbox, email_outbox: EmailOutbox
) -> None:
    sms_before, emails_before = len(outbox.messages()), len(email_outbox.messages())

    response = send(bad, probe)

    assert_answered(response, bad.expect)
    assert len(outbox.messages()) == sms_before, "an SMS was sent"
    assert len(email_outbox.messages()) == emails_before, "an email was sent"
    if bad.as_probe:
        assert "front-token" not in response.headers, (
            "the answer changed the probe's session"
        )
    probe.assert_untouched()


def test_after_all_that_the_probe_still_completes_its_flow(
    probe: Probe, outbox: Outbox
) -> None:
    enter_sent_code(probe.frontend, outbox)

    me = probe.frontend.me()
    assert me.status_code == 200
    assert me.json()["phoneNumber"] == probe.phone


def raw_exchange(url: str, head: bytes, body: Iterator[bytes]) -> tuple[int, bytes]:
    """Send ``head`` and ``body`` as they are, on a socket of their own, and read the
    answer's status and body. Servers that answer before reading the body are given
    the chance (then the rest is never sent); the others get all of it first."""
    parsed = httpx.URL(url)
    with socket.create_connection((parsed.host, parsed.port), timeout=30) as sock:
        sock.sendall(head + next(body))
        answered, _, _ = select.select([sock], [], [], 2.0)
        if not answered:
            for chunk in body:
                sock.sendall(chunk)
        answer = b""
        with contextlib.suppress(OSError):  # closed once it had answered
            while data := sock.recv(65536):
                answer += data
    assert answer, "the connection was closed without an answer"
    head_of_answer, _, content = answer.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head_of_answer.lower():
        content = b"".join(content.split(b"\r\n")[1::2])  # size, data, size, data...
    return int(head_of_answer.split()[1]), content


@pytest.mark.hardening("Bad input", "Length declared and streamed at once")
@pytest.mark.parametrize("endpoint", ["sign up", "create code", "consume code"])
def test_a_body_both_declared_and_streamed_is_refused(
    example: RunningExample, endpoint: str
) -> None:
    """``Content-Length: 10`` with 5 MiB sent chunked: the length says nothing of the
    body, so no limit could hold (RFC 9112 lets a server refuse it)."""
    method, path = ENDPOINTS[endpoint]
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/json\r\nContent-Length: 10\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    piece = b"x" * 65536

    def chunks() -> Iterator[bytes]:
        yield b'%x\r\n{"padding": "\r\n' % len(b'{"padding": "')
        for _ in range(80):  # 5 MiB
            yield b"%x\r\n%s\r\n" % (len(piece), piece)
        yield b'2\r\n"}\r\n0\r\n\r\n'

    status, body = raw_exchange(example.url, head, chunks())

    assert status == 400, body
    assert "not both" in json.loads(body)["message"]
