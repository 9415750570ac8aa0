"""One enrolment at a time for each account, across every worker process of the app.

Before a phone is enrolled, two codes for two phones can be entered for one account at
the same moment (two tabs, or the owner and someone with the password). Each would see
"no phone yet" and write its own link; the last would win, while both sessions held the
claim. UserMetadata offers no compare-and-set, so ``consume_code_post`` (step 3) holds
this lock for the account while it looks the enrolled phone up again, lets the SDK
check the code and writes the link: the second request waits, then finds the phone
the first one enrolled.

The lock is a lease (it ends by itself after ``LEASE_SECONDS``, should its holder die)
in a small SQLite file that the app's processes share: that makes it hold for every
process of one host. With ``REDIS_URL`` the leases are in Redis instead, and hold for
every host that shares it. The table is made on every connection, so a file deleted
while the app runs is made again; a file that cannot be used, or Redis unreachable, is
an outage (``LockUnavailable``), never a 500.
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing, contextmanager
from pathlib import Path

LEASE_SECONDS = 60.0
"""Far longer than the few core calls made under the lock take."""
LEASE_MS = int(LEASE_SECONDS * 1000)

WAIT_SECONDS = 15.0
"""How long a second request for the same account waits before giving up."""


class EnrolmentBusy(TimeoutError):
    """Another request held the account's lock for longer than ``WAIT_SECONDS``: a
    timeout, which the request guard answers as an outage (503, try again)."""


class LockUnavailable(ConnectionError):
    """The state file could not be used (unreadable, not a database, its path taken by
    a folder): an outage, which the request guard answers 503; nothing is enrolled."""


class EnrolmentLock:
    def __init__(
        self,
        path: str,
        *,
        wait_seconds: float = WAIT_SECONDS,
        redis_url: str | None = None,
    ) -> None:
        self.path = path
        self.wait_seconds = wait_seconds
        self.redis = RedisLeases(redis_url) if redis_url else None

    @asynccontextmanager
    async def held(self, user_id: str) -> AsyncIterator[None]:
        holder = secrets.token_hex(16)
        deadline = time.monotonic() + self.wait_seconds
        while not await asyncio.to_thread(self._acquire, user_id, holder):
            if time.monotonic() > deadline:
                raise EnrolmentBusy(user_id)
            await asyncio.sleep(0.02)
        try:
            yield
        finally:
            await asyncio.to_thread(self._release, user_id, holder)

    def _acquire(self, user_id: str, holder: str) -> bool:
        if self.redis:
            return self.redis.acquire(user_id, holder)
        now = time.time()
        with self._state_file() as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes
            db.execute("DELETE FROM enrolment_leases WHERE expires_at < ?", (now,))
            db.execute(
                "INSERT OR IGNORE INTO enrolment_leases VALUES (?, ?, ?)",
                (user_id, holder, now + LEASE_SECONDS),
            )
            (owner,) = db.execute(
                "SELECT holder FROM enrolment_leases WHERE user_id = ?", (user_id,)
            ).fetchone()
            db.execute("COMMIT")
        return bool(owner == holder)

    def _release(self, user_id: str, holder: str) -> None:
        if self.redis:
            return self.redis.release(user_id, holder)
        with self._state_file() as db:
            db.execute(
                "DELETE FROM enrolment_leases WHERE user_id = ? AND holder = ?",
                (user_id, holder),
            )

    @contextmanager
    def _state_file(self) -> Iterator[sqlite3.Connection]:
        """A connection to the file, whose every failure is an outage."""
        try:
            with closing(self._connect()) as db:
                yield db
        except sqlite3.Error as error:
            raise LockUnavailable(f"{self.path} cannot be used: {error}") from error

    def _connect(self) -> sqlite3.Connection:
        path = Path(self.path).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute(
            "CREATE TABLE IF NOT EXISTS enrolment_leases ("
            " user_id TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL)"
        )
        return db


class RedisLeases:
    """The leases in Redis (``REDIS_URL``), for an app on several hosts: taken with one
    ``SET NX PX``, given back by a script that deletes only its holder's lease.
    Redis unreachable is an outage (503), as the core's is."""

    RELEASE = (
        'if redis.call("GET", KEYS[1]) == ARGV[1] then redis.call("DEL", KEYS[1]) end'
    )

    def __init__(self, url: str) -> None:
        import redis

        self.errors = redis.RedisError
        self.client = redis.Redis.from_url(
            url, socket_timeout=2.0, socket_connect_timeout=2.0
        )
        self._release = self.client.register_script(self.RELEASE)

    def acquire(self, user_id: str, holder: str) -> bool:
        try:
            taken = self.client.set(
                f"enrolment-lease:{user_id}", holder, nx=True, px=LEASE_MS
            )
        except self.errors as error:
            raise LockUnavailable(f"the enrolment lock's Redis: {error}") from error
        return bool(taken)

    def release(self, user_id: str, holder: str) -> None:
        try:
            self._release([f"enrolment-lease:{user_id}"], [holder])
        except self.errors as error:
            raise LockUnavailable(f"the enrolment lock's Redis: {error}") from error
