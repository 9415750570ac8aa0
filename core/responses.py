"""The JSON the examples' two routes answer, shaped once for all three frameworks."""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.session.interfaces import SessionContainer

from core.second_factor import SecondFactorClaim
from core.session_payload import phone_number_in


def me(session: SessionContainer) -> dict[str, Any]:
    """``GET /api/me``: who is signed in, with which phone, and whether 2FA is done."""
    return {
        "userId": session.get_user_id(),
        "sessionHandle": session.get_handle(),
        "phoneNumber": phone_number_in(session),
        "secondFactorCompleted": SecondFactorClaim.get_value_from_payload(
            session.get_access_token_payload()
        )
        is True,
    }


def problem(message: str) -> dict[str, str]:
    """An error's JSON, shaped as SuperTokens' own: what the framework would otherwise
    answer with an HTML page (an unknown path, a method a route does not take)."""
    return {"message": message}


def health() -> dict[str, str]:
    """``GET /api/health``: the app is up (no session needed)."""
    return {"status": "ok"}
