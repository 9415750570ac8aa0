"""How many password reset emails may be sent, so that nobody's mailbox can be flooded.

Anyone may ask for a reset link for any address, without signing in: without a limit, a
script could make the app mail someone without end (SMS pumping's email version), at
the app's cost and its sender's reputation. Two limits, on the address as submitted,
trimmed and lower-cased (``Ada@x.org`` is ``ada@x.org``'s mailbox too):

* a cooldown between two emails to one address;
* a cap per address per hour.

Every request for an address counts, whether an account has that address or not. The
SDK answers ``OK`` either way, so that nobody learns who has an account; a throttle that
counted only the emails that went out would tell it instead (a known address throttled
where an unknown one is not). The sends are counted by ``core.send_throttle``, in the
SMS throttle's store.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from core.send_throttle import Limit, Reserved, SendThrottle, Throttled
from core.settings import ResetEmailLimits


def counted_address(email: str) -> str:
    """The address as the limits count it: one mailbox, however it was typed."""
    return email.strip().lower()


class ResetEmailThrottle(SendThrottle):
    def __init__(
        self, limits: ResetEmailLimits, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(
            limits.store,
            "reset_email_sends",
            [
                Limit.cooldown(("address",), limits.cooldown_seconds),
                Limit.hourly(("address",), limits.max_per_address_per_hour),
            ],
            "password reset emails",
            clock=clock,
        )

    async def reserve(self, email: str) -> Reserved | Throttled:
        """Count one reset email to ``email``, or say how long to wait."""
        return await self.reserve_send({"address": counted_address(email)})
