"""Sessions through the SDK: tokens the SDK verifies, rotation, theft, claims, revocation."""

from __future__ import annotations

import httpx
import jwt
import pytest
from supertokens_python.recipe.session.asyncio import (
    create_new_session_without_request_response,
    get_all_session_handles_for_user,
    get_session_information,
    get_session_without_request_response,
    refresh_session_without_request_response,
    revoke_all_sessions_for_user,
    revoke_session,
)
from supertokens_python.recipe.session.claims import BooleanClaim
from supertokens_python.recipe.session.exceptions import (
    TokenTheftError,
    UnauthorisedError,
)
from supertokens_python.recipe.session.interfaces import SessionContainer
from supertokens_python.types import RecipeUserId

from devcore.testing import RunningDevcore

pytestmark = pytest.mark.anyio

SecondFactorClaim = BooleanClaim(key="2fa-completed", fetch_value=lambda *_: False)


async def new_session(user_id: str = "user-1", **payload: object) -> SessionContainer:
    return await create_new_session_without_request_response(
        "public", RecipeUserId(user_id), dict(payload), {"secret": "server side"}
    )


def tokens(session: SessionContainer) -> dict[str, str]:
    raw = session.get_all_session_tokens_dangerously()
    return {k: v for k, v in raw.items() if isinstance(v, str)}


async def test_access_token_is_a_v5_jwt_signed_by_a_published_key(
    sdk: RunningDevcore,
) -> None:
    session = await new_session(phoneNumber="+14155552671")
    token = tokens(session)["accessToken"]

    header = jwt.get_unverified_header(token)
    async with httpx.AsyncClient() as client:
        jwks = (await client.get(sdk.uri + "/.well-known/jwks.json")).json()
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    payload = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"])

    assert header["kid"].startswith("d-") and header["version"] == "5"
    assert payload["sub"] == payload["rsub"] == "user-1"
    assert payload["tId"] == "public"
    assert payload["sessionHandle"] == session.get_handle()
    assert payload["parentRefreshTokenHash1"] is None
    assert payload["exp"] - payload["iat"] == 3600
    assert payload["phoneNumber"] == "+14155552671"
    assert set(payload) >= {"refreshTokenHash1", "antiCsrfToken"}


async def test_sdk_verifies_the_session_it_created(sdk: RunningDevcore) -> None:
    session = await new_session()

    verified = await get_session_without_request_response(
        tokens(session)["accessToken"]
    )

    assert verified is not None
    assert verified.get_user_id() == "user-1"
    assert verified.get_handle() == session.get_handle()


async def test_refresh_rotates_both_tokens(sdk: RunningDevcore) -> None:
    session = await new_session(role="admin")
    before = tokens(session)

    refreshed = await refresh_session_without_request_response(
        before["refreshToken"], disable_anti_csrf=True
    )

    after = tokens(refreshed)
    assert after["refreshToken"] != before["refreshToken"]
    assert after["accessToken"] != before["accessToken"]
    assert refreshed.get_handle() == session.get_handle()
    assert refreshed.get_access_token_payload()["role"] == "admin"
    assert await get_session_without_request_response(after["accessToken"]) is not None


async def test_reusing_a_rotated_refresh_token_is_theft_and_changes_nothing(
    sdk: RunningDevcore,
) -> None:
    """As the real core at CDI 5.4: ending the session is left to the SDK's theft handler,
    so the core keeps it, and its newest refresh token still works."""
    session = await new_session()
    first = tokens(session)["refreshToken"]
    second = tokens(await refresh_session_without_request_response(first, True))
    # Using the child refresh token makes it current; the first one is now stale.
    third = tokens(
        await refresh_session_without_request_response(second["refreshToken"], True)
    )

    with pytest.raises(TokenTheftError) as theft:
        await refresh_session_without_request_response(first, True)

    assert theft.value.session_handle == session.get_handle()
    assert theft.value.user_id == "user-1"
    assert await get_session_information(session.get_handle()) is not None
    newest = await refresh_session_without_request_response(third["refreshToken"], True)
    assert newest.get_handle() == session.get_handle()


