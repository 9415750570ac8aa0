"""Fixtures of the behavioural suite: a core, the chosen example, and frontends to drive it.

The core is devcore, started here, unless ``SUPERTOKENS_CONNECTION_URI`` names a real
one; the example is the one named by ``--framework``, started as its README says.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest

from devcore.testing import RunningDevcore, running_devcore
from tests.behaviour import core_limitations, hardening_cases
from tests.behaviour.probe import Probe, held_at_the_second_factor
from tests.behaviour.short_lived import (
    SHORT_LIFETIME_MS,
    ShortLived,
    app_with_short_lifetimes,
    wait_out,
)
from tests.harness.accounts import Account, new_account
from tests.harness.core_api import CoreApi
from tests.harness.examples import (
    RunningExample,
    email_outbox_beside,
    running_example,
    uvicorn_logging_every_error,
)
from tests.harness.frontend import Frontend
from tests.harness.oidc_provider import (
    ANOTHER_APP,
    THE_EXAMPLE,
    FakeOidcProvider,
    example_env,
    running_fake_oidc_provider,
)
from tests.harness.outbox import EmailOutbox, Outbox
from tests.harness.phones import new_phone


def pytest_configure(config: pytest.Config) -> None:
    hardening_cases.register(config)
    core_limitations.register(config)


FAST_BCRYPT_ROUNDS = 4
RESET_LINK_LIFETIME_MS = 10 * 60_000
"""Shorter than the real core's hour: the expiry test moves devcore's clock past it, and
every access token minted after a move of an hour would be expired on arrival."""


@dataclass(frozen=True)
class CoreUnderTest:
    uri: str
    api_key: str | None
    devcore: RunningDevcore | None
    """Set when the suite started devcore itself, whose test hooks it may then use."""
    in_memory: bool = False
    """A real core on its in-memory development database (see core_limitations)."""


@pytest.fixture(scope="session")
def core() -> Iterator[CoreUnderTest]:
    uri = os.environ.get("SUPERTOKENS_CONNECTION_URI")
    if uri:
        api_key = os.environ.get("SUPERTOKENS_API_KEY")
        in_memory = CoreApi(uri, api_key).runs_on_in_memory_storage()
        yield CoreUnderTest(uri, api_key, devcore=None, in_memory=in_memory)
        return
    # Cheap password hashes: the suite tests the examples, not bcrypt's cost.
    with running_devcore(
        in_process=False,
        bcrypt_log_rounds=FAST_BCRYPT_ROUNDS,
        password_reset_token_lifetime=RESET_LINK_LIFETIME_MS,
    ) as devcore:
        yield CoreUnderTest(devcore.uri, None, devcore)


@pytest.fixture(scope="session")
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--framework"))


@pytest.fixture(scope="session")
def core_api(core: CoreUnderTest) -> CoreApi:
    return CoreApi(core.uri, core.api_key)


@pytest.fixture(scope="session")
def outbox(tmp_path_factory: pytest.TempPathFactory) -> Outbox:
    return Outbox(tmp_path_factory.mktemp("sms") / "outbox.jsonl")


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[FakeOidcProvider]:
    """A company's identity provider, where the example and another app are clients."""
    with running_fake_oidc_provider(THE_EXAMPLE, ANOTHER_APP) as provider:
        yield provider


