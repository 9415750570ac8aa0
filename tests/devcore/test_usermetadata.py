"""User metadata through the SDK: a top-level merge where null removes a key."""

from __future__ import annotations

import pytest
from supertokens_python.recipe.usermetadata.asyncio import (
    clear_user_metadata,
    get_user_metadata,
    update_user_metadata,
)

from devcore.testing import RunningDevcore

pytestmark = pytest.mark.anyio


async def test_unknown_user_has_empty_metadata(sdk: RunningDevcore) -> None:
    assert (await get_user_metadata("nobody")).metadata == {}


async def test_update_merges_at_the_top_level(sdk: RunningDevcore) -> None:
    await update_user_metadata(
        "user-1", {"passwordlessUserId": "p-1", "prefs": {"a": 1, "b": 2}}
    )

    result = await update_user_metadata("user-1", {"prefs": {"c": 3}, "theme": "dark"})

    expected = {"passwordlessUserId": "p-1", "prefs": {"c": 3}, "theme": "dark"}
    assert result.metadata == expected
    assert (await get_user_metadata("user-1")).metadata == expected


async def test_null_removes_a_key(sdk: RunningDevcore) -> None:
    await update_user_metadata("user-1", {"keep": True, "drop": "me"})

    result = await update_user_metadata("user-1", {"drop": None, "absent": None})

    assert result.metadata == {"keep": True}


async def test_clear_deletes_everything_for_that_user_only(sdk: RunningDevcore) -> None:
    await update_user_metadata("user-1", {"a": 1})
    await update_user_metadata("user-2", {"b": 2})

    await clear_user_metadata("user-1")

    assert (await get_user_metadata("user-1")).metadata == {}
    assert (await get_user_metadata("user-2")).metadata == {"b": 2}