async def test_a_refresh_token_may_be_retried_until_its_child_is_used(
    sdk: RunningDevcore,
) -> None:
    session = await new_session()
    first = tokens(session)["refreshToken"]

    await refresh_session_without_request_response(first, True)
    again = await refresh_session_without_request_response(first, True)

    assert again.get_handle() == session.get_handle()


async def test_setting_a_claim_regenerates_the_access_token(
    sdk: RunningDevcore,
) -> None:
    session = await new_session()
    old_token = tokens(session)["accessToken"]

    await session.set_claim_value(SecondFactorClaim, True)

    new_token = tokens(session)["accessToken"]
    assert new_token != old_token
    verified = await get_session_without_request_response(new_token)
    assert verified is not None
    assert await verified.get_claim_value(SecondFactorClaim) is True
    stored = await get_session_information(session.get_handle())
    assert stored is not None
    assert stored.custom_claims_in_access_token_payload["2fa-completed"]["v"] is True


async def test_the_claim_survives_a_refresh(sdk: RunningDevcore) -> None:
    session = await new_session()
    await session.set_claim_value(SecondFactorClaim, True)

    refreshed = await refresh_session_without_request_response(
        tokens(session)["refreshToken"], True
    )

    assert await refreshed.get_claim_value(SecondFactorClaim) is True


async def test_session_information_and_listing(sdk: RunningDevcore) -> None:
    one = await new_session("user-2", plan="pro")
    two = await new_session("user-2")
    await new_session("someone-else")

    info = await get_session_information(one.get_handle())
    handles = await get_all_session_handles_for_user("user-2")

    assert info is not None
    assert info.user_id == "user-2"
    assert info.session_data_in_database == {"secret": "server side"}
    assert info.custom_claims_in_access_token_payload["plan"] == "pro"
    assert info.tenant_id == "public"
    assert info.expiry > info.time_created
    assert sorted(handles) == sorted([one.get_handle(), two.get_handle()])


async def test_revoked_session_cannot_refresh_or_be_found(sdk: RunningDevcore) -> None:
    session = await new_session()

    assert await revoke_session(session.get_handle()) is True
    assert await revoke_session(session.get_handle()) is False
    assert await get_session_information(session.get_handle()) is None
    with pytest.raises(UnauthorisedError):
        await refresh_session_without_request_response(
            tokens(session)["refreshToken"], True
        )


async def test_revoking_all_sessions_of_a_user(sdk: RunningDevcore) -> None:
    mine = [await new_session("user-3") for _ in range(3)]
    other = await new_session("user-4")

    revoked = await revoke_all_sessions_for_user("user-3")

    assert sorted(revoked) == sorted(s.get_handle() for s in mine)
    assert await get_all_session_handles_for_user("user-3") == []
    assert await get_all_session_handles_for_user("user-4") == [other.get_handle()]


async def test_expired_session_cannot_refresh(sdk: RunningDevcore) -> None:
    session = await new_session()
    sdk.advance_clock(
        100 * 24 * 3600 * 1000 + 1
    )  # past the 100-day refresh token validity

    with pytest.raises(UnauthorisedError):
        await refresh_session_without_request_response(
            tokens(session)["refreshToken"], True
        )
    assert await get_session_information(session.get_handle()) is None


async def test_a_revoked_session_fails_a_database_check(sdk: RunningDevcore) -> None:
    session = await new_session()
    access_token = tokens(session)["accessToken"]
    await revoke_session(session.get_handle())

    # Without a database check the token stands until it expires, as with the real core.
    assert await get_session_without_request_response(access_token) is not None
    with pytest.raises(UnauthorisedError):
        await get_session_without_request_response(access_token, check_database=True)
