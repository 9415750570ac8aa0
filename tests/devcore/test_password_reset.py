"""Password reset through the SDK: tokens made, consumed once, expired, and what is kept."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from pathlib import Path

import pytest
from supertokens_python.asyncio import delete_user
from supertokens_python.recipe.emailpassword.asyncio import (
    consume_password_reset_token,
    create_reset_password_link,
    create_reset_password_token,
    reset_password_using_token,
    sign_in,
    sign_up,
)
from supertokens_python.recipe.emailpassword.interfaces import (
    ConsumePasswordResetTokenOkResult,
    CreateResetPasswordOkResult,
    PasswordResetTokenInvalidError,
    SignInOkResult,
    SignUpOkResult,
    UnknownUserIdError,
    UpdateEmailOrPasswordOkResult,
    WrongCredentialsError,
)
from supertokens_python.recipe.passwordless.asyncio import consume_code, create_code
from supertokens_python.recipe.passwordless.interfaces import ConsumeCodeOkResult

from devcore.settings import Settings
from devcore.testing import RunningDevcore, running_devcore
from tests.devcore.sdk import init_sdk, reset_sdk

pytestmark = pytest.mark.anyio

ONE_HOUR_MS = 3_600_000


async def new_user(email: str = "ada@example.com") -> str:
    created = await sign_up("public", email, "correct horse 1")
    assert isinstance(created, SignUpOkResult)
    return created.user.id


async def new_token(user_id: str, email: str = "ada@example.com") -> str:
    made = await create_reset_password_token("public", user_id, email)
    assert isinstance(made, CreateResetPasswordOkResult)
    return made.token


def test_the_default_lifetime_is_the_real_cores_one_hour() -> None:
    assert Settings().password_reset_token_lifetime == ONE_HOUR_MS


async def test_a_reset_token_sets_a_new_password(sdk: RunningDevcore) -> None:
    user_id = await new_user()
    token = await new_token(user_id)

    reset = await reset_password_using_token("public", token, "battery staple 2")

    assert isinstance(reset, UpdateEmailOrPasswordOkResult)
    assert isinstance(
        await sign_in("public", "ada@example.com", "correct horse 1"),
        WrongCredentialsError,
    )
    signed_in = await sign_in("public", "ada@example.com", "battery staple 2")
    assert isinstance(signed_in, SignInOkResult) and signed_in.user.id == user_id


async def test_consuming_names_the_user_and_the_email_the_token_was_made_for(
    sdk: RunningDevcore,
) -> None:
    user_id = await new_user()
    token = await new_token(user_id, "Ada@Example.com")

    consumed = await consume_password_reset_token("public", token)

    assert isinstance(consumed, ConsumePasswordResetTokenOkResult)
    assert (consumed.user_id, consumed.email) == (user_id, "Ada@Example.com")


async def test_a_token_is_single_use(sdk: RunningDevcore) -> None:
    token = await new_token(await new_user())
    first = await reset_password_using_token("public", token, "battery staple 2")
    assert isinstance(first, UpdateEmailOrPasswordOkResult)

    again = await reset_password_using_token("public", token, "mallory's choice 3")

    assert isinstance(again, PasswordResetTokenInvalidError)
    assert isinstance(
        await sign_in("public", "ada@example.com", "battery staple 2"), SignInOkResult
    )


@pytest.mark.parametrize(
    "made_up", ["", "x", "A" * 128, "../../etc/passwd", "\u00e9" * 10]
)
async def test_a_made_up_token_is_invalid(sdk: RunningDevcore, made_up: str) -> None:
    await new_token(await new_user())

    assert isinstance(
        await consume_password_reset_token("public", made_up),
        PasswordResetTokenInvalidError,
    )


async def test_using_one_token_ends_the_users_other_tokens_and_no_one_elses(
    sdk: RunningDevcore,
) -> None:
    ada = await new_user()
    bob = await new_user("bob@example.com")
    older, newer = await new_token(ada), await new_token(ada)
    bobs = await new_token(bob, "bob@example.com")

    assert isinstance(
        await consume_password_reset_token("public", newer),
        ConsumePasswordResetTokenOkResult,
    )

    assert isinstance(
        await consume_password_reset_token("public", older),
        PasswordResetTokenInvalidError,
    )
    assert isinstance(
        await consume_password_reset_token("public", bobs),
        ConsumePasswordResetTokenOkResult,
    )


async def test_a_token_expires_after_an_hour(sdk: RunningDevcore) -> None:
    user_id = await new_user()
    kept = await new_token(user_id)
    sdk.advance_clock(ONE_HOUR_MS - 1000)
    assert isinstance(
        await consume_password_reset_token("public", kept),
        ConsumePasswordResetTokenOkResult,
    )
    expired = await new_token(user_id)

    sdk.advance_clock(ONE_HOUR_MS + 1)

    assert isinstance(
        await reset_password_using_token("public", expired, "battery staple 2"),
        PasswordResetTokenInvalidError,
    )
    assert isinstance(
        await sign_in("public", "ada@example.com", "correct horse 1"), SignInOkResult
    )


async def test_an_expired_token_still_ends_the_users_other_tokens(
    sdk: RunningDevcore,
) -> None:
    user_id = await new_user()
    expired = await new_token(user_id)
    sdk.advance_clock(ONE_HOUR_MS - 1000)
    fresh = await new_token(user_id)
    sdk.advance_clock(1001)

    assert isinstance(
        await consume_password_reset_token("public", expired),
        PasswordResetTokenInvalidError,
    )
    assert isinstance(
        await consume_password_reset_token("public", fresh),
        PasswordResetTokenInvalidError,
    )


async def test_the_lifetime_is_a_setting() -> None:
    with running_devcore(
        bcrypt_log_rounds=4, password_reset_token_lifetime=60_000
    ) as core:
        init_sdk(core.uri)
        try:
            token = await new_token(await new_user())
            core.advance_clock(60_001)

            consumed = await consume_password_reset_token("public", token)
        finally:
            reset_sdk()

    assert isinstance(consumed, PasswordResetTokenInvalidError)


async def test_a_token_for_an_unknown_user_is_not_made(sdk: RunningDevcore) -> None:
    made = await create_reset_password_token(
        "public", "no-such-user", "ada@example.com"
    )

    assert isinstance(made, UnknownUserIdError)


async def test_any_user_may_get_a_token_as_in_the_real_core(
    sdk: RunningDevcore,
) -> None:
    """The core does not check the recipe (account linking resets other users' passwords);
    the SDK asks only for email/password users here."""
    code = await create_code("public", phone_number="+14155552671")
    consumed = await consume_code(
        "public", code.pre_auth_session_id, code.user_input_code, code.device_id
    )
    assert isinstance(consumed, ConsumeCodeOkResult)

    assert isinstance(
        await create_reset_password_token("public", consumed.user.id, "p@example.com"),
        CreateResetPasswordOkResult,
    )


async def test_removing_a_user_removes_their_tokens(sdk: RunningDevcore) -> None:
    user_id = await new_user()
    token = await new_token(user_id)

    await delete_user(user_id)

    assert isinstance(
        await consume_password_reset_token("public", token),
        PasswordResetTokenInvalidError,
    )


async def test_the_reset_link_carries_the_token(sdk: RunningDevcore) -> None:
    link = await create_reset_password_link(
        "public", await new_user(), "ada@example.com"
    )

    assert isinstance(link, str)
    match = re.fullmatch(
        r"http://localhost:3000/auth/reset-password\?token=([^&]+)&tenantId=public",
        link,
    )
    assert match is not None
    assert isinstance(
        await consume_password_reset_token("public", match[1]),
        ConsumePasswordResetTokenOkResult,
    )


def test_tokens_have_the_real_cores_form_and_only_their_hash_is_kept(
    tmp_path: Path,
) -> None:
    db = tmp_path / "core.db"

    async def make_tokens_restart_and_consume_one(core: RunningDevcore) -> list[str]:
        emails = [f"user-{n}@example.com" for n in range(6)]
        tokens = [await new_token(await new_user(email), email) for email in emails]
        core.stop()
        core.start()  # and they survive a restart
        survivor = await consume_password_reset_token("public", tokens[0])
        assert isinstance(survivor, ConsumePasswordResetTokenOkResult)
        return tokens

    with running_devcore(db=db, bcrypt_log_rounds=4) as core:
        init_sdk(core.uri)
        try:
            tokens = asyncio.run(make_tokens_restart_and_consume_one(core))
        finally:
            reset_sdk()

    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9]{128}", token), token
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert not any(token.encode() in raw for token in tokens)
    with sqlite3.connect(db) as conn:
        stored = {
            row[0]
            for row in conn.execute("SELECT token_hash FROM password_reset_tokens")
        }
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens[1:]}
