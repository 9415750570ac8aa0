"""SQLite storage: one connection, one thread, one transaction per unit of work.

Every read and write runs on a single dedicated thread, each inside its own
``BEGIN IMMEDIATE`` transaction. That serialises writers (no lost updates, no
half-applied changes: an exception rolls the whole unit back) and keeps blocking I/O off
the event loop. SQLite answers an indexed lookup in microseconds, so one thread is plenty
for a development core; bcrypt and RSA signing run elsewhere, in parallel.

The store also owns the clock, so tests can move time forward without sleeping.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY,
    private_pem TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    recipe_id TEXT NOT NULL,
    time_joined INTEGER NOT NULL,
    email TEXT,
    phone_number TEXT,
    third_party_id TEXT,
    third_party_user_id TEXT,
    password_hash TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS users_emailpassword_email
    ON users (tenant_id, email) WHERE recipe_id = 'emailpassword';
CREATE UNIQUE INDEX IF NOT EXISTS users_passwordless_email
    ON users (tenant_id, email) WHERE recipe_id = 'passwordless' AND email IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS users_passwordless_phone
    ON users (tenant_id, phone_number)
    WHERE recipe_id = 'passwordless' AND phone_number IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS users_thirdparty
    ON users (tenant_id, third_party_id, third_party_user_id) WHERE recipe_id = 'thirdparty';
CREATE INDEX IF NOT EXISTS users_email ON users (tenant_id, email);
CREATE INDEX IF NOT EXISTS users_phone ON users (tenant_id, phone_number);
CREATE INDEX IF NOT EXISTS users_time_joined ON users (tenant_id, time_joined, user_id);
CREATE INDEX IF NOT EXISTS users_recipe_time_joined
    ON users (tenant_id, recipe_id, time_joined, user_id);

CREATE TABLE IF NOT EXISTS verified_emails (
    user_id TEXT NOT NULL,
    email TEXT NOT NULL,
    PRIMARY KEY (user_id, email)
);

-- Only the SHA-256 of each password reset token is kept; a token belongs to one user.
CREATE TABLE IF NOT EXISTS password_reset_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    email TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS password_reset_tokens_user ON password_reset_tokens (user_id);

CREATE TABLE IF NOT EXISTS user_metadata (
    user_id TEXT PRIMARY KEY,
    metadata TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
    session_handle TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    refresh_token_hash2 TEXT NOT NULL,
    session_data TEXT NOT NULL,
    jwt_payload TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    use_static_key INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id, tenant_id);

CREATE TABLE IF NOT EXISTS passwordless_devices (
    device_id_hash TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    email TEXT,
    phone_number TEXT,
    link_code_salt TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS passwordless_devices_email
    ON passwordless_devices (tenant_id, email);
CREATE INDEX IF NOT EXISTS passwordless_devices_phone
    ON passwordless_devices (tenant_id, phone_number);

CREATE TABLE IF NOT EXISTS passwordless_codes (
    code_id TEXT PRIMARY KEY,
    device_id_hash TEXT NOT NULL
        REFERENCES passwordless_devices (device_id_hash) ON DELETE CASCADE,
    link_code_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passwordless_codes_device ON passwordless_codes (device_id_hash);
"""


class Store:
    """The only mutable state of a devcore instance (besides request counters)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.clock_offset_ms = 0
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None

    @property
    def description(self) -> str:
        return "in-memory" if self.path is None else f"db {self.path}"

    def now_ms(self) -> int:
        """The core's idea of now; every expiry check reads this."""
        return int(time.time() * 1000) + self.clock_offset_ms

    async def open(self) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="devcore-db"
        )
        await asyncio.get_running_loop().run_in_executor(self._executor, self._connect)

    def _connect(self) -> None:
        conn = sqlite3.connect(self.path or ":memory:", isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        if self.path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(SCHEMA)
        conn.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', ?)",
            (SCHEMA_VERSION,),
        )
        self._conn = conn

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(conn)`` in one transaction on the storage thread; roll back if it raises."""
        if self._executor is None:
            raise RuntimeError("store is not open")
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, self._transaction, work
        )

    def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._conn
        assert conn is not None
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        await asyncio.get_running_loop().run_in_executor(executor, self._disconnect)
        executor.shutdown(wait=True)

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
