"""Malformed traffic, from a hand list, on every endpoint the examples expose.

Each request gets the answer written next to it in ``bad_requests.py``: a clear 4xx,
or a 200 with the FDI's ``FIELD_ERROR`` / ``GENERAL_ERROR`` / ... that SuperTokens
frontends show. Never a 500 and never a dropped connection; and nothing changes: no
SMS, no new tokens, the probe session still held at the second factor with the same
metadata, and its OTP flow still completable at the end.
"""

from __future__ import annotations

import httpx
import pytest

from tests.behaviour.bad_requests import NO_BODY, BadRequest, all_bad_requests
from tests.behaviour.probe import Probe
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
