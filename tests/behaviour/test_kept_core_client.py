"""The calls to the core go over kept connections, not a new one per call.

Each example is put behind a proxy that counts the connections made to the core and
the requests sent over them, and walks the guide's flow. With the kept client (the
default) each API call of the flow opens at most one connection, whatever number of
core calls it makes; with ``POOLED_CORE_CLIENT=false`` (the SDK's own client) every
core call opens its own. Once the example has stopped, none is left open.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.behaviour.conftest import CoreUnderTest
from tests.harness.accounts import new_account
from tests.harness.examples import running_example
from tests.harness.faulty_core import running_faulty_core
from tests.harness.flows import pass_second_factor, sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox

API_CALLS = 4  # sign up, send a code, enter it, /api/me
JWKS_DOWNLOAD = 1  # the signing keys, fetched once with `requests`, not over httpx


@pytest.mark.parametrize("pooled", ["true", "false"], ids=["kept", "sdk-own"])
def test_core_calls_go_over_kept_connections_unless_turned_off(
    pooled: str,
    framework: str,
    core: CoreUnderTest,
    outbox: Outbox,
    suite_env: dict[str, str],
    new_frontend: Callable[..., Frontend],
    phone: str,
) -> None:
    with running_faulty_core(core.uri) as counted:
        with running_example(
            framework,
            core_uri=counted.uri,
            outbox=outbox.path,
            api_key=core.api_key,
            extra_env={**suite_env, "POOLED_CORE_CLIENT": pooled},
        ) as example:
            browser = new_frontend(to=example)
            sign_up(browser, new_account())
            pass_second_factor(browser, outbox, phone)
            assert browser.me().status_code == 200
            connections, requests = counted.connections, counted.requests
        deadline = time.monotonic() + 5
        while counted.open_connections and time.monotonic() < deadline:
            time.sleep(0.05)
        left_open = counted.open_connections

    assert requests > 3 * API_CALLS  # the flow does reach the core, many times
    if pooled == "true":
        assert connections <= API_CALLS + JWKS_DOWNLOAD
    else:
        assert connections == requests
    assert left_open == 0
