"""The SMS throttle's arithmetic, and that worker processes share its counts."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from core.additions.outage import is_outage
from core.additions.send_limits import sms as sms_layer
from core.additions.send_limits import sqlite_store
from core.additions.send_limits.redis_store import RedisStore
from core.additions.send_limits.settings import SendLimitSettings
from core.additions.send_limits.sms import sms_sends
from core.additions.send_limits.sqlite_store import SqliteStore
from core.additions.send_limits.throttle import (
    Reserved,
    SendStore,
    SendThrottle,
    StoreUnavailable,
    Throttled,
)
from tests.harness.redis_server import RunningRedis


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def throttle(
    store: SendStore, clock: Clock | None = None, **limits: int
) -> SendThrottle:
    """The SMS limits (named as their settings are, less ``sms_``), counted in ``store``."""
    settings = SendLimitSettings(
        **{f"sms_{name}": most for name, most in limits.items()}
    )
    return SendThrottle(sms_sends(settings), store, clock=clock or Clock())


def sqlite_in(folder: Path) -> SqliteStore:
    return SqliteStore(str(folder / "throttle.sqlite3"))


def sms(
    session: str = "s1",
    user: str = "u1",
    phone: str = "+1",
    client: str = "203.0.113.1",
) -> dict[str, str]:
    return {
        "session_handle": session,
        "user_id": user,
        "phone": phone,
        "client": client,
        "whole_app": sms_layer.WHOLE_APP,
    }


def reserve(
    t: SendThrottle,
    session: str = "s1",
    user: str = "u1",
    phone: str = "+1",
    client: str = "203.0.113.1",
) -> object:
    return asyncio.run(t.reserve(sms(session, user, phone, client)))


def test_cooldown_is_per_session_and_phone(store: SendStore) -> None:
    clock = Clock()
    t = throttle(store, clock, cooldown_seconds=30)

    assert isinstance(reserve(t), Reserved)
    clock.now += 10
    assert reserve(t) == Throttled(20)
    assert isinstance(reserve(t, session="s2"), Reserved)  # another session of the user
    assert isinstance(reserve(t, phone="+2"), Reserved)  # another phone
    clock.now += 20
    assert isinstance(reserve(t), Reserved)


def test_phone_cap_waits_until_the_oldest_send_leaves_the_hour(
    store: SendStore,
) -> None:
    clock = Clock()
    t = throttle(store, clock, cooldown_seconds=0, max_per_phone_per_hour=2)

    reserve(t, user="a")
    clock.now += 100
    reserve(t, user="b")
    clock.now += 100

    assert reserve(t, user="c") == Throttled(3600 - 200)
    clock.now += 3600 - 200
    assert isinstance(reserve(t, user="c"), Reserved)


def test_user_cap_counts_every_phone(store: SendStore) -> None:
    clock = Clock()
    t = throttle(store, clock, cooldown_seconds=0, max_per_user_per_hour=3)

    for phone in ("+1", "+2", "+3"):
        assert isinstance(reserve(t, phone=phone), Reserved)

    assert isinstance(reserve(t, phone="+4"), Throttled)


def test_client_cap_counts_every_user_and_phone(store: SendStore) -> None:
    """One script signs up account after account, each asking for a fresh phone."""
    clock = Clock()
    t = throttle(store, clock, cooldown_seconds=0, max_per_client_per_hour=3)
    for n in range(3):
        clock.now += 100
        assert isinstance(reserve(t, f"s{n}", f"u{n}", f"+{n}"), Reserved)

    assert reserve(t, "s9", "u9", "+9") == Throttled(3600 - 200)
    assert isinstance(reserve(t, "s9", "u9", "+9", client="198.51.100.2"), Reserved)


def test_the_whole_app_budget_counts_every_client_but_no_refused_send(
    store: SendStore,
) -> None:
    clock = Clock()
    t = throttle(
        store,
        clock,
        cooldown_seconds=0,
        max_per_client_per_hour=1,
        max_per_hour=2,
    )
    assert isinstance(reserve(t, "s1", "u1", "+1", client="a"), Reserved)
    assert isinstance(reserve(t, "s2", "u2", "+2", client="a"), Throttled)  # a's cap

    assert isinstance(reserve(t, "s3", "u3", "+3", client="b"), Reserved)
    assert isinstance(reserve(t, "s4", "u4", "+4", client="c"), Throttled)
    clock.now += 3600
    assert isinstance(reserve(t, "s4", "u4", "+4", client="c"), Reserved)


def test_a_table_made_before_the_client_and_app_limits_keeps_its_counts(
    tmp_path: Path,
) -> None:
    """The state file of an app that ran before those limits existed."""
    path = tmp_path / "throttle.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(
            "CREATE TABLE sms_sends (id INTEGER PRIMARY KEY,"
            " session_handle TEXT NOT NULL, phone TEXT NOT NULL,"
            " user_id TEXT NOT NULL, sent_at REAL NOT NULL);"
            "CREATE INDEX sms_sends_by_phone ON sms_sends (phone, sent_at);"
        )
        db.execute("INSERT INTO sms_sends VALUES (1, 's0', '+1', 'u0', ?)", (1e6,))
    t = throttle(SqliteStore(str(path)), Clock(), max_per_phone_per_hour=1)

    assert isinstance(reserve(t, phone="+1"), Throttled)  # the old send still counts
    assert isinstance(reserve(t, phone="+2"), Reserved)


def test_a_released_reservation_does_not_count(store: SendStore) -> None:
    clock = Clock()
    t = throttle(store, clock, cooldown_seconds=60)
    reservation = reserve(t)
    assert isinstance(reservation, Reserved)

    asyncio.run(t.release(reservation))

    assert isinstance(reserve(t), Reserved)


def test_zero_turns_a_limit_off(store: SendStore) -> None:
    clock = Clock()
    t = throttle(
        store,
        clock,
        cooldown_seconds=0,
        max_per_phone_per_hour=0,
        max_per_user_per_hour=0,
        max_per_client_per_hour=0,
        max_per_hour=0,
    )

    assert all(isinstance(reserve(t), Reserved) for _ in range(20))


def test_the_wait_reads_as_minutes_when_long() -> None:
    assert (
        Throttled(3540).message()
        == "Too many codes were requested. Please try again in 59 minutes."
    )
    assert (
        Throttled(9).message()
        == "Too many codes were requested. Please try again in 9 seconds."
    )


CAP, PROCESSES, TRIES_EACH = 7, 4, 5


def _reserve_many(where: tuple[str, str], results: multiprocessing.Queue[bool]) -> None:
    kind, location = where
    store = SqliteStore(location) if kind == "sqlite" else RedisStore(location)
    t = throttle(store, cooldown_seconds=0, max_per_phone_per_hour=CAP)
    for n in range(TRIES_EACH):
        outcome = asyncio.run(
            t.reserve(sms(f"session-{n}", f"user-{n}", "+14155550100"))
        )
        results.put(isinstance(outcome, Reserved))


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_worker_processes_share_one_count(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Four processes race for seven sends to one phone: exactly seven are allowed."""
    if kind == "sqlite":
        where = (kind, str(tmp_path / "shared.sqlite3"))
    else:
        server: RunningRedis = request.getfixturevalue("redis_server")
        server.flush()
        where = (kind, server.url)
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[bool] = context.Queue()
    workers = [
        context.Process(target=_reserve_many, args=(where, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in range(PROCESSES * TRIES_EACH)]
    for worker in workers:
        worker.join()

    assert outcomes.count(True) == CAP


def test_a_failure_inside_the_check_leaves_the_store_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = throttle(sqlite_in(tmp_path), Clock())

    def broken(*_args: object) -> float:
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as patched:
        patched.setattr(sqlite_store, "_wait_for", broken)
        with pytest.raises(StoreUnavailable, match="disk I/O error"):
            reserve(t)

    assert isinstance(
        reserve(t), Reserved
    )  # the transaction was rolled back, not left open


def test_the_file_deleted_while_the_app_runs_is_made_again_and_counts_from_zero(
    tmp_path: Path,
) -> None:
    clock = Clock()
    t = throttle(sqlite_in(tmp_path), clock, cooldown_seconds=60)
    assert isinstance(reserve(t), Reserved)
    assert isinstance(reserve(t), Throttled)

    for name in ("throttle.sqlite3", "throttle.sqlite3-wal", "throttle.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)

    assert isinstance(reserve(t), Reserved)
    assert isinstance(reserve(t), Throttled)  # and it counts again


def test_a_reservation_given_back_after_the_file_was_deleted_is_no_error(
    tmp_path: Path,
) -> None:
    t = throttle(sqlite_in(tmp_path), Clock(), cooldown_seconds=60)
    reservation = reserve(t)
    assert isinstance(reservation, Reserved)
    (tmp_path / "throttle.sqlite3").unlink()

    asyncio.run(t.release(reservation))

    assert isinstance(reserve(t), Reserved)


@pytest.mark.parametrize("broken", ["a folder", "not a database", "a file as folder"])
def test_a_file_that_cannot_be_used_is_an_outage(tmp_path: Path, broken: str) -> None:
    """The request guard answers it 503, and nothing is sent: nothing could count."""
    path = tmp_path / "state" / "throttle.sqlite3"
    if broken == "a folder":
        path.mkdir(parents=True)
    elif broken == "not a database":
        path.parent.mkdir()
        path.write_bytes(b"these are not the pages of a database" * 100)
    else:
        path.parent.write_text("")
    t = throttle(SqliteStore(str(path)), Clock())

    with pytest.raises(StoreUnavailable) as raised:
        reserve(t)
    with pytest.raises(StoreUnavailable):
        asyncio.run(t.release(Reserved(1)))

    assert is_outage(raised.value)


@pytest.mark.parametrize("outcome", ["sent", "refused by the SDK", "raised"])
def test_a_send_counts_only_if_the_code_went_out(
    store: SendStore, outcome: str
) -> None:
    t = throttle(store, Clock(), cooldown_seconds=60)

    async def the_sdk_call() -> str:
        if outcome == "raised":
            raise ConnectionError("the core went away")
        return outcome

    def within_limits() -> object:
        return asyncio.run(
            t.within_limits(sms(), the_sdk_call, went_out=lambda r: r == "sent")
        )

    if outcome == "raised":
        with pytest.raises(ConnectionError):
            within_limits()
    else:
        assert within_limits() == outcome

    again = reserve(t)
    assert isinstance(again, Throttled if outcome == "sent" else Reserved)


def test_a_throttled_send_is_not_made_and_is_answered_with_the_wait(
    store: SendStore,
) -> None:
    t = throttle(store, Clock(), cooldown_seconds=60)
    reserve(t)
    calls: list[str] = []

    async def the_sdk_call() -> str:
        calls.append("sent")
        return "sent"

    answer = asyncio.run(t.within_limits(sms(), the_sdk_call, went_out=bool))

    assert calls == []
    assert answer.to_json() == {  # type: ignore[union-attr]
        "status": "GENERAL_ERROR",
        "message": "Too many codes were requested. Please try again in 60 seconds.",
        "retryAfterSeconds": 60,
    }


def test_a_resend_for_a_device_that_does_not_exist_is_not_counted(
    store: SendStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing can be sent for it, so the SDK answers it (``RESTART_FLOW_ERROR``)."""
    t = throttle(store, Clock(), cooldown_seconds=60)

    class Session:
        def get_handle(self) -> str:
            return "s1"

        def get_user_id(self) -> str:
            return "u1"

    async def the_session(*_args: object) -> Session:
        return Session()

    async def no_device(*_args: object) -> None:
        return None

    async def the_sdk(*_args: object) -> str:
        return "RESTART_FLOW_ERROR"

    monkeypatch.setattr(sms_layer, "first_factor_session", the_session)
    monkeypatch.setattr(sms_layer, "device_in_flow", no_device)

    for _ in range(3):
        answer = asyncio.run(
            sms_layer.resend_code_post(
                t,
                0,
                the_sdk,
                "device",
                "flow",
                None,
                None,
                "public",
                None,
                {},  # type: ignore[arg-type]
            )
        )
        assert answer == "RESTART_FLOW_ERROR"
    assert isinstance(reserve(t, phone="+1"), Reserved)  # nothing was counted
