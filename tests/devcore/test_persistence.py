"""With ``--db FILE`` every user, session, code and metadata entry survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from supertokens_python.asyncio import get_user
from supertokens_python.recipe.emailpassword.asyncio import sign_in, sign_up
from supertokens_python.recipe.emailpassword.interfaces import (
    SignInOkResult,
    SignUpOkResult,
)
from supertokens_python.recipe.passwordless.asyncio import consume_code, create_code
from supertokens_python.recipe.passwordless.interfaces import ConsumeCodeOkResult
from supertokens_python.recipe.session.asyncio import (
    create_new_session_without_request_response,
    get_session_information,
    get_session_without_request_response,
    refresh_session_without_request_response,
)
from supertokens_python.recipe.usermetadata.asyncio import (
    get_user_metadata,
    update_user_metadata,
)
from supertokens_python.types import RecipeUserId

from devcore.testing import running_devcore
from tests.devcore.sdk import init_sdk, reset_sdk

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("in_process", [True, False], ids=["thread", "process"])
async def test_everything_survives_a_restart(tmp_path: Path, in_process: bool) -> None:
    with running_devcore(db=tmp_path / "core.db", in_process=in_process) as core:
        init_sdk(core.uri)
        try:
            user = await sign_up("public", "ada@example.com", "password 123")
            assert isinstance(user, SignUpOkResult)
            session = await create_new_session_without_request_response(
                "public", RecipeUserId(user.user.id), {"plan": "pro"}, {}
            )
            code = await create_code("public", phone_number="+14155552671")
            await update_user_metadata(user.user.id, {"passwordlessUserId": "p-1"})
            tokens = session.get_all_session_tokens_dangerously()

            core.stop()
            core.start()

            assert isinstance(
                await sign_in("public", "ada@example.com", "password 123"),
                SignInOkResult,
            )
            assert await get_user(user.user.id) is not None
            assert (await get_user_metadata(user.user.id)).metadata == {
                "passwordlessUserId": "p-1"
            }
            info = await get_session_information(session.get_handle())
            assert info is not None
            assert info.custom_claims_in_access_token_payload["plan"] == "pro"
            # Same keys after the restart: old tokens still verify and refresh.
            assert (
                await get_session_without_request_response(tokens["accessToken"])
                is not None
            )
            refreshed = await refresh_session_without_request_response(
                str(tokens["refreshToken"]), True
            )
            assert refreshed.get_handle() == session.get_handle()
            consumed = await consume_code(
                "public",
                code.pre_auth_session_id,
                user_input_code=code.user_input_code,
                device_id=code.device_id,
            )
            assert isinstance(consumed, ConsumeCodeOkResult)
        finally:
            reset_sdk()


async def test_in_memory_state_ends_with_the_process() -> None:
    with running_devcore() as core:
        init_sdk(core.uri)
        try:
            user = await sign_up("public", "ada@example.com", "password 123")
            assert isinstance(user, SignUpOkResult)
            core.stop()
            core.start()

            assert await get_user(user.user.id) is None
        finally:
            reset_sdk()
