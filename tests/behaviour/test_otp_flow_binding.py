"""An OTP flow belongs to the session that started it, and to no one else.

The ``preAuthSessionId`` and ``deviceId`` of a flow are not secrets (they sit in the
frontend's storage), and a code can be phished. None of it lets another session finish
the flow: the flow is bound to the session in its access token.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.second_factor import FLOW_NOT_STARTED_HERE
from tests.harness.accounts import new_account
from tests.harness.core_api import CoreApi
from tests.harness.evidence import left_untouched
from tests.harness.flows import enter_sent_code, send_code, sign_up
from tests.harness.frontend import Frontend, OtpFlow
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

pytestmark = pytest.mark.hardening("Attack", "Another user's OTP flow")


def signed_up(new_frontend: Callable[..., Frontend]) -> Frontend:
    frontend = new_frontend()
    sign_up(frontend, new_account())
    return frontend


def alice_waiting_for_her_code(
    new_frontend: Callable[..., Frontend], outbox: Outbox
) -> tuple[Frontend, str, OtpFlow, str]:
    alice, alices_phone = signed_up(new_frontend), new_phone()
    send_code(alice, alices_phone)
    assert alice.flow is not None
    return (
        alice,
        alices_phone,
        alice.flow,
        outbox.latest_code(alice.flow.pre_auth_session_id),
    )


def test_alices_flow_and_code_do_not_complete_from_bobs_session(
    new_frontend: Callable[..., Frontend], outbox: Outbox, core_api: CoreApi
) -> None:
    alice, alices_phone, alices_flow, alices_code = alice_waiting_for_her_code(
        new_frontend, outbox
    )
    bob = signed_up(new_frontend)
    evidence = left_untouched(
        outbox, core_api, sessions=[bob, alice], phones=[alices_phone]
    )

    answer = bob.enter_code(alices_code, alices_flow)

    assert answer.json() == {
        "status": "GENERAL_ERROR",
        "message": FLOW_NOT_STARTED_HERE,
    }
    evidence.assert_no_trace()
    enter_sent_code(alice, outbox)  # Bob's try did not even reach the core
    assert alice.me().json()["phoneNumber"] == alices_phone


def test_alices_device_in_bobs_own_flow_does_not_complete_it(
    new_frontend: Callable[..., Frontend], outbox: Outbox, core_api: CoreApi
) -> None:
    """Bob starts a flow of his own, then offers Alice's device id and code in it."""
    alice, alices_phone, alices_flow, alices_code = alice_waiting_for_her_code(
        new_frontend, outbox
    )
    bob = signed_up(new_frontend)
    send_code(bob, new_phone())
    assert bob.flow is not None
    mixed = OtpFlow(alices_flow.device_id, bob.flow.pre_auth_session_id)
    evidence = left_untouched(
        outbox, core_api, sessions=[bob, alice], phones=[alices_phone]
    )

    answer = bob.enter_code(alices_code, mixed)

    assert answer.json() == {"status": "RESTART_FLOW_ERROR"}
    evidence.assert_no_trace()
    enter_sent_code(alice, outbox)
    assert alice.me().status_code == 200


def test_bob_cannot_resend_alices_code(
    new_frontend: Callable[..., Frontend], outbox: Outbox, core_api: CoreApi
) -> None:
    alice, alices_phone, alices_flow, _ = alice_waiting_for_her_code(
        new_frontend, outbox
    )
    bob = signed_up(new_frontend)
    evidence = left_untouched(
        outbox, core_api, sessions=[bob, alice], phones=[alices_phone]
    )

    answer = bob.resend_code(alices_flow)

    assert answer.json() == {
        "status": "GENERAL_ERROR",
        "message": FLOW_NOT_STARTED_HERE,
    }
    evidence.assert_no_trace()
