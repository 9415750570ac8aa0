"""Third-party sign in/up, and looking users up by id, account info and listing."""

from __future__ import annotations

import pytest
from supertokens_python.asyncio import (
    delete_user,
    get_user,
    get_user_count,
    get_users_newest_first,
    get_users_oldest_first,
    list_users_by_account_info,
)
from supertokens_python.recipe.emailpassword.asyncio import sign_up
from supertokens_python.recipe.emailpassword.interfaces import SignUpOkResult
from supertokens_python.recipe.thirdparty.asyncio import manually_create_or_update_user
from supertokens_python.recipe.thirdparty.interfaces import (
    ManuallyCreateOrUpdateUserOkResult,
)
from supertokens_python.types.base import AccountInfoInput

from devcore.testing import RunningDevcore

pytestmark = pytest.mark.anyio


async def google(
    user_id: str, email: str, verified: bool
) -> ManuallyCreateOrUpdateUserOkResult:
    result = await manually_create_or_update_user(
        "public", "google", user_id, email, verified
    )
    assert isinstance(result, ManuallyCreateOrUpdateUserOkResult)
    return result


async def email_password_user(email: str) -> str:
    result = await sign_up("public", email, "password 123")
    assert isinstance(result, SignUpOkResult)
    return result.user.id


async def test_third_party_sign_up_then_sign_in(sdk: RunningDevcore) -> None:
    first = await google("g-1", "Ada@Example.com", verified=True)
    second = await google("g-1", "ada@example.com", verified=True)

    assert first.created_new_recipe_user is True
    assert second.created_new_recipe_user is False
    assert second.user.id == first.user.id
    [method] = first.user.login_methods
    assert method.recipe_id == "thirdparty"
    assert method.third_party is not None and method.third_party.id == "google"
    assert method.email == "ada@example.com"
    assert method.verified is True


async def test_third_party_email_follows_the_provider(sdk: RunningDevcore) -> None:
    first = await google("g-1", "old@example.com", verified=False)

    second = await google("g-1", "new@example.com", verified=False)

    assert second.user.id == first.user.id
    assert second.user.emails == ["new@example.com"]
    assert second.user.login_methods[0].verified is False


async def test_get_user_by_id(sdk: RunningDevcore) -> None:
    user_id = await email_password_user("ada@example.com")

    user = await get_user(user_id)

    assert user is not None and user.emails == ["ada@example.com"]
    assert await get_user("no-such-user") is None


async def test_users_by_account_info(sdk: RunningDevcore) -> None:
    ep = await email_password_user("ada@example.com")
    tp = (await google("g-1", "ada@example.com", verified=True)).user.id
    await email_password_user("bob@example.com")

    found = await list_users_by_account_info(
        "public", AccountInfoInput(email="ADA@example.com")
    )

    assert sorted(u.id for u in found) == sorted([ep, tp])


async def test_listing_pages_through_every_user_once_in_order(
    sdk: RunningDevcore,
) -> None:
    ids = [await email_password_user(f"user{i}@example.com") for i in range(7)]

    pages, token = [], None
    while True:
        page = await get_users_oldest_first("public", limit=3, pagination_token=token)
        pages.append([u.id for u in page.users])
        token = page.next_pagination_token
        if token is None:
            break
    newest = await get_users_newest_first("public", limit=100)

    oldest_first = [user_id for page in pages for user_id in page]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sorted(oldest_first) == sorted(ids)
    assert [u.id for u in newest.users] == oldest_first[::-1]
    assert await get_user_count() == 7
    assert await get_user_count(["thirdparty"]) == 0


async def test_deleting_a_user(sdk: RunningDevcore) -> None:
    user_id = await email_password_user("ada@example.com")

    await delete_user(user_id)

    assert await get_user(user_id) is None
    assert await get_user_count() == 0
