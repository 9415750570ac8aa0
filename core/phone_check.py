"""Step 4 of the guide: validating the phone number.

Left as it is, the API that sends a code sends it to whatever number it is given. The
guide's attack: Mallory guesses Alice's password, asks for the code on *her own* phone,
receives it and passes the second factor. So once a phone is enrolled,
``create_code_post`` sends codes to that phone only, compared in E.164 so that how it
is typed never decides whose phone it is.

Where the guide raises an exception (which the framework answers with a 500), a
refusal here is ``GENERAL_ERROR`` with the guide's message, which SuperTokens' frontends
show. The guide does not override ``resend_code_post``; the SDK resends to the phone of
whichever device a request names, which would let any session have another's code sent
again, so it resends only within the flow this session started.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from supertokens_python.recipe.passwordless.interfaces import (
    APIOptions,
    CreateCodePostOkResult,
    ResendCodePostOkResult,
    ResendCodePostRestartFlowError,
    SignInUpPostNotAllowedResponse,
)
from supertokens_python.recipe.session.interfaces import SessionContainer
from supertokens_python.types.response import GeneralErrorResponse

from core.phone import PHONE_NOT_ENROLLED, same_phone
from core.second_factor import (
    FLOW_NOT_STARTED_HERE,
    device_in_flow,
    first_factor_session,
)
from core.session_payload import otp_flow_in, saved_phone_number, start_otp_flow

CreateCodePostResult = (
    CreateCodePostOkResult | SignInUpPostNotAllowedResponse | GeneralErrorResponse
)
ResendCodePostResult = (
    ResendCodePostOkResult | ResendCodePostRestartFlowError | GeneralErrorResponse
)


async def create_code_post(
    original: Callable[..., Awaitable[CreateCodePostResult]],
    email: str | None,
    phone_number: str | None,
    session: SessionContainer | None,
    should_try_linking_with_session_user: bool | None,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> CreateCodePostResult:
    """A code is sent only to the enrolled phone (any valid one before enrolment), and
    its flow is recorded in the session that asked for it."""
    first_factor = await first_factor_session(api_options, user_context)
    assert phone_number is not None  # the SDK insists on one (phone-only config)
    saved = await saved_phone_number(first_factor, user_context)
    if saved is not None and not same_phone(phone_number, saved):
        return GeneralErrorResponse(PHONE_NOT_ENROLLED)
    result = await original(
        email=email,
        phone_number=phone_number,
        session=None,  # the code is this session's own, by steps 2 and 3: not the
        should_try_linking_with_session_user=False,  # SDK's account linking (MFA)
        tenant_id=tenant_id,
        api_options=api_options,
        user_context=user_context,
    )
    if isinstance(result, CreateCodePostOkResult):
        await start_otp_flow(first_factor, result.pre_auth_session_id, user_context)
    return result


async def resend_code_post(
    original: Callable[..., Awaitable[ResendCodePostResult]],
    device_id: str,
    pre_auth_session_id: str,
    session: SessionContainer | None,
    should_try_linking_with_session_user: bool | None,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> ResendCodePostResult:
    """A code is sent again only in the flow this session started, to its device."""
    first_factor = await first_factor_session(api_options, user_context)
    if otp_flow_in(first_factor) != pre_auth_session_id:
        return GeneralErrorResponse(FLOW_NOT_STARTED_HERE)
    if not await device_in_flow(
        device_id, pre_auth_session_id, tenant_id, api_options, user_context
    ):
        return ResendCodePostRestartFlowError()
    return await original(
        device_id,
        pre_auth_session_id,
        None,  # as for a first send: this session's own code, not account linking
        False,
        tenant_id,
        api_options,
        user_context,
    )
