"""What the second factor keeps in the access-token payload, in one place.

The payload is signed by the core and read without a core call, so the phone check
(step 5) and the "is this my OTP flow?" check cost nothing per request.
"""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.session.interfaces import SessionContainer

from core.claim import SecondFactorClaim

PHONE_NUMBER = "phoneNumber"
"""The enrolled phone (step 5), so the frontend never has to ask for it again."""

OTP_FLOW = "otpPreAuthSessionId"
"""The OTP flow this session started: only this session may resend or consume it."""


def phone_number_in(session: SessionContainer) -> str | None:
    value = session.get_access_token_payload().get(PHONE_NUMBER)
    return value if isinstance(value, str) else None


def otp_flow_in(session: SessionContainer) -> str | None:
    value = session.get_access_token_payload().get(OTP_FLOW)
    return value if isinstance(value, str) else None


async def start_otp_flow(
    session: SessionContainer, pre_auth_session_id: str, user_context: dict[str, Any]
) -> None:
    await session.merge_into_access_token_payload(
        {OTP_FLOW: pre_auth_session_id}, user_context
    )


async def complete_second_factor(
    session: SessionContainer, phone_number: str | None, user_context: dict[str, Any]
) -> None:
    """Set the claim true, show the phone and end the flow, in one token regeneration."""
    update: dict[str, Any] = SecondFactorClaim.add_to_payload_({}, True, user_context)
    update[OTP_FLOW] = None  # None removes the key
    if phone_number is not None:
        update[PHONE_NUMBER] = phone_number
    await session.merge_into_access_token_payload(update, user_context)
