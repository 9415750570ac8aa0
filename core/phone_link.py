"""Step 2 of the guide: saving the user's phone number.

The passwordless recipe makes a user of its own for each phone. When the code is
entered (``consume_code_post``, in ``core.second_factor``), the guide links that
*passwordless user* to the person's first-factor user in UserMetadata, under
``passwordlessUserId``, so the phone can always be found again from the account the
person signs in to.
"""

from __future__ import annotations

from typing import Any

from supertokens_python.asyncio import get_user
from supertokens_python.recipe.usermetadata.asyncio import (
    get_user_metadata,
    update_user_metadata,
)

PASSWORDLESS_USER_ID = "passwordlessUserId"


async def remember_passwordless_user(
    first_factor_user_id: str, passwordless_user_id: str, user_context: dict[str, Any]
) -> None:
    await update_user_metadata(
        first_factor_user_id, {PASSWORDLESS_USER_ID: passwordless_user_id}, user_context
    )


async def enrolled_phone_number(
    first_factor_user_id: str, user_context: dict[str, Any]
) -> str | None:
    """The phone this user completed the second factor with; None before enrolment."""
    metadata = (await get_user_metadata(first_factor_user_id, user_context)).metadata
    passwordless_user_id = metadata.get(PASSWORDLESS_USER_ID)
    if not isinstance(passwordless_user_id, str):
        return None
    passwordless_user = await get_user(passwordless_user_id, user_context)
    if passwordless_user is None or not passwordless_user.phone_numbers:
        return None
    return passwordless_user.phone_numbers[0]
