"""The JSON the examples' routes answer, shaped once for all three frameworks."""

from __future__ import annotations

from typing import Any

from supertokens_python.recipe.session.interfaces import SessionContainer

from core.claim import SecondFactorClaim
from core.session_payload import phone_number_in


def me(session: SessionContainer) -> dict[str, Any]:
    """What ``GET /api/me`` shows: who is signed in, with which phone, and 2FA status."""
    return {
        "userId": session.get_user_id(),
        "sessionHandle": session.get_handle(),
        "phoneNumber": phone_number_in(session),
        "secondFactorCompleted": SecondFactorClaim.get_value_from_payload(
            session.get_access_token_payload()
        )
        is True,
    }


def health() -> dict[str, str]:
    """What ``GET /api/health`` shows: the app is up (no session needed)."""
    return {"status": "ok"}
