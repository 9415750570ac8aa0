"""The ``2fa-completed`` session claim (the guide's ``SecondFactorClaim``).

Every session starts with it false; only a correct OTP sets it true. Adding its
``is_true`` validator to the global validators makes every route protected by
``verify_session()`` require the second factor, without touching each route.
"""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.session.claims import BooleanClaim
from supertokens_python.recipe.session.interfaces import SessionClaimValidator
from supertokens_python.types import RecipeUserId


def _not_completed_yet(
    _user_id: str,
    _recipe_user_id: RecipeUserId,
    _tenant_id: str,
    _current_payload: dict[str, Any],
    _user_context: dict[str, Any],
) -> bool:
    # The claim is never re-fetched from anywhere: it is false until the OTP says otherwise.
    return False


SecondFactorClaim = BooleanClaim(key="2fa-completed", fetch_value=_not_completed_yet)


def second_factor_required() -> SessionClaimValidator:
    """The validator that turns a route away until the OTP has been entered."""
    return SecondFactorClaim.validators.has_value(
        True
    )  # what the guide calls is_true()
