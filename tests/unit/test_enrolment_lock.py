"""The enrolment lock: one holder per account at a time, across processes, and a lease
that ends by itself if its holder died."""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.synchronize
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core import enrolment_lock
from core.additions.outage import is_outage
from core.enrolment_lock import EnrolmentBusy, EnrolmentLock, LockUnavailable
from tests.harness.redis_server import RunningRedis


@pytest.fixture(params=["sqlite", "redis"])
def new_lock(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[..., EnrolmentLock]:
    """Locks in the state file, or in the run's Redis (``REDIS_URL``)."""
    redis_url = None
    if request.param == "redis":
        server: RunningRedis = request.getfixturevalue("redis_server")
        server.flush()
        redis_url = server.url

    def new(**options: float) -> EnrolmentLock:
        path = str(tmp_path / "state.sqlite3")
        return EnrolmentLock(path, redis_url=redis_url, **options)

    return new


def test_a_second_holder_waits_for_the_first(
    new_lock: Callable[..., EnrolmentLock],
) -> None:
    lock = new_lock()
    order: list[str] = []

    async def hold(name: str, inside: asyncio.Event) -> None:
        async with lock.held("user-1"):
            order.append(f"{name} in")
            inside.set()
            await asyncio.sleep(0.2)
            order.append(f"{name} out")

    async def both() -> None:
        first_inside = asyncio.Event()
        first = asyncio.create_task(hold("first", first_inside))
        await first_inside.wait()
        await hold("second", asyncio.Event())
        await first

    asyncio.run(both())

    assert order == ["first in", "first out", "second in", "second out"]


def test_accounts_do_not_wait_for_each_other(
    new_lock: Callable[..., EnrolmentLock],
) -> None:
    lock = new_lock(wait_seconds=0.2)

    async def nested() -> None:
        async with lock.held("user-1"), lock.held("user-2"):
            pass

    asyncio.run(nested())


def test_a_holder_that_never_lets_go_makes_the_next_one_give_up(
    new_lock: Callable[..., EnrolmentLock],
) -> None:
    lock = new_lock(wait_seconds=0.2)

    async def stuck() -> None:
        async with lock.held("user-1"), lock.held("user-1"):
            pass

    with pytest.raises(EnrolmentBusy):
        asyncio.run(stuck())
    assert issubclass(EnrolmentBusy, OSError)  # answered 503 by the request guard


def test_a_dead_holders_lease_ends_by_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = EnrolmentLock(str(tmp_path / "state.sqlite3"), wait_seconds=0.2)
    assert lock._acquire("user-1", "a holder that died")

    with pytest.raises(EnrolmentBusy):
        asyncio.run(_enter(lock))
    later = time.time() + enrolment_lock.LEASE_SECONDS + 1
    monkeypatch.setattr(enrolment_lock.time, "time", lambda: later)
    asyncio.run(_enter(lock))


def test_a_dead_holders_lease_in_redis_expires_by_itself(
    redis_server: RunningRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis_server.flush()
    monkeypatch.setattr(enrolment_lock, "LEASE_MS", 300)
    lock = EnrolmentLock("unused", wait_seconds=0.1, redis_url=redis_server.url)
    assert lock._acquire("user-1", "a holder that died")

    with pytest.raises(EnrolmentBusy):
        asyncio.run(_enter(lock))
    time.sleep(0.4)
    asyncio.run(_enter(lock))


def test_redis_gone_is_an_outage(redis_server: RunningRedis) -> None:
    lock = EnrolmentLock("unused", redis_url=redis_server.url)
    redis_server.stop()
    try:
        with pytest.raises(ConnectionError):
            asyncio.run(_enter(lock))
        with pytest.raises(ConnectionError):
            lock._release("user-1", "anyone")
    finally:
        redis_server.start()
    asyncio.run(_enter(lock))


def test_the_file_deleted_while_the_app_runs_is_made_again(tmp_path: Path) -> None:
    path = tmp_path / "state" / "state.sqlite3"
    lock = EnrolmentLock(str(path))
    asyncio.run(_enter(lock))
    path.unlink()

    asyncio.run(_enter(lock))

    assert path.exists()


@pytest.mark.parametrize("broken", ["a folder", "not a database"])
def test_a_file_that_cannot_be_used_is_an_outage(tmp_path: Path, broken: str) -> None:
    """The request guard answers it 503: the code is not checked, nothing enrolled."""
    path = tmp_path / "state.sqlite3"
    if broken == "a folder":
        path.mkdir()
    else:
        path.write_bytes(b"these are not the pages of a database" * 100)

    with pytest.raises(LockUnavailable) as raised:
        asyncio.run(_enter(EnrolmentLock(str(path))))

    assert is_outage(raised.value)


async def _enter(lock: EnrolmentLock) -> None:
    async with lock.held("user-1"):
        pass


def _hold_for_a_while(
    path: str, done: str, held: multiprocessing.synchronize.Event
) -> None:
    async def hold() -> None:
        async with EnrolmentLock(path).held("user-1"):
            held.set()
            await asyncio.sleep(0.5)
            Path(done).write_text("done")  # noqa: ASYNC240

    asyncio.run(hold())


def test_another_process_holding_the_lock_is_waited_for(tmp_path: Path) -> None:
    path, done = str(tmp_path / "state.sqlite3"), tmp_path / "done"
    context = multiprocessing.get_context("spawn")
    held = context.Event()
    other = context.Process(target=_hold_for_a_while, args=(path, str(done), held))
    other.start()
    assert held.wait(timeout=60)

    async def enter_and_look() -> bool:
        async with EnrolmentLock(path).held("user-1"):
            return done.exists()

    finished_before_we_entered = asyncio.run(enter_and_look())

    other.join()
    assert finished_before_we_entered
