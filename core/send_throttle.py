"""How often the app may send something to someone, counted across worker processes.

Each send costs the app money (an SMS) or annoys whoever receives it (an email), and
neither the SDK nor the core limits how many are sent. A throttle counts the sends of
one kind in a table of a small SQLite file, so every worker process of the app counts
the same sends, against limits of one form: at most so many sends in so many seconds
for one value of some columns (a cooldown is one send). One ``BEGIN IMMEDIATE``
transaction checks and records a send, so two concurrent requests cannot both take the
last one. A send that is reserved but then not made is released again.

``core.sms_throttle`` and ``core.reset_email_throttle`` say what they count.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass
from typing import Any

from supertokens_python.types.response import GeneralErrorResponse

WINDOW_SECONDS = 3600
"""The hourly caps count the sends of the last hour."""


@dataclass(frozen=True)
class Limit:
    """At most ``most`` sends in ``seconds`` for one value of the columns ``per``."""

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
class Reserved:
    """A send was allowed and counted; ``release`` it if nothing goes out after all."""

    send_id: int


@dataclass(frozen=True)
class Throttled:
    """No send now; one would be accepted after ``retry_after_seconds``."""

    retry_after_seconds: int
    what: str = "codes"
    """What was asked for too often, as the message names it."""

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


class SendThrottle:
    """The sends of one kind, in ``table`` of the SQLite file ``store``, under ``limits``.

    Table and column names are written in code, never taken from input: they become
    part of the SQL.
    """

    def __init__(
        self,
        store: str,
        table: str,
        limits: Sequence[Limit],
        what: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.table = table
        self.limits = tuple(limits)
        self.what = what
        self.clock = clock
        self.columns = tuple(
            dict.fromkeys(column for limit in limits for column in limit.per)
        )
        if not all(name.isidentifier() for name in (table, *self.columns)):
            raise ValueError(f"not SQL names: {table!r}, {self.columns!r}")
        self._kept_seconds = max((limit.seconds for limit in limits), default=0)
        self._schema_ready = False

    async def reserve_send(self, counted: Mapping[str, str]) -> Reserved | Throttled:
        """Count one send to ``counted`` (a value for each column), or say how long to wait."""
        return await asyncio.to_thread(self._reserve, counted)

    async def release(self, reservation: Reserved) -> None:
        await asyncio.to_thread(self._release, reservation.send_id)

    @asynccontextmanager
    async def released_unless_sent(
        self, reservation: Reserved
    ) -> AsyncIterator[Callable[[bool], None]]:
        """Around the SDK call that sends: the block reports whether the send counts,
        and the reservation is given back if it does not (or if the call raised)."""
        outcome = {"sent": False}

        def report(sent: bool) -> None:
            outcome["sent"] = sent

        try:
            yield report
        finally:
            if not outcome["sent"]:
                await self.release(reservation)

    def _reserve(self, counted: Mapping[str, str]) -> Reserved | Throttled:
        now = self.clock()
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes
            try:
                forget = f"DELETE FROM {self.table} WHERE sent_at < ?"  # noqa: S608
                db.execute(forget, (now - self._kept_seconds,))
                wait = self._wait_needed(db, now, counted)
                if wait > 0:
                    db.execute("COMMIT")
                    return Throttled(max(1, math.ceil(wait)), self.what)
                names = ", ".join(self.columns)
                cursor = db.execute(
                    f"INSERT INTO {self.table} ({names}, sent_at)"  # noqa: S608
                    f" VALUES ({'?, ' * len(self.columns)}?)",
                    (*(counted[column] for column in self.columns), now),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        assert cursor.lastrowid is not None
        return Reserved(cursor.lastrowid)

    def _wait_needed(
        self, db: sqlite3.Connection, now: float, counted: Mapping[str, str]
    ) -> float:
        """Until every limit would allow one more send (0: it would now)."""
        waits = [0.0]
        for limit in self.limits:
            if limit.on:
                waits.append(self._wait_for(db, limit, now, counted))
        return max(waits)

    def _wait_for(
        self,
        db: sqlite3.Connection,
        limit: Limit,
        now: float,
        counted: Mapping[str, str],
    ) -> float:
        """Until the ``most``-th newest send in the limit's window leaves it, if there is one."""
        same = " AND ".join(f"{column} = ?" for column in limit.per)
        row = db.execute(
            f"SELECT sent_at FROM {self.table} WHERE {same} AND sent_at >= ?"  # noqa: S608
            " ORDER BY sent_at DESC LIMIT 1 OFFSET ?",
            (
                *(counted[column] for column in limit.per),
                now - limit.seconds,
                limit.most - 1,
            ),
        ).fetchone()
        return 0.0 if row is None else float(row[0]) + limit.seconds - now

    def _release(self, send_id: int) -> None:
        with closing(self._connect()) as db:
            db.execute(f"DELETE FROM {self.table} WHERE id = ?", (send_id,))  # noqa: S608

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.store, timeout=30, isolation_level=None)
        if not self._schema_ready:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(self._schema())
            self._schema_ready = True
        return db

    def _schema(self) -> str:
        columns = "".join(f"    {column} TEXT NOT NULL,\n" for column in self.columns)
        statements = [
            f"CREATE TABLE IF NOT EXISTS {self.table} (\n"
            f"    id INTEGER PRIMARY KEY,\n{columns}    sent_at REAL NOT NULL\n);"
        ]
        for per in dict.fromkeys(limit.per for limit in self.limits):
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {self.table}_by_{'_'.join(per)}"
                f" ON {self.table} ({', '.join(per)}, sent_at);"
            )
        return "\n".join(statements) + "\n"
