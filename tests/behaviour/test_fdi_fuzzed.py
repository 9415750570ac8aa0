"""Requests a fuzzer makes from the Frontend Driver Interface's spec (schemathesis),
to every API the example offers, for the default tenant and for made-up ones, with a
first-factor session and without: none gets a 5xx, an answer that is not JSON, a stack
trace, or a ``status`` the spec does not list for it (frontends switch on it).

The examples are derandomized: every run sends the same requests.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.transport import Response

from tests.behaviour.fdi_spec import served_spec, statuses_of_200
from tests.behaviour.hardening_cases import case as hardening_case
from tests.harness.accounts import new_account
from tests.harness.examples import RunningExample
from tests.harness.flows import sign_up
from tests.harness.frontend import Frontend

SPEC = served_spec()
SCHEMA = schemathesis.openapi.from_dict(SPEC)
EXAMPLES_PER_API = 8


@pytest.fixture(scope="module")
def first_factor_headers(example: RunningExample) -> dict[str, str]:
    """A session held at the second factor, as a header-mode frontend sends it."""
    with Frontend(example.url, transfer="header") as frontend:
        sign_up(frontend, new_account())
        assert frontend.access_token is not None
        return {
            "authorization": f"Bearer {frontend.access_token}",
            "st-auth-mode": "header",
        }


def content_type(answer: Response) -> str:
    values = {k.lower(): v for k, v in answer.headers.items()}.get("content-type", [""])
    return values[0] if isinstance(values, list) else str(values)


def assert_a_frontend_can_read(case: schemathesis.Case, answer: Response) -> None:
    where = f"{case.method} {case.formatted_path} -> {answer.status_code}"
    assert answer.status_code < 500, f"{where}: {answer.text[:500]}"
    assert "Traceback" not in answer.text and 'File "' not in answer.text, where
    if not answer.content or answer.status_code in (301, 302, 303, 307, 308):
        return
    assert content_type(answer).startswith("application/json"), (
        f"{where}: {content_type(answer)} {answer.text[:200]}"
    )
    body = json.loads(answer.content)
    allowed = statuses_of_200(SPEC, case.path, case.method)
    # A 200 of an API whose answers all carry a status (the JWKS has keys instead).
    if answer.status_code == 200 and "OK" in allowed and isinstance(body, dict):
        assert body.get("status") in allowed, f"{where}: {body}"


@pytest.mark.hardening("Bad input", "Fuzzed from the FDI spec", how="schemathesis")
@pytest.mark.parametrize("with_session", [False, True], ids=["no session", "session"])
@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES_PER_API,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_fuzzed_request_gets_a_server_error_or_an_unreadable_answer(
    case: schemathesis.Case,
    with_session: bool,
    example: RunningExample,
    request: pytest.FixtureRequest,
) -> None:
    headers = request.getfixturevalue("first_factor_headers") if with_session else {}
    with hardening_case():
        answer = case.call(base_url=example.url, headers=headers, timeout=30)
        assert_a_frontend_can_read(case, answer)
