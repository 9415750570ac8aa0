"""The state file (``STATE_DB``: the send counts, the enrolment lock) goes away or
breaks while the app runs.

Deleted, it is made again and the flow goes on; unusable, every API that needs it
answers 503 with a JSON message and sends nothing, never a 500; repaired, it works
again, without a restart. These tests run on an example with a state file of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.behaviour.conftest import CoreUnderTest, start_example
from tests.behaviour.test_core_outage import assert_unavailable
from tests.harness.accounts import Account, new_account
from tests.harness.examples import RunningExample
from tests.harness.flows import enter_sent_code, send_code, sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone


@pytest.fixture(scope="module")
def state_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("state") / "state.sqlite3"


@pytest.fixture(scope="module")
def example_with_own_state(
    framework: str,
    core: CoreUnderTest,
    outbox: Outbox,
    suite_env: dict[str, str],
    state_db: Path,
) -> Iterator[RunningExample]:
    env = {**suite_env, "STATE_DB": str(state_db)}
    with start_example(framework, core, outbox, env) as running:
        yield running


def delete_state_file(state_db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{state_db}{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def unusable(state_db: Path) -> Iterator[None]:
    """A folder where the file was (what a bad deployment or a full disk may leave),
    for as long as the block runs."""
    delete_state_file(state_db)
    state_db.mkdir()
    try:
        yield
    finally:
        state_db.rmdir()


@pytest.mark.hardening("Faults", "State file deleted")
def test_the_state_file_deleted_while_the_app_runs_is_made_again_and_codes_go_out(
    new_frontend: Callable[..., Frontend],
    example_with_own_state: RunningExample,
    state_db: Path,
    account: Account,
    phone: str,
    outbox: Outbox,
) -> None:
    browser = new_frontend(to=example_with_own_state)
    sign_up(browser, account)
    send_code(browser, phone)

    delete_state_file(state_db)
    again = browser.send_code(phone)

    assert again.status_code == 200, again.text
    assert again.json()["status"] == "OK"
    assert len(outbox.sent_to(phone)) == 2
    delete_state_file(state_db)
    enter_sent_code(browser, outbox)  # under the enrolment lock, in the same file
    assert browser.me().json()["phoneNumber"] == phone
    assert state_db.exists()


@pytest.mark.hardening("Faults", "State file unusable")
def test_an_unusable_state_file_gets_503_json_sends_nothing_and_works_once_repaired(
    new_frontend: Callable[..., Frontend],
    example_with_own_state: RunningExample,
    state_db: Path,
    account: Account,
    phone: str,
    outbox: Outbox,
) -> None:
    browser = new_frontend(to=example_with_own_state)
    sign_up(browser, account)
    send_code(browser, phone)
    assert browser.flow is not None
    code = outbox.latest_code(browser.flow.pre_auth_session_id)
    newcomer, other_phone = new_frontend(to=example_with_own_state), new_phone()
    sign_up(newcomer, new_account())

    with unusable(state_db):
        answers = {
            "create code": newcomer.send_code(other_phone),
            "resend code": browser.resend_code(),
            "enter code": browser.enter_code(code),
        }

    for name, response in answers.items():
        assert_unavailable(name, response)
    assert len(outbox.sent_to(phone)) == 1
    assert outbox.sent_to(other_phone) == []
    enter_sent_code(browser, outbox)  # the code was not checked, so no try was used
    assert browser.me().json()["phoneNumber"] == phone
    send_code(newcomer, other_phone)
    assert len(outbox.sent_to(other_phone)) == 1
