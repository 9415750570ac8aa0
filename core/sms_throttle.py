"""How many codes may be sent, so that a password (or a script) cannot pump SMS.

The core limits wrong guesses, not sends: without this, anyone with a first factor could
make the app send codes without end, at the app's cost. Three limits, each answered
with how long to wait before a retry would be accepted:

* a cooldown between two sends for one session to one phone (the "resend" button);
* a cap per phone per hour, so nobody's phone is flooded by many accounts;
* a cap per user per hour, so one account cannot spray codes at many phones.

The sends are counted by ``core.send_throttle``, across worker processes; a send that
is reserved but then not made (the SDK refused the request) is released again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from core.send_throttle import Limit, Reserved, SendThrottle, Throttled
from core.settings import SmsLimits

__all__ = ["Reserved", "SmsThrottle", "Throttled"]


class SmsThrottle(SendThrottle):
    def __init__(
        self, limits: SmsLimits, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(
            limits.store,
            "sms_sends",
            [
                Limit.cooldown(("session_handle", "phone"), limits.cooldown_seconds),
                Limit.hourly(("phone",), limits.max_per_phone_per_hour),
                Limit.hourly(("user_id",), limits.max_per_user_per_hour),
            ],
            "codes",
            clock=clock,
        )

    async def reserve(
        self, session_handle: str, user_id: str, phone: str
    ) -> Reserved | Throttled:
        """Count one send of a code to ``phone`` for this session, or say how long to wait."""
        return await self.reserve_send(
            {"session_handle": session_handle, "user_id": user_id, "phone": phone}
        )
