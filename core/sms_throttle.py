"""How many codes may be sent, so that a password (or a script) cannot pump SMS.

The core limits wrong guesses, not sends: without this, anyone with a first factor could
make the app send codes without end, at the app's cost. Three limits, each answered
with how long to wait before a retry would be accepted:

* a cooldown between two sends for one session to one phone (the "resend" button);
* a cap per phone per hour, so nobody's phone is flooded by many accounts;
* a cap per user per hour, so one account cannot spray codes at many phones.

Sends are recorded in a small SQLite file, so every worker process of the app counts
the same sends. One ``BEGIN IMMEDIATE`` transaction checks and records a send, so two
concurrent requests cannot both take the last one. A send that is reserved but then not
made (the SDK refused the request) is released again.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass

from core.settings import SmsLimits

WINDOW_SECONDS = 3600
"""The caps count the sends of the last hour."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sms_sends (
    id INTEGER PRIMARY KEY,
    session_handle TEXT NOT NULL,
    user_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    sent_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sms_sends_by_phone ON sms_sends (phone, sent_at);
CREATE INDEX IF NOT EXISTS sms_sends_by_user ON sms_sends (user_id, sent_at);
CREATE INDEX IF NOT EXISTS sms_sends_by_session ON sms_sends (session_handle, phone, sent_at);
"""


@dataclass(frozen=True)
class Reserved:
    """A send was allowed and counted; ``release`` it if no SMS goes out after all."""

    send_id: int


@dataclass(frozen=True)
class Throttled:
    """No send now; one would be accepted after ``retry_after_seconds``."""

    retry_after_seconds: int

    def message(self) -> str:
        wait = self.retry_after_seconds
        when = f"{wait} seconds" if wait < 120 else f"{math.ceil(wait / 60)} minutes"
        return f"Too many codes were requested. Please try again in {when}."


class SmsThrottle:
    def __init__(self, limits: SmsLimits, *, clock: Callable[[], float] = time.time) -> None:
        self.limits = limits
        self.clock = clock
        self._schema_ready = False

    async def reserve(self, session_handle: str, user_id: str, phone: str) -> Reserved | Throttled:
        """Count one send of a code to ``phone`` for this session, or say how long to wait."""
        return await asyncio.to_thread(self._reserve, session_handle, user_id, phone)

    async def release(self, reservation: Reserved) -> None:
        await asyncio.to_thread(self._release, reservation.send_id)

    @asynccontextmanager
    async def released_unless_sent(
        self, reservation: Reserved
    ) -> AsyncIterator[Callable[[bool], None]]:
        """Around the SDK call that sends: the block reports whether a code went out,
        and the reservation is given back if it did not (or if the call raised)."""
        outcome = {"sent": False}

        def report(sent: bool) -> None:
            outcome["sent"] = sent

        try:
            yield report
        finally:
            if not outcome["sent"]:
                await self.release(reservation)

    def _reserve(self, session_handle: str, user_id: str, phone: str) -> Reserved | Throttled:
        now = self.clock()
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes
            try:
                forget_before = now - max(WINDOW_SECONDS, self.limits.cooldown_seconds)
                db.execute("DELETE FROM sms_sends WHERE sent_at < ?", (forget_before,))
                wait = self._wait_needed(db, now, session_handle, user_id, phone)
                if wait > 0:
                    db.execute("COMMIT")
                    return Throttled(max(1, math.ceil(wait)))
                cursor = db.execute(
                    "INSERT INTO sms_sends (session_handle, user_id, phone, sent_at)"
                    " VALUES (?, ?, ?, ?)",
                    (session_handle, user_id, phone, now),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        assert cursor.lastrowid is not None
        return Reserved(cursor.lastrowid)

    def _wait_needed(
        self, db: sqlite3.Connection, now: float, session_handle: str, user_id: str, phone: str
    ) -> float:
        limits, since = self.limits, now - WINDOW_SECONDS
        waits = [0.0]
        if limits.cooldown_seconds:
            (last,) = db.execute(
                "SELECT MAX(sent_at) FROM sms_sends WHERE session_handle = ? AND phone = ?",
                (session_handle, phone),
            ).fetchone()
            if last is not None:
                waits.append(last + limits.cooldown_seconds - now)
        if limits.max_per_phone_per_hour:
            phone_sends = _times(db, "phone", phone, since)
            waits.append(_wait_for_cap(phone_sends, limits.max_per_phone_per_hour, now))
        if limits.max_per_user_per_hour:
            user_sends = _times(db, "user_id", user_id, since)
            waits.append(_wait_for_cap(user_sends, limits.max_per_user_per_hour, now))
        return max(waits)

    def _release(self, send_id: int) -> None:
        with closing(self._connect()) as db:
            db.execute("DELETE FROM sms_sends WHERE id = ?", (send_id,))

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.limits.store, timeout=30, isolation_level=None)
        if not self._schema_ready:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            self._schema_ready = True
        return db


def _times(db: sqlite3.Connection, column: str, value: str, since: float) -> list[float]:
    # ``column`` is one of two names written above, never input.
    rows = db.execute(
        f"SELECT sent_at FROM sms_sends WHERE {column} = ? AND sent_at >= ? ORDER BY sent_at",  # noqa: S608
        (value, since),
    )
    return [sent_at for (sent_at,) in rows]


def _wait_for_cap(sent_at: list[float], cap: int, now: float) -> float:
    """Until enough of these sends leave the window for one more to fit under ``cap``."""
    if len(sent_at) < cap:
        return 0.0
    return sent_at[len(sent_at) - cap] + WINDOW_SECONDS - now
