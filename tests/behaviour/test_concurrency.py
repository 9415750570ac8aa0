"""Fifty people pass the second factor at the same moment, on one example process:
each ends with exactly their own claim, phone and metadata."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from tests.behaviour.core_limitations import IN_MEMORY_STORAGE_UNDER_CONCURRENT_WRITES
from tests.harness.accounts import new_account
from tests.harness.core_api import CoreApi
from tests.harness.examples import RunningExample
from tests.harness.flows import enter_sent_code, send_code, sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

USERS = 50


@dataclass
class Finished:
    phone: str
    user_id: str
    handle: str
    me: dict[str, Any]


def one_person(
    example: RunningExample, outbox: Outbox, start: threading.Barrier
) -> Finished:
    phone = new_phone()
    with Frontend(example.url) as browser:
        start.wait()
        sign_up(browser, new_account())
        user_id, handle = str(browser.payload["sub"]), browser.session_handle
        send_code(browser, phone)
        enter_sent_code(browser, outbox)
        me = browser.me()
        assert me.status_code == 200, me.text
        assert handle is not None
        return Finished(phone, user_id, handle, me.json())


@pytest.mark.hardening("Load", "50 users at once, one process")
@pytest.mark.core_limitation(IN_MEMORY_STORAGE_UNDER_CONCURRENT_WRITES)
def test_fifty_users_at_once_each_end_with_exactly_their_own_second_factor(
    example: RunningExample, outbox: Outbox, core_api: CoreApi
) -> None:
    start = threading.Barrier(USERS)
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        everyone = list(
            pool.map(lambda _: one_person(example, outbox, start), range(USERS))
        )

    assert len({person.user_id for person in everyone}) == USERS
    assert len({person.phone for person in everyone}) == USERS
    passwordless_ids = set()
    for person in everyone:
        assert person.me == {
            "userId": person.user_id,
            "sessionHandle": person.handle,
            "phoneNumber": person.phone,
            "secondFactorCompleted": True,
        }
        linked = core_api.metadata(person.user_id)["passwordlessUserId"]
        passwordless_user = core_api.user(linked)
        assert passwordless_user is not None
        assert passwordless_user["phoneNumbers"] == [person.phone]
        assert core_api.sessions_of(person.user_id) == [person.handle]
        assert len(outbox.sent_to(person.phone)) == 1
        passwordless_ids.add(linked)
    assert len(passwordless_ids) == USERS
