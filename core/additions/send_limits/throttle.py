"""One mechanism for every limit on sends: reserve a send, make it, or give it back.

A kind of send (codes, reset emails) has limits of one form: at most so many sends in so
many seconds for one value of some of the send's properties (a cooldown is one send).
``within_limits`` is the one way a send is made: the store checks every limit and counts
the send in one step, so two concurrent requests cannot both take the last one; then
the send is made; a send that did not go out (the SDK refused, or raised) is given back.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from supertokens_python.types.response import GeneralErrorResponse

R = TypeVar("R")

WINDOW_SECONDS = 3600
"""The hourly caps count the sends of the last hour."""


@dataclass(frozen=True)
class Limit:
    """At most ``most`` sends in ``seconds`` for one value of the properties ``per``."""

    per: tuple[str, ...]
    most: int
    seconds: int

    @classmethod
    def cooldown(cls, per: tuple[str, ...], seconds: int) -> Limit:
        return cls(per, 1, seconds)

    @classmethod
    def hourly(cls, per: tuple[str, ...], most: int) -> Limit:
        return cls(per, most, WINDOW_SECONDS)

    @property
    def on(self) -> bool:
        """A setting of ``0`` turns a limit off."""
        return self.most > 0 and self.seconds > 0


@dataclass(frozen=True)
class SendKind:
    """What is sent (``name``, as stores keep it apart), under which limits."""

    name: str
    limits: tuple[Limit, ...]
    what: str
    """What is asked for too often, as the refusal names it."""

    @property
    def properties(self) -> tuple[str, ...]:
        """Every property some limit counts by, once each."""
        return tuple(dict.fromkeys(name for limit in self.limits for name in limit.per))


@dataclass(frozen=True)
class Reserved:
    """A send was allowed and counted; it is released if nothing goes out after all."""

    send_id: object


@dataclass(frozen=True)
class Throttled:
    """No send now; one would be accepted after ``retry_after_seconds``."""

    retry_after_seconds: int
    what: str = "codes"

    def message(self) -> str:
        wait = self.retry_after_seconds
        when = f"{wait} seconds" if wait < 120 else f"{math.ceil(wait / 60)} minutes"
        return f"Too many {self.what} were requested. Please try again in {when}."


class ThrottledResponse(GeneralErrorResponse):
    """``GENERAL_ERROR`` with the wait in its message, and in seconds for custom UIs."""

    def __init__(self, throttled: Throttled) -> None:
        super().__init__(throttled.message())
        self.retry_after_seconds = throttled.retry_after_seconds

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "retryAfterSeconds": self.retry_after_seconds}


class StoreUnavailable(ConnectionError):
    """The store could not count a send (unreachable, or broken): an outage, which the
    request guard answers 503; nothing is sent."""


class SendStore(Protocol):
    """Where sends are counted. Its calls block; the throttle makes them in a thread."""

    def reserve(
        self, kind: SendKind, counted: Mapping[str, str], now: float
    ) -> Reserved | Throttled:
        """Count one send if every limit allows it, in one atomic step."""

    def release(self, kind: SendKind, reservation: Reserved) -> None: ...


class SendThrottle:
    def __init__(
        self,
        kind: SendKind,
        store: SendStore,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.kind = kind
        self.store = store
        self.clock = clock

    async def reserve(self, counted: Mapping[str, str]) -> Reserved | Throttled:
        """Count one send to ``counted`` (a value for each property), or say how long
        to wait."""
        return await asyncio.to_thread(
            self.store.reserve, self.kind, counted, self.clock()
        )

    async def release(self, reservation: Reserved) -> None:
        await asyncio.to_thread(self.store.release, self.kind, reservation)

    async def within_limits(
        self,
        counted: Mapping[str, str],
        send: Callable[[], Awaitable[R]],
        went_out: Callable[[R], bool],
    ) -> R | ThrottledResponse:
        """``send()``'s result if the limits allow a send, else the wait as an answer.

        The send counts if ``went_out`` says so of the result; otherwise, or if
        ``send`` raised, it is given back.
        """
        reservation = await self.reserve(counted)
        if isinstance(reservation, Throttled):
            return ThrottledResponse(reservation)
        counts = False
        try:
            result = await send()
            counts = went_out(result)
            return result
        finally:
            if not counts:
                await self.release(reservation)
