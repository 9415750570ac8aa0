"""Phone OTP through the SDK: codes are six digits, single-use, expire, and run out."""

from __future__ import annotations

import re

import pytest
from supertokens_python.asyncio import get_user
from supertokens_python.recipe.passwordless.asyncio import (
    check_code,
    consume_code,
    create_code,
    create_new_code_for_device,
    list_codes_by_phone_number,
    list_codes_by_pre_auth_session_id,
    revoke_code,
)
from supertokens_python.recipe.passwordless.interfaces import (
    CheckCodeOkResult,
    ConsumeCodeExpiredUserInputCodeError,
    ConsumeCodeIncorrectUserInputCodeError,
    ConsumeCodeOkResult,
    ConsumeCodeRestartFlowError,
    CreateCodeOkResult,
    CreateNewCodeForDeviceOkResult,
    CreateNewCodeForDeviceRestartFlowError,
)

from devcore.testing import RunningDevcore

pytestmark = pytest.mark.anyio

PHONE = "+14155552671"
FIFTEEN_MINUTES_MS = 15 * 60 * 1000


def wrong(code: str) -> str:
    return "".join(str((int(c) + 1) % 10) for c in code)


async def send_code(phone: str = PHONE) -> CreateCodeOkResult:
    return await create_code("public", phone_number=phone)


async def enter(code: CreateCodeOkResult, digits: str) -> object:
    return await consume_code(
        "public",
        code.pre_auth_session_id,
        user_input_code=digits,
        device_id=code.device_id,
    )


async def test_a_code_is_six_digits_valid_for_fifteen_minutes(
    sdk: RunningDevcore,
) -> None:
    code = await send_code()

    assert re.fullmatch(r"\d{6}", code.user_input_code)
    assert code.code_life_time == FIFTEEN_MINUTES_MS


async def test_the_right_code_signs_up_a_phone_user_once(sdk: RunningDevcore) -> None:
    first = await enter(code := await send_code(), code.user_input_code)
    second = await enter(code := await send_code(), code.user_input_code)

    assert isinstance(first, ConsumeCodeOkResult) and isinstance(
        second, ConsumeCodeOkResult
    )
    assert first.created_new_recipe_user is True
    assert second.created_new_recipe_user is False
    assert second.user.id == first.user.id
    assert first.user.phone_numbers == [PHONE]
    assert first.consumed_device.phone_number == PHONE
    user = await get_user(first.user.id)
    assert user is not None
    assert user.phone_numbers == [PHONE]
    assert user.login_methods[0].recipe_id == "passwordless"
    assert user.login_methods[0].verified is True


async def test_a_code_works_only_once(sdk: RunningDevcore) -> None:
    code = await send_code()
    assert isinstance(await enter(code, code.user_input_code), ConsumeCodeOkResult)

    assert isinstance(
        await enter(code, code.user_input_code), ConsumeCodeRestartFlowError
    )


async def test_five_wrong_codes_end_the_flow(sdk: RunningDevcore) -> None:
    code = await send_code()

    answers = [await enter(code, wrong(code.user_input_code)) for _ in range(5)]

    for attempt, answer in enumerate(answers[:4], start=1):
        assert isinstance(answer, ConsumeCodeIncorrectUserInputCodeError)
        assert answer.failed_code_input_attempt_count == attempt
        assert answer.maximum_code_input_attempts == 5
    assert isinstance(answers[4], ConsumeCodeRestartFlowError)
    # The device is gone: even the right code cannot be used any more.
    assert isinstance(
        await enter(code, code.user_input_code), ConsumeCodeRestartFlowError
    )


async def test_a_right_code_after_wrong_ones_still_works(sdk: RunningDevcore) -> None:
    code = await send_code()
    for _ in range(4):
        await enter(code, wrong(code.user_input_code))

    answer = await enter(code, code.user_input_code)

    assert isinstance(answer, ConsumeCodeOkResult)
    assert answer.consumed_device.failed_code_input_attempt_count == 4


async def test_an_expired_code_is_refused_and_counts_as_an_attempt(
    sdk: RunningDevcore,
) -> None:
    code = await send_code()
    sdk.advance_clock(FIFTEEN_MINUTES_MS + 1)

    answer = await enter(code, code.user_input_code)

    assert isinstance(answer, ConsumeCodeExpiredUserInputCodeError)
    assert answer.failed_code_input_attempt_count == 1


async def test_a_code_is_still_valid_just_before_it_expires(
    sdk: RunningDevcore,
) -> None:
    code = await send_code()
    sdk.advance_clock(FIFTEEN_MINUTES_MS - 5_000)

    assert isinstance(await enter(code, code.user_input_code), ConsumeCodeOkResult)


async def test_resend_creates_a_new_code_for_the_same_device(
    sdk: RunningDevcore,
) -> None:
    code = await send_code()

    resent = await create_new_code_for_device("public", code.device_id)

    assert isinstance(resent, CreateNewCodeForDeviceOkResult)
    assert resent.pre_auth_session_id == code.pre_auth_session_id
    assert resent.code_id != code.code_id
    device = await list_codes_by_pre_auth_session_id("public", code.pre_auth_session_id)
    assert device is not None
    assert device.phone_number == PHONE
    assert isinstance(await enter(code, resent.user_input_code), ConsumeCodeOkResult)
    # Consuming one code ends the device and every code in it.
    assert isinstance(
        await enter(code, code.user_input_code), ConsumeCodeRestartFlowError
    )


async def test_resend_after_the_flow_ended_restarts(sdk: RunningDevcore) -> None:
    code = await send_code()
    await enter(code, code.user_input_code)

    resent = await create_new_code_for_device("public", code.device_id)

    assert isinstance(resent, CreateNewCodeForDeviceRestartFlowError)


async def test_check_code_does_not_consume_it(sdk: RunningDevcore) -> None:
    code = await send_code()

    checked = await check_code(
        "public",
        code.pre_auth_session_id,
        user_input_code=code.user_input_code,
        device_id=code.device_id,
    )

    assert isinstance(checked, CheckCodeOkResult)
    assert isinstance(await enter(code, code.user_input_code), ConsumeCodeOkResult)


async def test_listing_and_revoking_codes(sdk: RunningDevcore) -> None:
    code = await send_code()
    await send_code("+447700900123")

    devices = await list_codes_by_phone_number("public", PHONE)
    await revoke_code("public", code.code_id)

    assert [d.pre_auth_session_id for d in devices] == [code.pre_auth_session_id]
    assert await list_codes_by_phone_number("public", PHONE) == []
    assert isinstance(
        await enter(code, code.user_input_code), ConsumeCodeRestartFlowError
    )


async def test_the_link_code_of_a_code_also_signs_in(sdk: RunningDevcore) -> None:
    code = await send_code()

    answer = await consume_code(
        "public", code.pre_auth_session_id, link_code=code.link_code
    )

    assert isinstance(answer, ConsumeCodeOkResult)
    assert answer.user.phone_numbers == [PHONE]


async def test_a_phone_number_is_stored_in_e164(sdk: RunningDevcore) -> None:
    code = await send_code(" +1 415-555-2671 ")

    answer = await enter(code, code.user_input_code)

    assert isinstance(answer, ConsumeCodeOkResult)
    assert answer.user.phone_numbers == [PHONE]
