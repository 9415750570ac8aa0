"""Step 3 of the guide: the claim, and keeping the session when the code is entered.

The session says whether the second factor is done through a claim, the guide's
``SecondFactorClaim``: ``2fa-completed`` in the access-token payload. Every new session
starts with it false, only a correct code sets it true, and every route protected by
``verify_session()`` requires it.

When the code is right, the passwordless recipe asks for a *new* session, of its own
user. The guide's answer: ``consume_code_post`` puts the first-factor session in the
user context and ``create_new_session`` hands that one back, so the person stays
signed in to their own account.

The guide's holes, closed where they open:

* ``first_factor_session`` checks the session at the core, not only its signature:
  a token kept after sign-out must not go on asking for codes.
* ``consume_code_post`` takes only the flow this session started, a device of that flow
  (``device_in_flow``) and a typed code: with the guide's, any session could complete
  another's flow, and a frontend could send a magic link no one was sent.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from supertokens_python.framework import BaseRequest
from supertokens_python.recipe.passwordless.interfaces import (
    APIOptions,
    ConsumeCodePostExpiredUserInputCodeError,
    ConsumeCodePostIncorrectUserInputCodeError,
    ConsumeCodePostOkResult,
    ConsumeCodePostRestartFlowError,
    SignInUpPostNotAllowedResponse,
)
from supertokens_python.recipe.passwordless.types import DeviceType
from supertokens_python.recipe.session.asyncio import get_session
from supertokens_python.recipe.session.claims import BooleanClaim
from supertokens_python.recipe.session.interfaces import (
    SessionClaimValidator,
    SessionContainer,
)
from supertokens_python.recipe.session.utils import (
    TokenTransferMethod,
    get_token_transfer_method_default,
)
from supertokens_python.types import RecipeUserId
from supertokens_python.types.response import GeneralErrorResponse

from core.enrolment_lock import EnrolmentLock
from core.phone import PHONE_NOT_ENROLLED, same_phone
from core.phone_link import enrolled_phone_number, remember_passwordless_user
from core.session_payload import (
    otp_flow_in,
    phone_number_in,
    phone_shown_and_flow_ended,
    with_enrolled_phone,
)

ConsumeCodePostResult = (
    ConsumeCodePostOkResult
    | ConsumeCodePostRestartFlowError
    | GeneralErrorResponse
    | ConsumeCodePostIncorrectUserInputCodeError
    | ConsumeCodePostExpiredUserInputCodeError
    | SignInUpPostNotAllowedResponse
)

KEPT_SESSION = "session"
"""The user-context key of the session ``create_new_session`` hands back, as the
guide names it."""

FIRST_FACTOR_SESSION = "firstFactorSession"
"""The user-context key under which a request's first-factor session is kept."""

FLOW_NOT_STARTED_HERE = (
    "This code was not requested from this session. Please request a new code."
)
ENTER_THE_SMS_CODE = "Please enter the code sent to your phone"


def _not_completed_yet(
    _user_id: str,
    _recipe_user_id: RecipeUserId,
    _tenant_id: str,
    _current_payload: dict[str, Any],
    _user_context: dict[str, Any],
) -> bool:
    # Never fetched from anywhere: false until the code says otherwise.
    return False


SecondFactorClaim = BooleanClaim(key="2fa-completed", fetch_value=_not_completed_yet)


def get_global_claim_validators(
    tenant_id: str,
    user_id: str,
    recipe_user_id: RecipeUserId,
    claim_validators_added_by_other_recipes: list[SessionClaimValidator],
    user_context: dict[str, Any],
) -> list[SessionClaimValidator]:
    """Every ``verify_session()`` route requires the claim, without naming it.

    ``has_value(True)`` is the guide's ``is_true()``: true, however long ago it was set.
    """
    return [
        *claim_validators_added_by_other_recipes,
        SecondFactorClaim.validators.has_value(True),
    ]


async def create_new_session(
    original: Callable[..., Awaitable[SessionContainer]],
    user_id: str,
    recipe_user_id: RecipeUserId,
    access_token_payload: dict[str, Any] | None,
    session_data_in_database: dict[str, Any] | None,
    disable_anti_csrf: bool | None,
    tenant_id: str,
    user_context: dict[str, Any],
) -> SessionContainer:
    """A first factor's session starts with the claim false (and step 5's phone); the
    session a code was just entered in is kept instead of a new one."""
    kept = user_context.get(KEPT_SESSION)
    if isinstance(kept, SessionContainer):
        return kept
    payload = {
        **(access_token_payload or {}),
        **await SecondFactorClaim.build(
            user_id, recipe_user_id, tenant_id, access_token_payload or {}, user_context
        ),
    }
    payload = await with_enrolled_phone(payload, user_id, user_context)
    return await original(
        user_id,
        recipe_user_id,
        payload,
        session_data_in_database,
        disable_anti_csrf,
        tenant_id,
        user_context,
    )


async def first_factor_session(
    api_options: APIOptions, user_context: dict[str, Any]
) -> SessionContainer:
    """The session of the first factor; without one the SDK answers 401.

    Its claim validators are off: the OTP APIs are how the claim gets set. It is
    checked at the core once per request, however many layers ask for it.
    """
    known = user_context.get(FIRST_FACTOR_SESSION)
    if isinstance(known, SessionContainer):
        return known
    session = await get_session(
        api_options.request,
        check_database=True,
        override_global_claim_validators=lambda _validators, _session, _context: [],
        user_context=user_context,
    )
    assert session is not None  # session_required defaults to True: none raises 401
    user_context[FIRST_FACTOR_SESSION] = session
    return session


