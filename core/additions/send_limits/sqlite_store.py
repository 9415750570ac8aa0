"""The sends, counted in a small SQLite file that every worker process of the app
shares.

Each kind of send has a table, with a column for each property its limits count by.
One ``BEGIN IMMEDIATE`` transaction (one writer at a time, across processes) forgets
sends older than the longest limit, checks every limit and records the send. Table and
column names are written in code, never taken from input: they become part of the SQL.

The store never fails a request with a 500: a file deleted while the app runs is made
again (its counts start from zero), and a file that cannot be used (unreadable, not a
database, its path taken by a folder) is an outage, ``StoreUnavailable``, which the
request guard answers 503; nothing is then sent, as nothing could be counted.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import TypeVar

from core.additions.send_limits.throttle import (
    Limit,
    Reserved,
    SendKind,
    StoreUnavailable,
    Throttled,
)

T = TypeVar("T")


class SqliteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        self._schema_ready: set[str] = set()

    def reserve(
        self, kind: SendKind, counted: Mapping[str, str], now: float
    ) -> Reserved | Throttled:
        return self._using(kind, lambda db: _reserve(db, kind, counted, now))

    def release(self, kind: SendKind, reservation: Reserved) -> None:
        forget = f"DELETE FROM {kind.name} WHERE id = ?"  # noqa: S608
        self._using(kind, lambda db: db.execute(forget, (reservation.send_id,)))

    def _using(self, kind: SendKind, use: Callable[[sqlite3.Connection], T]) -> T:
        """``use`` on a connection to the file, in which ``kind``'s table is.

        Deleted while the app runs, the file is made anew, empty, when next connected
        to; this process's note that the table was made is then wrong, and the first
        statement finds no table: the table is made again, and ``use`` run once more.
        Any other failure of the file is an outage.
        """
        try:
            try:
                return self._used_once(kind, use)
            except sqlite3.OperationalError as error:
                if not str(error).startswith("no such table"):
                    raise
                self._schema_ready.discard(kind.name)
                return self._used_once(kind, use)
        except (sqlite3.Error, OSError) as error:
            raise StoreUnavailable(
                f"{kind.what} cannot be counted in {self.path}: {error}"
            ) from error

    def _used_once(self, kind: SendKind, use: Callable[[sqlite3.Connection], T]) -> T:
        with closing(self._connect(kind)) as db:
            return use(db)

    def _connect(self, kind: SendKind) -> sqlite3.Connection:
        if not all(name.isidentifier() for name in (kind.name, *kind.properties)):
            raise ValueError(f"not SQL names: {kind.name!r}, {kind.properties!r}")
        path = Path(self.path).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        if kind.name not in self._schema_ready:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                _make_table(db, kind)
            except BaseException:
                db.close()  # and with it the transaction, which other processes await
                raise
            self._schema_ready.add(kind.name)
        return db


def _reserve(
    db: sqlite3.Connection, kind: SendKind, counted: Mapping[str, str], now: float
) -> Reserved | Throttled:
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


def _make_table(db: sqlite3.Connection, kind: SendKind) -> None:
    """The kind's table and its indexes, in one process at a time. A table made before
    a limit was added gains the limit's column: its sends count for no value of it."""
    db.execute("BEGIN IMMEDIATE")
    columns = "".join(f"    {name} TEXT NOT NULL,\n" for name in kind.properties)
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {kind.name} (\n"
        f"    id INTEGER PRIMARY KEY,\n{columns}    sent_at REAL NOT NULL\n)"
    )
    made = {row[1] for row in db.execute(f"PRAGMA table_info({kind.name})")}
    for name in kind.properties:
        if name not in made:
            db.execute(
                f"ALTER TABLE {kind.name} ADD COLUMN {name} TEXT NOT NULL DEFAULT ''"
            )
    for per in dict.fromkeys(limit.per for limit in kind.limits):
        db.execute(
            f"CREATE INDEX IF NOT EXISTS {kind.name}_by_{'_'.join(per)}"
            f" ON {kind.name} ({', '.join(per)}, sent_at)"
        )
    db.execute("COMMIT")
