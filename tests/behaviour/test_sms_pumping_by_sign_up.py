"""SMS pumping through new accounts: a script signs up account after account, and has
each ask for codes to fresh numbers (premium-rate ones, say). No phone and no user
comes near its own cap; the cap per client address does, and the whole app's budget
bounds what many addresses together can have sent.

Each test runs on an example of its own, with a tight limit and with or without a
proxy in front (``TRUSTED_PROXY_HOPS``). Behind a proxy, the test client plays the
proxy too: it says in ``X-Forwarded-For`` which client it forwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.behaviour.conftest import CoreUnderTest, start_example
from tests.behaviour.test_sms_throttle import assert_throttled
from tests.harness.accounts import new_account
from tests.harness.examples import RunningExample
from tests.harness.flows import send_code, sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

PER_CLIENT, PER_HOUR = 8, 5
SIGN_UPS, CODES_EACH = 10, 3
PUMPER, NEIGHBOUR = "203.0.113.7", "198.51.100.23"
AN_HOUR = 3600


def example_with(
    framework: str,
    core: CoreUnderTest,
    outbox: Outbox,
    suite_env: dict[str, str],
    **limits: str,
) -> Iterator[RunningExample]:
    with start_example(framework, core, outbox, {**suite_env, **limits}) as running:
        yield running


@pytest.fixture(scope="module")
def behind_a_proxy(
    framework: str, core: CoreUnderTest, outbox: Outbox, suite_env: dict[str, str]
) -> Iterator[RunningExample]:
    yield from example_with(
        framework,
        core,
        outbox,
        suite_env,
        SMS_MAX_PER_CLIENT_PER_HOUR=str(PER_CLIENT),
        TRUSTED_PROXY_HOPS="1",
    )


@pytest.fixture(scope="module")
def without_a_proxy(
    framework: str, core: CoreUnderTest, outbox: Outbox, suite_env: dict[str, str]
) -> Iterator[RunningExample]:
    yield from example_with(
        framework,
        core,
        outbox,
        suite_env,
        SMS_MAX_PER_CLIENT_PER_HOUR=str(PER_CLIENT),
        TRUSTED_PROXY_HOPS="0",
    )


@pytest.fixture(scope="module")
def on_a_small_budget(
    framework: str, core: CoreUnderTest, outbox: Outbox, suite_env: dict[str, str]
) -> Iterator[RunningExample]:
    yield from example_with(
        framework,
        core,
        outbox,
        suite_env,
        SMS_MAX_PER_HOUR=str(PER_HOUR),
        TRUSTED_PROXY_HOPS="1",
    )


@pytest.fixture
def signed_up(
    new_frontend: Callable[..., Frontend],
) -> Callable[[RunningExample, str | None], Frontend]:
    """A new account of ``example``, whose every request says ``X-Forwarded-For``
    (unless None)."""

    def make(example: RunningExample, forwarded_for: str | None) -> Frontend:
        frontend = new_frontend(to=example)
        if forwarded_for is not None:
            frontend.http.headers["X-Forwarded-For"] = forwarded_for
        sign_up(frontend, new_account())
        return frontend

    return make


def ask_for_codes(
    accounts: list[Frontend], codes_each: int
) -> list[tuple[str, dict[str, Any]]]:
    """Each account asks for ``codes_each`` codes, each to a fresh phone: every phone,
    with the answer, in the order asked."""
    asked = []
    for account in accounts:
        for _ in range(codes_each):
            phone = new_phone()
            response = account.send_code(phone)
            assert response.status_code == 200, response.text
            asked.append((phone, response.json()))
    return asked


def assert_only_the_first_were_sent(
    asked: list[tuple[str, dict[str, Any]]], outbox: Outbox, sent: int
) -> None:
    """The first ``sent`` codes went out, one each; every later one was refused with
    the wait until the hour's first leaves the count, and went nowhere."""
    assert [answer["status"] for _, answer in asked[:sent]] == ["OK"] * sent
    for _, refused in asked[sent:]:
        assert_throttled(refused, at_least=AN_HOUR - 60, at_most=AN_HOUR)
    counts = [len(outbox.sent_to(phone)) for phone, _ in asked]
    assert counts == [1] * sent + [0] * (len(asked) - sent)


@pytest.mark.hardening("SMS pumping", "New accounts from one client")
def test_new_accounts_from_one_client_get_no_more_codes_than_its_hourly_cap(
    signed_up: Callable[[RunningExample, str | None], Frontend],
    behind_a_proxy: RunningExample,
    outbox: Outbox,
) -> None:
    accounts = [signed_up(behind_a_proxy, PUMPER) for _ in range(SIGN_UPS)]

    asked = ask_for_codes(accounts, CODES_EACH)

    assert_only_the_first_were_sent(asked, outbox, PER_CLIENT)
    # An entry of its own before the proxy's is the client's word: it buys nothing.
    forged = signed_up(behind_a_proxy, f"{NEIGHBOUR}, {PUMPER}")
    assert_throttled(forged.send_code(new_phone()).json(), at_least=1, at_most=AN_HOUR)
    neighbour, phone = signed_up(behind_a_proxy, NEIGHBOUR), new_phone()
    send_code(neighbour, phone)
    assert len(outbox.sent_to(phone)) == 1


FORGED = [
    *(f"198.51.100.{n}" for n in range(SIGN_UPS - 4)),
    "not an address",
    "203.0.113.9, , ,",
    "2001:db8::" + ":".join(["ffff"] * 200),
    "x" * 4000,
]


@pytest.mark.hardening("SMS pumping", "New accounts from one client")
def test_a_forged_forwarded_for_gets_no_fresh_allowance_when_no_proxy_is_trusted(
    signed_up: Callable[[RunningExample, str | None], Frontend],
    without_a_proxy: RunningExample,
    outbox: Outbox,
) -> None:
    """Each new account claims another address (or a malformed one): all are counted
    as the one client they all come from, and none is answered with a 500."""
    accounts = [signed_up(without_a_proxy, forged) for forged in FORGED]

    asked = ask_for_codes(accounts, CODES_EACH)

    assert_only_the_first_were_sent(asked, outbox, PER_CLIENT)


@pytest.mark.hardening("SMS pumping", "New accounts from many addresses")
def test_the_whole_app_sends_no_more_codes_in_an_hour_than_its_budget(
    signed_up: Callable[[RunningExample, str | None], Frontend],
    on_a_small_budget: RunningExample,
    outbox: Outbox,
) -> None:
    """Many addresses (a botnet), each far within its own caps."""
    accounts = [
        signed_up(on_a_small_budget, f"198.51.100.{n}") for n in range(PER_HOUR + 3)
    ]

    asked = ask_for_codes(accounts, codes_each=1)

    assert_only_the_first_were_sent(asked, outbox, PER_HOUR)
