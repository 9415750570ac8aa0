"""The reset email throttle: its limits on one address, and the override that applies it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from supertokens_python.recipe.emailpassword.api.implementation import APIImplementation
from supertokens_python.recipe.emailpassword.interfaces import (
    GeneratePasswordResetTokenPostNotAllowedResponse,
    GeneratePasswordResetTokenPostOkResult,
)
from supertokens_python.recipe.emailpassword.types import FormField

from core.additions.send_limits.reset_email import (
    counted_address,
    limit_reset_emails,
    reset_email_sends,
)
from core.additions.send_limits.settings import SendLimitSettings
from core.additions.send_limits.throttle import (
    Reserved,
    SendStore,
    SendThrottle,
    Throttled,
)
from tests.unit.test_sms_throttle import Clock

EMAILS = "password reset emails"


def throttle(store: SendStore, clock: Clock, **limits: int) -> SendThrottle:
    """The reset email limits (named as their settings are, less ``reset_email_``)."""
    settings = SendLimitSettings(
        **{f"reset_email_{name}": most for name, most in limits.items()}
    )
    return SendThrottle(reset_email_sends(settings), store, clock=clock)


def reserve(t: SendThrottle, email: str = "ada@example.com") -> object:
    return asyncio.run(t.reserve({"address": counted_address(email)}))


def test_cooldown_is_per_address_however_it_is_typed(store: SendStore) -> None:
    clock = Clock()
    t = throttle(store, clock, cooldown_seconds=60, max_per_address_per_hour=0)

    assert isinstance(reserve(t), Reserved)
    clock.now += 10
    assert reserve(t, "  Ada@EXAMPLE.com ") == Throttled(50, EMAILS)
    assert isinstance(reserve(t, "bob@example.com"), Reserved)
    clock.now += 50
    assert isinstance(reserve(t, "ADA@example.com"), Reserved)


def test_address_cap_waits_until_the_oldest_email_leaves_the_hour(
    store: SendStore,
) -> None:
    clock = Clock()
    t = throttle(store, clock, cooldown_seconds=0, max_per_address_per_hour=2)

    reserve(t)
    clock.now += 100
    reserve(t, "Ada@example.com")
    clock.now += 100

    assert reserve(t) == Throttled(3600 - 200, EMAILS)
    assert isinstance(reserve(t, "bob@example.com"), Reserved)
    clock.now += 3600 - 200
    assert isinstance(reserve(t), Reserved)


def test_zero_turns_a_limit_off(store: SendStore) -> None:
    t = throttle(store, Clock(), cooldown_seconds=0, max_per_address_per_hour=0)

    assert all(isinstance(reserve(t), Reserved) for _ in range(20))


def test_the_wait_names_what_was_asked_for() -> None:
    assert (
        Throttled(300, EMAILS).message()
        == "Too many password reset emails were requested. Please try again in 5 minutes."
    )


def test_the_defaults_allow_a_retry_a_minute_and_five_an_hour(store: SendStore) -> None:
    clock = Clock()
    t = throttle(store, clock)

    outcomes = []
    for _ in range(6):
        outcomes.append(reserve(t))
        clock.now += 30
        outcomes.append(reserve(t))
        clock.now += 30

    assert [isinstance(o, Reserved) for o in outcomes] == [True, False] * 5 + [
        False,
        False,
    ]
    assert outcomes[-1] == Throttled(3600 - 330, EMAILS)


class FakeSdk:
    """The SDK's ``generate_password_reset_token_post``: answers, or raises."""

    def __init__(self, outcome: str) -> None:
        self.outcome = outcome
        self.calls = 0

    async def __call__(self, *_args: Any) -> object:
        self.calls += 1
        if self.outcome == "raised":
            raise ConnectionError("the core went away")
        if self.outcome == "not allowed":
            return GeneratePasswordResetTokenPostNotAllowedResponse(
                "account take over risk"
            )
        return (
            GeneratePasswordResetTokenPostOkResult()
        )  # emailed, or an unknown address


def overridden(t: SendThrottle, sdk: FakeSdk) -> Any:
    apis = APIImplementation()
    apis.generate_password_reset_token_post = sdk  # type: ignore[method-assign]
    return limit_reset_emails(t, apis).generate_password_reset_token_post


def ask(api: Any, email: str = "ada@example.com") -> Any:
    return asyncio.run(api([FormField("email", email)], "public", None, {}))


def test_a_throttled_request_never_reaches_the_sdk(store: SendStore) -> None:
    sdk = FakeSdk("OK")
    api = overridden(throttle(store, Clock(), cooldown_seconds=60), sdk)

    assert ask(api).to_json() == {"status": "OK"}
    again = ask(api, "ADA@example.com").to_json()

    assert again == {
        "status": "GENERAL_ERROR",
        "message": "Too many password reset emails were requested. Please try again in 60 seconds.",
        "retryAfterSeconds": 60,
    }
    assert sdk.calls == 1


@pytest.mark.parametrize("outcome", ["OK", "not allowed", "raised"])
def test_every_answered_request_counts_and_only_a_failed_one_is_given_back(
    store: SendStore, outcome: str
) -> None:
    """``OK`` is also the answer for an address no account has: it must count the same."""
    t = throttle(store, Clock(), cooldown_seconds=60)
    api = overridden(t, FakeSdk(outcome))

    if outcome == "raised":
        with pytest.raises(ConnectionError):
            ask(api)
    else:
        ask(api)

    assert isinstance(reserve(t), Reserved if outcome == "raised" else Throttled)
