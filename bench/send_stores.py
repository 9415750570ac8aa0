"""What a send costs the send limits in Redis against the SQLite file, side by side in
one run: ``bench/send-stores.md``.

    python -m bench.send_stores [--sends N]

Both stores count the shipped SMS limits; each send is one ``reserve`` with a fresh
session and user to one of 50 phones (so the hourly caps fill as they would), through
``SendThrottle`` as the app makes it. The stores take turns in blocks, the order
swapped each block, so that drift in the machine's load falls on both alike. Redis is
a real server on loopback (``tests/harness/redis_server.py``); the SQLite file is on
local disk, in WAL mode, as the app keeps it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import statistics
import sys
import tempfile
import time
from pathlib import Path

from core.additions.send_limits.redis_store import RedisStore
from core.additions.send_limits.settings import SendLimitSettings
from core.additions.send_limits.sms import sms_sends
from core.additions.send_limits.sqlite_store import SqliteStore
from core.additions.send_limits.throttle import SendStore, SendThrottle
from tests.harness.redis_server import running_redis

HERE = Path(__file__).resolve().parent
BLOCKS = 10


async def block(store: SendStore, sends: int, offset: int) -> list[float]:
    throttle = SendThrottle(sms_sends(SendLimitSettings()), store)
    seconds = []
    for n in range(offset, offset + sends):
        counted = {
            "session_handle": f"s{n}",
            "user_id": f"u{n}",
            "phone": f"+1415555{n % 50:04d}",
        }
        started = time.perf_counter()
        await throttle.reserve(counted)
        seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=2000)
    parser.add_argument("--output", type=Path, default=HERE / "send-stores.md")
    args = parser.parse_args(argv)
    per_block = args.sends // BLOCKS
    timings: dict[str, list[float]] = {"sqlite": [], "redis": []}
    with tempfile.TemporaryDirectory() as scratch, running_redis() as server:
        stores: dict[str, SendStore] = {
            "sqlite": SqliteStore(str(Path(scratch) / "state.sqlite3")),
            "redis": RedisStore(server.url),
        }
        for number in range(BLOCKS):
            order = list(stores)[:: 1 if number % 2 == 0 else -1]
            for name in order:
                timings[name] += asyncio.run(
                    block(stores[name], per_block, number * per_block)
                )
    median = {name: statistics.median(values) for name, values in timings.items()}
    p99 = {
        name: statistics.quantiles(values, n=100)[98]
        for name, values in timings.items()
    }
    rows = "\n".join(
        f"| {name} | {median[name] * 1e6:.0f} µs | {p99[name] * 1e6:.0f} µs |"
        for name in timings
    )
    args.output.write_text(
        "# The send limits' stores: Redis against SQLite\n\n"
        f"Written by `nox -s bench` (`bench/send_stores.py`) on "
        f"{datetime.date.today().isoformat()}: {len(timings['redis'])} sends on each "
        f"store, in {BLOCKS} blocks taken in turn. One send is one decision of the "
        "throttle (every limit checked, the send counted), as a code request makes "
        "it, in the app's thread pool.\n\n"
        "| store | median | p99 |\n|---|---|---|\n"
        f"{rows}\n\n"
        f"Redis costs **{median['redis'] / median['sqlite']:.2f}x** the SQLite file "
        "per send (median), on loopback. Either is far below one core call, and a "
        "code request makes several.\n"
    )
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
