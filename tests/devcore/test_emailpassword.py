"""Email/password through the SDK: sign up, sign in, and what the core keeps."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from supertokens_python.recipe.emailpassword.asyncio import (
    sign_in,
    sign_up,
    update_email_or_password,
)
from supertokens_python.recipe.emailpassword.interfaces import (
    EmailAlreadyExistsError,
    SignInOkResult,
    SignUpOkResult,
    UpdateEmailOrPasswordOkResult,
    WrongCredentialsError,
)
from supertokens_python.types import RecipeUserId

from devcore.testing import RunningDevcore, running_devcore
from tests.devcore.sdk import init_sdk, reset_sdk

pytestmark = pytest.mark.anyio


async def test_sign_up_returns_a_new_email_password_user(sdk: RunningDevcore) -> None:
    result = await sign_up("public", "Ada@Example.com ", "correct horse 1")

    assert isinstance(result, SignUpOkResult)
    user = result.user
    assert user.emails == ["ada@example.com"]
    assert user.tenant_ids == ["public"]
    assert user.is_primary_user is False
    assert result.recipe_user_id.get_as_string() == user.id
    [method] = user.login_methods
    assert method.recipe_id == "emailpassword"
    assert method.verified is False


async def test_the_same_email_cannot_sign_up_twice(sdk: RunningDevcore) -> None:
    await sign_up("public", "ada@example.com", "correct horse 1")

    again = await sign_up("public", "ADA@example.com", "another password 3")

    assert isinstance(again, EmailAlreadyExistsError)


async def test_sign_in_with_the_right_password(sdk: RunningDevcore) -> None:
    created = await sign_up("public", "ada@example.com", "correct horse 1")
    assert isinstance(created, SignUpOkResult)

    result = await sign_in("public", "ada@example.com", "correct horse 1")

    assert isinstance(result, SignInOkResult)
    assert result.user.id == created.user.id


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.com", "wrong horse 1"), ("nobody@example.com", "correct horse 1")],
)
async def test_wrong_password_or_unknown_email_is_wrong_credentials(
    sdk: RunningDevcore, email: str, password: str
) -> None:
    await sign_up("public", "ada@example.com", "correct horse 1")

    assert isinstance(await sign_in("public", email, password), WrongCredentialsError)


async def test_changing_the_password(sdk: RunningDevcore) -> None:
    created = await sign_up("public", "ada@example.com", "correct horse 1")
    assert isinstance(created, SignUpOkResult)

    changed = await update_email_or_password(
        RecipeUserId(created.user.id), password="battery staple 2"
    )
    assert isinstance(changed, UpdateEmailOrPasswordOkResult)

    assert isinstance(
        await sign_in("public", "ada@example.com", "correct horse 1"),
        WrongCredentialsError,
    )
    assert isinstance(
        await sign_in("public", "ada@example.com", "battery staple 2"), SignInOkResult
    )


def test_passwords_are_stored_only_as_bcrypt_hashes(tmp_path: Path) -> None:
    db = tmp_path / "core.db"
    with running_devcore(db=db, bcrypt_log_rounds=5) as core:
        init_sdk(core.uri)
        try:
            asyncio.run(sign_up("public", "ada@example.com", "correct horse battery"))
        finally:
            reset_sdk()

    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"correct horse battery" not in raw
    with sqlite3.connect(db) as conn:
        [(password_hash,)] = conn.execute("SELECT password_hash FROM users").fetchall()
    assert password_hash.startswith("$2b$05$")
