"""The sends, counted in a small SQLite file that every worker process of the app
shares.

Each kind of send has a table, with a column for each property its limits count by.
One ``BEGIN IMMEDIATE`` transaction (one writer at a time, across processes) forgets
sends older than the longest limit, checks every limit and records the send. Table and
column names are written in code, never taken from input: they become part of the SQL.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

from core.additions.send_limits.throttle import Limit, Reserved, SendKind, Throttled


class SqliteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        self._schema_ready: set[str] = set()

    def reserve(
        self, kind: SendKind, counted: Mapping[str, str], now: float
    ) -> Reserved | Throttled:
        with closing(self._connect(kind)) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                kept = max((limit.seconds for limit in kind.limits), default=0)
                forget = f"DELETE FROM {kind.name} WHERE sent_at < ?"  # noqa: S608
                db.execute(forget, (now - kept,))
                waits = [
                    _wait_for(db, kind, limit, now, counted)
                    for limit in kind.limits
                    if limit.on
                ]
                wait = max(waits, default=0.0)
                if wait > 0:
                    db.execute("COMMIT")
                    return Throttled(max(1, math.ceil(wait)), kind.what)
                names = ", ".join(kind.properties)
                cursor = db.execute(
                    f"INSERT INTO {kind.name} ({names}, sent_at)"  # noqa: S608
                    f" VALUES ({'?, ' * len(kind.properties)}?)",
                    (*(counted[name] for name in kind.properties), now),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        assert cursor.lastrowid is not None
        return Reserved(cursor.lastrowid)

    def release(self, kind: SendKind, reservation: Reserved) -> None:
        with closing(self._connect(kind)) as db:
            forget = f"DELETE FROM {kind.name} WHERE id = ?"  # noqa: S608
            db.execute(forget, (reservation.send_id,))

    def _connect(self, kind: SendKind) -> sqlite3.Connection:
        if not all(name.isidentifier() for name in (kind.name, *kind.properties)):
            raise ValueError(f"not SQL names: {kind.name!r}, {kind.properties!r}")
        path = Path(self.path).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        if kind.name not in self._schema_ready:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_schema(kind))
            self._schema_ready.add(kind.name)
        return db


def _wait_for(
    db: sqlite3.Connection,
    kind: SendKind,
    limit: Limit,
    now: float,
    counted: Mapping[str, str],
) -> float:
    """Until the ``most``-th newest send in the limit's window leaves it (0: none)."""
    same = " AND ".join(f"{name} = ?" for name in limit.per)
    row = db.execute(
        f"SELECT sent_at FROM {kind.name} WHERE {same} AND sent_at >= ?"  # noqa: S608
        " ORDER BY sent_at DESC LIMIT 1 OFFSET ?",
        (*(counted[name] for name in limit.per), now - limit.seconds, limit.most - 1),
    ).fetchone()
    return 0.0 if row is None else float(row[0]) + limit.seconds - now


def _schema(kind: SendKind) -> str:
    columns = "".join(f"    {name} TEXT NOT NULL,\n" for name in kind.properties)
    statements = [
        f"CREATE TABLE IF NOT EXISTS {kind.name} (\n"
        f"    id INTEGER PRIMARY KEY,\n{columns}    sent_at REAL NOT NULL\n);"
    ]
    for per in dict.fromkeys(limit.per for limit in kind.limits):
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {kind.name}_by_{'_'.join(per)}"
            f" ON {kind.name} ({', '.join(per)}, sent_at);"
        )
    return "\n".join(statements) + "\n"
