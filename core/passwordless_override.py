"""Steps 2, 3 and 4 of the guide: the passwordless APIs as a *second* factor.

The SDK's passwordless APIs are built to sign someone in. Here they may only be used
from a first-factor session, and only for that session's own phone and OTP flow:

* ``create_code_post`` (step 4) refuses any phone other than the enrolled one, so a
  stolen password cannot have the OTP sent to the attacker's phone.
* ``resend_code_post`` resends only within the flow this session started; the SDK
  itself looks at the device id alone, which would let the step-4 check be bypassed.
  ``consume_code_post`` too, and only with a device of that flow (``core.otp_device``).
* ``consume_code_post`` (steps 2 and 3) keeps the existing session, sets the claim
  true and links the passwordless user to the first-factor user in UserMetadata.
* The "does this phone exist" APIs are switched off: no first factor asks them.
* Both APIs that send a code first ask the SMS throttle (``core.sms_throttle``); a
  throttled request sends nothing and says when to try again.

Refusals are ``GENERAL_ERROR`` answers, which SuperTokens frontends show as a message,
never an exception (which the framework would turn into a 500).
"""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.passwordless.interfaces import (
    APIInterface,
    APIOptions,
    ConsumeCodePostExpiredUserInputCodeError,
    ConsumeCodePostIncorrectUserInputCodeError,
    ConsumeCodePostOkResult,
    ConsumeCodePostRestartFlowError,
    CreateCodePostOkResult,
    ResendCodePostOkResult,
    ResendCodePostRestartFlowError,
    SignInUpPostNotAllowedResponse,
)
from supertokens_python.recipe.session.asyncio import get_session
from supertokens_python.recipe.session.interfaces import SessionContainer
from supertokens_python.types.response import GeneralErrorResponse

from core.enrolled_phone import enrolled_phone_number, remember_passwordless_user
from core.otp_device import device_in_flow
from core.phone import same_phone
from core.send_throttle import Throttled, ThrottledResponse
from core.session_override import FIRST_FACTOR_SESSION
from core.session_payload import (
    complete_second_factor,
    otp_flow_in,
    phone_number_in,
    start_otp_flow,
)
from core.sms_throttle import SmsThrottle

PHONE_NOT_ENROLLED = "Input phone number is not the same as the one saved for this user"
ENTER_THE_SMS_CODE = "Please enter the code sent to your phone"
FLOW_NOT_STARTED_HERE = (
    "This code was not requested from this session. Please request a new code."
)


async def first_factor_session(
    api_options: APIOptions, user_context: dict[str, Any]
) -> SessionContainer:
    """The session of the first factor; without one the SDK answers 401.

    The claim validators are switched off: these APIs are how the claim gets set. The
    session is checked against the core, not only its token's signature: a token taken
    before sign-out must not go on asking for SMS codes until it expires.
    """
    session = await get_session(
        api_options.request,
        check_database=True,
        override_global_claim_validators=lambda _validators, _session, _context: [],
        user_context=user_context,
    )
    assert (
        session is not None
    )  # session_required defaults to True: no session raises 401
    return session


async def saved_phone_number(
    session: SessionContainer, user_context: dict[str, Any]
) -> str | None:
    """The enrolled phone: from the token (step 5), else looked up (step 4).

    Only a session made before its user enrolled lacks the phone, and looking it up
    then stops such an older session from enrolling a second phone.
    """
    return phone_number_in(session) or await enrolled_phone_number(
        session.get_user_id(), user_context
    )


