"""Steps 3 and 5 of the guide: how sessions are made and what they require.

* A session made by the first factor starts with ``2fa-completed: false`` and, for a
  returning user, the enrolled phone in its payload (step 5).
* When the OTP succeeds, the passwordless recipe asks for a *new* session. The
  passwordless override has put the first-factor session in the user context, and we
  hand that one back instead, so the person stays signed in to their own account
  (step 3).
* Every session-protected route requires the claim to be true.
"""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.session.interfaces import (
    RecipeInterface,
    SessionClaimValidator,
    SessionContainer,
)
from supertokens_python.types import RecipeUserId

from core.claim import SecondFactorClaim, second_factor_required
from core.enrolled_phone import enrolled_phone_number
from core.session_payload import PHONE_NUMBER

FIRST_FACTOR_SESSION = "session"
"""User-context key under which the passwordless override passes the existing session."""


def override_session_functions(
    original_implementation: RecipeInterface,
) -> RecipeInterface:
    original_create_new_session = original_implementation.create_new_session

    async def create_new_session(
        user_id: str,
        recipe_user_id: RecipeUserId,
        access_token_payload: dict[str, Any] | None,
        session_data_in_database: dict[str, Any] | None,
        disable_anti_csrf: bool | None,
        tenant_id: str,
        user_context: dict[str, Any],
    ) -> SessionContainer:
        existing = user_context.get(FIRST_FACTOR_SESSION)
        if isinstance(existing, SessionContainer):
            # The second factor just succeeded: keep the first-factor session.
            return existing

        payload = {
            **(access_token_payload or {}),
            **await SecondFactorClaim.build(
                user_id,
                recipe_user_id,
                tenant_id,
                access_token_payload or {},
                user_context,
            ),
        }
        phone_number = await enrolled_phone_number(user_id, user_context)
        if phone_number is not None:
            payload[PHONE_NUMBER] = phone_number
        return await original_create_new_session(
            user_id,
            recipe_user_id,
            payload,
            session_data_in_database,
            disable_anti_csrf,
            tenant_id,
            user_context,
        )

    def get_global_claim_validators(
        tenant_id: str,
        user_id: str,
        recipe_user_id: RecipeUserId,
        claim_validators_added_by_other_recipes: list[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> list[SessionClaimValidator]:
        return [*claim_validators_added_by_other_recipes, second_factor_required()]

    original_implementation.create_new_session = create_new_session  # type: ignore[method-assign]
    original_implementation.get_global_claim_validators = get_global_claim_validators  # type: ignore[method-assign]
    return original_implementation