async def consume_code_post(
    lock: EnrolmentLock,
    original: Callable[..., Awaitable[ConsumeCodePostResult]],
    pre_auth_session_id: str,
    user_input_code: str | None,
    device_id: str | None,
    link_code: str | None,
    session: SessionContainer | None,
    should_try_linking_with_session_user: bool | None,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> ConsumeCodePostResult:
    """The code is entered: in the same session, the claim is set and the phone's
    user linked to the account (step 2)."""
    first_factor = await first_factor_session(api_options, user_context)
    if otp_flow_in(first_factor) != pre_auth_session_id:
        return GeneralErrorResponse(FLOW_NOT_STARTED_HERE)
    if device_id is None or user_input_code is None:  # a link code: never sent here
        return GeneralErrorResponse(ENTER_THE_SMS_CODE)
    user_input_code = as_typed(user_input_code)
    device = await device_in_flow(
        device_id, pre_auth_session_id, tenant_id, api_options, user_context
    )
    if device is None or device.phone_number is None:
        return ConsumeCodePostRestartFlowError()

    user_context[KEPT_SESSION] = first_factor

    def check_the_code() -> Awaitable[ConsumeCodePostResult]:
        return original(
            pre_auth_session_id,
            user_input_code,
            device_id,
            link_code,
            None,  # this session's own second factor (steps 2 and 3): not the SDK's
            False,  # account linking, which MFA frontends may ask for
            tenant_id,
            api_options,
            user_context,
        )

    in_token = phone_number_in(first_factor)
    if in_token is not None:  # enrolled before this session began: final
        return await enter_code(
            check_the_code, first_factor, device.phone_number, in_token, user_context
        )
    async with lock.held(first_factor.get_user_id()):
        enrolled = await enrolled_phone_number(first_factor.get_user_id(), user_context)
        return await enter_code(
            check_the_code, first_factor, device.phone_number, enrolled, user_context
        )


def as_typed(code: str) -> str:
    """The code a person meant, however they typed it: spaces around or inside it, or
    full-width digits (as a phone's keyboard may give), cost no attempt of the five.

    >>> as_typed(" 12 34\uff15\uff16 ")
    '123456'
    """
    return "".join(unicodedata.normalize("NFKC", code).split())


async def enter_code(
    check_the_code: Callable[[], Awaitable[ConsumeCodePostResult]],
    first_factor: SessionContainer,
    flow_phone: str,
    enrolled_phone: str | None,
    user_context: dict[str, Any],
) -> ConsumeCodePostResult:
    """The code of a flow for ``flow_phone`` counts only if no other phone is enrolled
    now; the first phone whose code is right is linked, and stays."""
    if enrolled_phone is not None and not same_phone(flow_phone, enrolled_phone):
        return GeneralErrorResponse(PHONE_NOT_ENROLLED)
    result = await check_the_code()
    if isinstance(result, ConsumeCodePostOkResult):
        phone = result.user.phone_numbers[0] if result.user.phone_numbers else None
        await complete_second_factor(first_factor, phone, user_context)
        if enrolled_phone is None:
            await remember_passwordless_user(
                first_factor.get_user_id(), result.user.id, user_context
            )
    return result


def kept_session_transport(
    request: BaseRequest, for_create_new_session: bool, user_context: dict[str, Any]
) -> TokenTransferMethod | Literal["any"]:
    """The kept session stays on the transport it came in on (cookies or headers),
    whatever the request's ``st-auth-mode`` says; any other, as the SDK decides."""
    kept = user_context.get(KEPT_SESSION)
    came_in_on = kept.req_res_info if isinstance(kept, SessionContainer) else None
    if for_create_new_session and came_in_on is not None:
        return came_in_on.transfer_method
    sdk_rule: TokenTransferMethod | Literal["any"] = get_token_transfer_method_default(
        request, for_create_new_session, user_context
    )
    return sdk_rule


async def complete_second_factor(
    session: SessionContainer, phone_number: str | None, user_context: dict[str, Any]
) -> None:
    """The guide's ``set_claim_value(SecondFactorClaim, True)``, with the phone shown
    and the flow ended in the same, single token regeneration."""
    update = {
        **SecondFactorClaim.add_to_payload_({}, True, user_context),
        **phone_shown_and_flow_ended(phone_number),
    }
    await session.merge_into_access_token_payload(update, user_context)


_STANDARD_BASE64 = re.compile(r"[A-Za-z0-9+/]+")


def is_device_id(text: str) -> bool:
    """Whether ``text`` is standard base64 (padding optional), as the core's ids are."""
    unpadded = text.rstrip("=")
    if not _STANDARD_BASE64.fullmatch(unpadded) or len(text) - len(unpadded) > 2:
        return False
    try:
        base64.b64decode(unpadded + "=" * (-len(unpadded) % 4), validate=True)
    except binascii.Error:
        return False
    return True


async def device_in_flow(
    device_id: str,
    pre_auth_session_id: str,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> DeviceType | None:
    """The device (one code sent to one phone) ``device_id`` names, if it exists and
    belongs to this flow.

    A flow's ``preAuthSessionId`` and its ``deviceId`` travel together from the
    frontend, and anyone can pair any device with any flow. The core answers a device
    id it cannot decode, or one of another flow, with HTTP 400, which the SDK raises (a
    500): both are checked here first, and a mismatch is answered as the SDK answers a
    device it does not know, ``RESTART_FLOW_ERROR``.
    """
    if not is_device_id(device_id):
        return None
    device = await api_options.recipe_implementation.list_codes_by_device_id(
        device_id=device_id, tenant_id=tenant_id, user_context=user_context
    )
    if device is None or device.pre_auth_session_id != pre_auth_session_id:
        return None
    return device