def override_passwordless_apis(
    original_implementation: APIInterface, throttle: SmsThrottle
) -> APIInterface:
    original_create_code_post = original_implementation.create_code_post
    original_resend_code_post = original_implementation.resend_code_post
    original_consume_code_post = original_implementation.consume_code_post

    async def create_code_post(
        email: str | None,
        phone_number: str | None,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> CreateCodePostOkResult | SignInUpPostNotAllowedResponse | GeneralErrorResponse:
        first_factor = await first_factor_session(api_options, user_context)
        # The SDK insists on a phoneNumber (phone-only config); the guard, on a string.
        assert phone_number is not None
        saved = await saved_phone_number(first_factor, user_context)
        if saved is not None and not same_phone(phone_number, saved):
            return GeneralErrorResponse(PHONE_NOT_ENROLLED)

        reservation = await throttle.reserve(
            first_factor.get_handle(), first_factor.get_user_id(), phone_number
        )
        if isinstance(reservation, Throttled):
            return ThrottledResponse(reservation)
        async with throttle.released_unless_sent(reservation) as sent:
            result = await original_create_code_post(
                email,
                phone_number,
                session,
                should_try_linking_with_session_user,
                tenant_id,
                api_options,
                user_context,
            )
            sent(isinstance(result, CreateCodePostOkResult))
        if isinstance(result, CreateCodePostOkResult):
            await start_otp_flow(first_factor, result.pre_auth_session_id, user_context)
        return result

    async def resend_code_post(
        device_id: str,
        pre_auth_session_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> ResendCodePostOkResult | ResendCodePostRestartFlowError | GeneralErrorResponse:
        first_factor = await first_factor_session(api_options, user_context)
        if otp_flow_in(first_factor) != pre_auth_session_id:
            return GeneralErrorResponse(FLOW_NOT_STARTED_HERE)
        device = await device_in_flow(
            device_id, pre_auth_session_id, tenant_id, api_options, user_context
        )
        if device is None or device.phone_number is None:
            return ResendCodePostRestartFlowError()

        reservation = await throttle.reserve(
            first_factor.get_handle(), first_factor.get_user_id(), device.phone_number
        )
        if isinstance(reservation, Throttled):
            return ThrottledResponse(reservation)
        async with throttle.released_unless_sent(reservation) as sent:
            result = await original_resend_code_post(
                device_id,
                pre_auth_session_id,
                session,
                should_try_linking_with_session_user,
                tenant_id,
                api_options,
                user_context,
            )
            sent(isinstance(result, ResendCodePostOkResult))
        return result

    async def consume_code_post(
        pre_auth_session_id: str,
        user_input_code: str | None,
        device_id: str | None,
        link_code: str | None,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> (
        ConsumeCodePostOkResult
        | ConsumeCodePostRestartFlowError
        | GeneralErrorResponse
        | ConsumeCodePostIncorrectUserInputCodeError
        | ConsumeCodePostExpiredUserInputCodeError
        | SignInUpPostNotAllowedResponse
    ):
        first_factor = await first_factor_session(api_options, user_context)
        if otp_flow_in(first_factor) != pre_auth_session_id:
            return GeneralErrorResponse(FLOW_NOT_STARTED_HERE)
        if device_id is None or user_input_code is None:  # a link code: never sent here
            return GeneralErrorResponse(ENTER_THE_SMS_CODE)
        if not await device_in_flow(
            device_id, pre_auth_session_id, tenant_id, api_options, user_context
        ):
            return ConsumeCodePostRestartFlowError()

        # The session override returns this session instead of creating a new one.
        user_context[FIRST_FACTOR_SESSION] = first_factor
        result = await original_consume_code_post(
            pre_auth_session_id,
            user_input_code,
            device_id,
            link_code,
            session,
            should_try_linking_with_session_user,
            tenant_id,
            api_options,
            user_context,
        )
        if isinstance(result, ConsumeCodePostOkResult):
            phone = result.user.phone_numbers[0] if result.user.phone_numbers else None
            await complete_second_factor(first_factor, phone, user_context)
            await remember_passwordless_user(
                first_factor.get_user_id(), result.user.id, user_context
            )
        return result

    original_implementation.create_code_post = create_code_post  # type: ignore[method-assign]
    original_implementation.resend_code_post = resend_code_post  # type: ignore[method-assign]
    original_implementation.consume_code_post = consume_code_post  # type: ignore[method-assign]
    # Passwordless is never a first factor here, so nobody needs to ask whether a phone
    # has an account; answering would tell strangers which phones guard which accounts.
    original_implementation.disable_phone_number_exists_get = True
    original_implementation.disable_email_exists_get = True
    return original_implementation
