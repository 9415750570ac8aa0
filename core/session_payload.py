"""Step 5 of the guide: the phone in the session, and the rest of what this project
keeps in the access-token payload, read and written here only.

When the first factor makes a session for someone who has enrolled, their phone goes
into its payload: the frontend can then ask for a code without asking for the number
again, and step 4's check reads it from the token instead of calling the core. The
payload is signed by the core and read without a core call. Besides the claim (step 3,
``core.second_factor``), it holds:

* ``phoneNumber``: the enrolled phone;
* ``otpPreAuthSessionId``: the OTP flow this session started. The guide lets any
  session resend or complete any flow; here only the one that started it may.
"""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.session.interfaces import SessionContainer

from core.phone_link import enrolled_phone_number

PHONE_NUMBER = "phoneNumber"
OTP_FLOW = "otpPreAuthSessionId"


async def with_enrolled_phone(
    payload: dict[str, Any], user_id: str, user_context: dict[str, Any]
) -> dict[str, Any]:
    """A new session's ``payload``, with the phone its user enrolled, if they did.

    The guide writes ``"phoneNumber": None`` for a user with no phone; here the key is
    left out.
    """
    phone_number = await enrolled_phone_number(user_id, user_context)
    if phone_number is None:
        return payload
    return {**payload, PHONE_NUMBER: phone_number}


async def saved_phone_number(
    session: SessionContainer, user_context: dict[str, Any]
) -> str | None:
    """The enrolled phone: from the token (step 5), else looked up, as the guide does.

    Only a session made before its user enrolled lacks it in the token; looking it up
    then stops such an older session from enrolling a second phone.
    """
    return phone_number_in(session) or await enrolled_phone_number(
        session.get_user_id(), user_context
    )


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


def phone_shown_and_flow_ended(phone_number: str | None) -> dict[str, Any]:
    """What the payload gains, beside the claim, once the code is entered."""
    update: dict[str, Any] = {OTP_FLOW: None}  # None removes the key
    if phone_number is not None:
        update[PHONE_NUMBER] = phone_number
    return update