@pytest.fixture(scope="session")
def suite_env(
    oidc_provider: FakeOidcProvider,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    """What the examples this suite starts are given beyond the contract's variables.

    * The fake OpenID Connect provider as a first factor, beside email and password.
    * SMS limits no flow of the suite reaches: it resends at once, sends one phone a
      code in each of its formats, and every one of its requests comes from this one
      host (the throttle's own tests start an example with tight limits). Reset email
      limits likewise: it asks for two links in a row.
    * Every error logged to the example's output, under uvicorn too (Django logs a
      failed request nowhere otherwise): the suite reads that output.
    """
    return {
        "SMS_COOLDOWN_SECONDS": "0",
        "SMS_MAX_PER_PHONE_PER_HOUR": "50",
        "SMS_MAX_PER_USER_PER_HOUR": "50",
        "SMS_MAX_PER_CLIENT_PER_HOUR": "100000",
        "SMS_MAX_PER_HOUR": "100000",
        "RESET_EMAIL_COOLDOWN_SECONDS": "0",
        "RESET_EMAIL_MAX_PER_ADDRESS_PER_HOUR": "50",
        "UVICORN_LOG_CONFIG": str(
            uvicorn_logging_every_error(tmp_path_factory.mktemp("log"))
        ),
        **example_env(oidc_provider),
    }


def start_example(
    framework: str, core: CoreUnderTest, outbox: Outbox, env: dict[str, str]
) -> AbstractContextManager[RunningExample]:
    """The example ``--framework`` names, on the suite's core and outbox, given ``env``."""
    return running_example(
        framework,
        core_uri=core.uri,
        outbox=outbox.path,
        api_key=core.api_key,
        extra_env=env,
    )


@pytest.fixture(scope="session")
def example(
    framework: str, core: CoreUnderTest, outbox: Outbox, suite_env: dict[str, str]
) -> Iterator[RunningExample]:
    with start_example(framework, core, outbox, suite_env) as running:
        yield running


@pytest.fixture(scope="session")
def short_lived(
    framework: str,
    core: CoreUnderTest,
    core_api: CoreApi,
    outbox: Outbox,
    suite_env: dict[str, str],
    example: RunningExample,
) -> Iterator[ShortLived]:
    """Where a code or a reset link can be seen to expire: the suite's example on devcore,
    whose clock moves; on a real core, an example of an app with short lifetimes."""
    if core.devcore is not None:
        devcore = core.devcore
        yield ShortLived(
            example,
            core_api,
            reset_link_lifetime_ms=devcore.settings.password_reset_token_lifetime,
            let_pass=lambda lifetime_ms: devcore.advance_clock(lifetime_ms + 1),
        )
        return
    with app_with_short_lifetimes(core_api) as app_api:
        app = CoreUnderTest(
            app_api.uri, app_api.api_key, devcore=None, in_memory=core.in_memory
        )
        with start_example(framework, app, outbox, suite_env) as app_example:
            yield ShortLived(
                app_example,
                app_api,
                reset_link_lifetime_ms=SHORT_LIFETIME_MS,
                let_pass=wait_out,
            )


@pytest.fixture(scope="module")
def throttled_example(
    request: pytest.FixtureRequest,
    framework: str,
    core: CoreUnderTest,
    outbox: Outbox,
    suite_env: dict[str, str],
) -> Iterator[RunningExample]:
    """An example of its own for a throttle's tests, started with the ``TIGHT_LIMITS`` (env
    vars) of the test module that asks for it: the suite's example has limits that no
    flow of the suite reaches."""
    tight_limits = request.module.TIGHT_LIMITS
    with start_example(
        framework, core, outbox, {**suite_env, **tight_limits}
    ) as running:
        yield running


@pytest.fixture
def new_frontend(example: RunningExample) -> Iterator[Callable[..., Frontend]]:
    """Make as many frontends (browsers, devices, attackers) as a test needs."""
    made: list[Frontend] = []

    def make(*, to: RunningExample | None = None, **options: object) -> Frontend:
        """A frontend of the suite's example, or of another one (``to=``) a test started."""
        frontend = Frontend((to or example).url, **options)  # type: ignore[arg-type]
        made.append(frontend)
        return frontend

    yield make
    for frontend in made:
        frontend.close()


@pytest.fixture
def browser(new_frontend: Callable[..., Frontend]) -> Frontend:
    return new_frontend()


@pytest.fixture
def account() -> Account:
    return new_account()


@pytest.fixture
def phone() -> str:
    return new_phone()


@pytest.fixture(scope="module")
def probe(
    example: RunningExample, outbox: Outbox, core_api: CoreApi
) -> Iterator[Probe]:
    """A session held at the second factor with a code sent: a target for bad input."""
    with held_at_the_second_factor(example.url, outbox, core_api) as held:
        yield held


@pytest.fixture(scope="session")
def email_outbox(outbox: Outbox) -> EmailOutbox:
    """The emails the examples send (password reset links), beside the SMS outbox."""
    return EmailOutbox(email_outbox_beside(outbox.path))
