"""The phone enrolled first is final: no flow started early, in parallel or in another
session can replace it, whenever its code is entered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from core.phone import PHONE_NOT_ENROLLED
from tests.harness.accounts import Account, new_account
from tests.harness.core_api import CoreApi
from tests.harness.evidence import CLAIM
from tests.harness.examples import RunningExample
from tests.harness.flows import enter_sent_code, send_code, sign_in, sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

pytestmark = pytest.mark.hardening("Attack", "Early or parallel enrolment")

ROUNDS = 20


def enrolled_phone(core_api: CoreApi, user_id: str) -> str | None:
    """The phone UserMetadata links to the account, as an operator reads it."""
    linked = core_api.metadata(user_id).get("passwordlessUserId")
    user = core_api.user(linked) if isinstance(linked, str) else None
    return user["phoneNumbers"][0] if user else None


def assert_refused_and_held(frontend: Frontend, answer: httpx.Response) -> None:
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "GENERAL_ERROR", "message": PHONE_NOT_ENROLLED}
    assert frontend.payload[CLAIM]["v"] is False
    assert "phoneNumber" not in frontend.payload
    assert frontend.me().status_code == 403


def test_a_code_asked_for_before_the_owner_enrolled_is_refused_after(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    core_api: CoreApi,
    account: Account,
) -> None:
    """Mallory, with the password, asks for a code on her phone before Alice enrols;
    Alice then enrols hers; Mallory enters her code."""
    alice, mallory = new_frontend(), new_frontend()
    sign_up(alice, account)
    user_id = str(alice.payload["sub"])
    sign_in(mallory, account)
    alices_phone, mallorys_phone = new_phone(), new_phone()
    send_code(mallory, mallorys_phone)  # allowed: no phone is enrolled yet
    assert mallory.flow is not None
    mallorys_code = outbox.latest_code(mallory.flow.pre_auth_session_id)
    send_code(alice, alices_phone)
    enter_sent_code(alice, outbox)
    link = core_api.metadata(user_id)

    answer = mallory.enter_code(mallorys_code)

    assert_refused_and_held(mallory, answer)
    assert core_api.metadata(user_id) == link
    assert enrolled_phone(core_api, user_id) == alices_phone
    assert len(outbox.sent_to(mallorys_phone)) == 1  # the one before, nothing since
    again = new_frontend()
    sign_in(again, account)
    assert again.payload["phoneNumber"] == alices_phone
    send_code(again, alices_phone)  # Alice's own phone still works for her
    enter_sent_code(again, outbox)
    assert again.me().json()["phoneNumber"] == alices_phone


def test_a_code_asked_for_in_the_owners_other_session_is_refused_after(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    core_api: CoreApi,
    account: Account,
) -> None:
    """Two tabs of Alice's (or Mallory at Alice's unlocked computer): the second asks
    for a code on another phone, the first enrols, then the second enters its code."""
    first_tab, second_tab = new_frontend(), new_frontend()
    sign_up(first_tab, account)
    user_id = str(first_tab.payload["sub"])
    sign_in(second_tab, account)
    phone, other_phone = new_phone(), new_phone()
    send_code(second_tab, other_phone)
    assert second_tab.flow is not None
    other_code = outbox.latest_code(second_tab.flow.pre_auth_session_id)
    send_code(first_tab, phone)
    enter_sent_code(first_tab, outbox)
    link = core_api.metadata(user_id)

    answer = second_tab.enter_code(other_code)

    assert_refused_and_held(second_tab, answer)
    assert core_api.metadata(user_id) == link
    assert enrolled_phone(core_api, user_id) == phone
    assert first_tab.me().json()["phoneNumber"] == phone


def enter_both_at_once(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    hosts: list[tuple[RunningExample | None, Outbox]] | None = None,
) -> tuple[str, list[tuple[Frontend, str, httpx.Response]]]:
    """One new account, two sessions with a code each for a phone of their own, both
    codes entered at the same moment: on the suite's example, or one on each of
    ``hosts``."""
    account = new_account()
    on = hosts or [(None, outbox), (None, outbox)]
    (owner, owners_outbox), (other, others_outbox) = [
        (new_frontend(to=example), box) for example, box in on
    ]
    sign_up(owner, account)
    sign_in(other, account)
    sessions = [(owner, new_phone()), (other, new_phone())]
    codes = []
    for (frontend, phone), box in zip(
        sessions, [owners_outbox, others_outbox], strict=True
    ):
        send_code(frontend, phone)
        assert frontend.flow is not None
        codes.append(box.latest_code(frontend.flow.pre_auth_session_id))
    start = threading.Barrier(2)

    def enter(frontend: Frontend, code: str) -> httpx.Response:
        start.wait()
        return frontend.enter_code(code)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(enter, [frontend for frontend, _ in sessions], codes))
    results = [
        (frontend, phone, answer)
        for (frontend, phone), answer in zip(sessions, answers, strict=True)
    ]
    return str(owner.payload["sub"]), results


def test_two_codes_entered_at_once_for_two_phones_enrol_exactly_one(
    new_frontend: Callable[..., Frontend], outbox: Outbox, core_api: CoreApi
) -> None:
    for _ in range(ROUNDS):
        user_id, results = enter_both_at_once(new_frontend, outbox)

        enrolled = enrolled_phone(core_api, user_id)
        winners = [r for r in results if r[2].json()["status"] == "OK"]
        losers = [r for r in results if r[2].json()["status"] != "OK"]
        assert len(winners) == 1, [answer.json() for _, _, answer in results]
        [(winner, winners_phone, _)] = winners
        [(loser, _, refused)] = losers
        assert enrolled == winners_phone
        assert winner.me().json()["phoneNumber"] == winners_phone
        assert_refused_and_held(loser, refused)
