"""Fixtures of the behavioural suite: a core, the chosen example, and frontends to drive it.

The core is devcore, started here, unless ``SUPERTOKENS_CONNECTION_URI`` names a real
one; the example is the one named by ``--framework``, started as its README says.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from devcore.testing import RunningDevcore, running_devcore
from tests.harness.accounts import Account, new_account
from tests.harness.core_api import CoreApi
from tests.harness.examples import RunningExample, running_example
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone


@dataclass(frozen=True)
class CoreUnderTest:
    uri: str
    api_key: str | None
    devcore: RunningDevcore | None
    """Set when the suite started devcore itself, whose test hooks it may then use."""


@pytest.fixture(scope="session")
def core() -> Iterator[CoreUnderTest]:
    uri = os.environ.get("SUPERTOKENS_CONNECTION_URI")
    if uri:
        yield CoreUnderTest(uri, os.environ.get("SUPERTOKENS_API_KEY"), devcore=None)
        return
    with running_devcore(in_process=False) as devcore:
        yield CoreUnderTest(devcore.uri, None, devcore)


@pytest.fixture
def devcore(core: CoreUnderTest) -> RunningDevcore:
    """devcore's handle, for tests that must move its clock; skipped on a real core."""
    if core.devcore is None:
        pytest.skip("needs devcore's test hooks; SUPERTOKENS_CONNECTION_URI names a real core")
    return core.devcore


@pytest.fixture(scope="session")
def core_api(core: CoreUnderTest) -> CoreApi:
    return CoreApi(core.uri, core.api_key)


@pytest.fixture(scope="session")
def outbox(tmp_path_factory: pytest.TempPathFactory) -> Outbox:
    return Outbox(tmp_path_factory.mktemp("sms") / "outbox.jsonl")


@pytest.fixture(scope="session")
def example(
    request: pytest.FixtureRequest, core: CoreUnderTest, outbox: Outbox
) -> Iterator[RunningExample]:
    framework = request.config.getoption("--framework")
    with running_example(
        framework, core_uri=core.uri, outbox=outbox.path, api_key=core.api_key
    ) as running:
        yield running


@pytest.fixture
def new_frontend(example: RunningExample) -> Iterator[Callable[..., Frontend]]:
    """Make as many frontends (browsers, devices, attackers) as a test needs."""
    made: list[Frontend] = []

    def make(**options: object) -> Frontend:
        frontend = Frontend(example.url, **options)  # type: ignore[arg-type]
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
