"""Telling "a service we depend on did not answer" apart from a bug.

When the SuperTokens core is down, the SDK's querier tries every configured core and
then raises a bare ``Exception("No SuperTokens core available to query")``; a core that
stops mid-request surfaces as an httpx transport error; a core that answers 5xx, as a
bare ``Exception`` naming the status; the JWKS download and the outboxes fail with
``OSError``. Each is an outage, not a fault of the request or of this
code, so the client is told to retry (503) instead of seeing a 500.
"""

from __future__ import annotations

import re

import httpx

NO_CORE_AVAILABLE = "No SuperTokens core available to query"
CORE_ANSWERED = re.compile(
    r"SuperTokens core threw an error .* with status code: 5\d\d "
)

UNAVAILABLE_MESSAGE = (
    "The sign-in service is unavailable right now. Please try again shortly."
)


def is_outage(error: BaseException) -> bool:
    if isinstance(error, httpx.TransportError | OSError):
        return True
    if type(error) is not Exception:
        return False
    message = str(error)
    return (
        message.startswith(NO_CORE_AVAILABLE)
        or CORE_ANSWERED.match(message) is not None
    )
