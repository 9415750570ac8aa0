"""The one route the benchmark adds to each example: session required, claim not checked.

It answers exactly what ``GET /api/me`` answers, so timing one against the other in the
same process measures the ``2fa-completed`` claim check and nothing else.
"""

from __future__ import annotations

from typing import Any

SESSION_ONLY_ROUTE = "/bench/session-only"


def no_claim_validators(*_: Any) -> list[Any]:
    """For ``verify_session(override_global_claim_validators=...)``: check no claim."""
    return []
