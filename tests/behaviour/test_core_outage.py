"""The SuperTokens core goes away mid-flow, and comes back.

While it is away the example says so plainly: 503 with a JSON message on every API
that needs the core, on all three frameworks, never a stack trace or a framework's
HTML error page; protected routes go on answering from the signed token alone. Once
the core is back, the interrupted flow completes, and a core with a database loses
nothing across the restart. These tests start a devcore of their own (with ``db=``),
so they run the same against a real core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from core.additions.outage import UNAVAILABLE_MESSAGE
from devcore.testing import RunningDevcore, running_devcore
from tests.behaviour.conftest import FAST_BCRYPT_ROUNDS, CoreUnderTest
from tests.harness.accounts import Account, new_account
from tests.harness.core_api import CoreApi
from tests.harness.examples import RunningExample, running_example
from tests.harness.faulty_core import FaultyCore, running_faulty_core
from tests.harness.flows import (
    enrol,
    enter_sent_code,
    pass_second_factor,
    send_code,
    sign_in,
    sign_up,
)
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox


@pytest.fixture(scope="module")
def own_core(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDevcore]:
    db: Path = tmp_path_factory.mktemp("core") / "core.sqlite3"
    with running_devcore(
        in_process=False, db=db, bcrypt_log_rounds=FAST_BCRYPT_ROUNDS
    ) as core:
        yield core


@pytest.fixture(scope="module")
def example_on_own_core(
    framework: str, own_core: RunningDevcore, outbox: Outbox, suite_env: dict[str, str]
) -> Iterator[RunningExample]:
    with running_example(
        framework, core_uri=own_core.uri, outbox=outbox.path, extra_env=suite_env
    ) as running:
        yield running


@pytest.fixture
def core_back_up(own_core: RunningDevcore) -> Iterator[RunningDevcore]:
    """The core, running at the start of the test and again at its end, however it ends."""
    own_core.start()
    yield own_core
    own_core.start()


def assert_unavailable(name: str, response: httpx.Response) -> None:
    assert response.status_code == 503, (name, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), name
    assert response.json() == {"message": UNAVAILABLE_MESSAGE}, name
    assert "Traceback" not in response.text and "File " not in response.text


@pytest.mark.hardening("Faults", "Core stops mid-flow")
def test_the_core_stopping_mid_flow_gets_503_json_and_the_flow_completes_after(
    new_frontend: Callable[..., Frontend],
    example_on_own_core: RunningExample,
    core_back_up: RunningDevcore,
    account: Account,
    phone: str,
    outbox: Outbox,
) -> None:
    browser = new_frontend(to=example_on_own_core)
    sign_up(browser, account)
    send_code(browser, phone)
    assert browser.flow is not None
    code = outbox.latest_code(browser.flow.pre_auth_session_id)
    newcomer = new_frontend(to=example_on_own_core)
    other = new_account()

    core_back_up.stop()
    answers = {
        "enter code": browser.enter_code(code),
        "resend code": browser.resend_code(),
        "create code": browser.send_code(phone),
        "refresh": browser.refresh(),
        "sign in": newcomer.sign_in(account.email, account.password),
        "sign up": newcomer.sign_up(other.email, other.password),
        "signing keys": newcomer.request("GET", "/auth/jwt/jwks.json"),
    }
    still_held = browser.me()
    core_back_up.start()

    for name, response in answers.items():
        assert_unavailable(name, response)
    assert (
        still_held.status_code == 403
    )  # answered from the signed token, no core needed
    assert len(outbox.sent_to(phone)) == 1
    enter_sent_code(browser, outbox)
    assert browser.me().json()["phoneNumber"] == phone


@pytest.mark.hardening("Faults", "Core restart with a database")
def test_a_core_restart_with_a_database_loses_nothing(
    new_frontend: Callable[..., Frontend],
    example_on_own_core: RunningExample,
    core_back_up: RunningDevcore,
    account: Account,
    phone: str,
    outbox: Outbox,
) -> None:
    own_core_api = CoreApi(core_back_up.uri)
    browser = new_frontend(to=example_on_own_core)
    enrol(browser, outbox, account, phone)
    user_id, handle = browser.payload["sub"], browser.session_handle
    metadata = own_core_api.metadata(user_id)

    core_back_up.stop()
    core_back_up.start()

    assert own_core_api.metadata(user_id) == metadata
    assert own_core_api.sessions_of(user_id) == [handle]
    assert browser.refresh().status_code == 200
    assert browser.me().json()["secondFactorCompleted"] is True
    again = new_frontend(to=example_on_own_core)
    sign_in(again, account)
    assert again.payload["phoneNumber"] == phone
    pass_second_factor(again, outbox, phone)
    assert again.me().status_code == 200


@pytest.fixture(scope="module")
def faulty_core(core: CoreUnderTest) -> Iterator[FaultyCore]:
    with running_faulty_core(core.uri) as faulty:
        yield faulty


@pytest.fixture(scope="module")
def example_on_faulty_core(
    framework: str,
    faulty_core: FaultyCore,
    core: CoreUnderTest,
    outbox: Outbox,
    suite_env: dict[str, str],
) -> Iterator[RunningExample]:
    with running_example(
        framework,
        core_uri=faulty_core.uri,
        outbox=outbox.path,
        api_key=core.api_key,
        extra_env=suite_env,
    ) as running:
        yield running


@pytest.mark.hardening("Faults", "Core answers 500")
def test_a_core_that_answers_500_gets_json_with_a_5xx_never_an_error_page(
    new_frontend: Callable[..., Frontend],
    example_on_faulty_core: RunningExample,
    faulty_core: FaultyCore,
    account: Account,
    phone: str,
    outbox: Outbox,
) -> None:
    browser = new_frontend(to=example_on_faulty_core)
    sign_up(browser, account)
    send_code(browser, phone)
    assert browser.flow is not None
    code = outbox.latest_code(browser.flow.pre_auth_session_id)
    newcomer, other = new_frontend(to=example_on_faulty_core), new_account()

    faulty_core.fail(
        "/recipe/signup",
        "/recipe/signin",
        "/recipe/signinup/code",
        "/recipe/signinup/code/consume",
        "/recipe/session/refresh",
        "/recipe/session/verify",
    )
    try:
        answers = {
            "sign up": newcomer.sign_up(other.email, other.password),
            "sign in": newcomer.sign_in(account.email, account.password),
            "create code": browser.send_code(phone),
            "enter code": browser.enter_code(code),
            "refresh": browser.refresh(),
        }
    finally:
        faulty_core.heal()

    for name, response in answers.items():
        assert_unavailable(name, response)
    enter_sent_code(browser, outbox)  # nothing was lost: the flow completes after
    assert browser.me().json()["phoneNumber"] == phone
