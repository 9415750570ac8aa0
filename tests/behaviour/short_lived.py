"""Where a test can see a one-time code or a reset link outlive its lifetime.

On devcore the test moves the core's clock past the lifetime. A real core's clock cannot
be moved, and its lifetimes (15 minutes for a code, an hour for a link) are too long to
wait for, so the test gets an app of its own on that core, made through the CDI with
lifetimes of two seconds, and an example pointed at it, and it waits them out. A core
that allows no second app (one without the multi-tenancy feature) cannot run these
tests, and they are skipped with the core's answer.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests.harness.core_api import CoreApi
from tests.harness.examples import RunningExample

SHORT_LIFETIME_MS = 2000
"""Long enough for a test to send a code or ask for a link, short enough to wait out."""
WAIT_MARGIN_S = 0.5


@dataclass(frozen=True)
class ShortLived:
    """An example and the core it runs on, and a way to let a lifetime pass there."""

    example: RunningExample
    core_api: CoreApi
    reset_link_lifetime_ms: int
    let_pass: Callable[[int], None]
    """Return once whatever was made before the call, living that many ms, is dead."""

    def outlive(self, lifetime_ms: int) -> None:
        self.let_pass(lifetime_ms)


def wait_out(lifetime_ms: int) -> None:
    time.sleep(lifetime_ms / 1000 + WAIT_MARGIN_S)


@contextlib.contextmanager
def app_with_short_lifetimes(core_api: CoreApi) -> Iterator[CoreApi]:
    """A new app on a real core whose codes and reset links live ``SHORT_LIFETIME_MS``;
    removed afterwards. Skips the test if the core refuses to make it."""
    app_id = f"short-lived-{secrets.token_hex(4)}"
    lifetimes = {
        "passwordless_code_lifetime": SHORT_LIFETIME_MS,
        "password_reset_token_lifetime": SHORT_LIFETIME_MS,
    }
    made = core_api.request(
        "PUT",
        "/recipe/multitenancy/app/v2",
        json={"appId": app_id, "coreConfig": lifetimes},
    )
    if made.status_code != 200 or made.json().get("status") != "OK":
        pytest.skip(
            "needs an app with short lifetimes on the real core, which refused one "
            f"({made.status_code}: {made.text.strip()})"
        )
    try:
        yield CoreApi(f"{core_api.uri}/appid-{app_id}", core_api.api_key)
    finally:
        core_api.request(
            "POST", "/recipe/multitenancy/app/remove", json={"appId": app_id}
        )
