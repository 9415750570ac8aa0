"""Benchmark devcore: start-up time, memory after start, and the cost of one auth cycle.

Run ``python bench/devcore_bench.py`` (``--quick`` for a smaller run); it prints a
markdown report. The cycle is sign-up + create session + refresh + regenerate, sent as raw
CDI calls over one keep-alive connection, so the figures are the core's and not the SDK's
(which opens a new HTTP client per call). The cycle is timed with ~100 and with ~10,000
users (each with a session) already stored, on two cores timed in turn: a ratio near 1
means no request path grows with the number of users.

Targets (issue 2): start-up under 1 s, resident memory under 80 MB after start.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

READY = re.compile(r"devcore listening on (http://\S+) ")
HEADERS = {"cdi-version": "5.4"}


def start_core(*flags: str) -> tuple[subprocess.Popen[str], str, float]:
    """Start ``python -m devcore``; return it, its URI and seconds until the ready line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "devcore", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    match = READY.match(line)
    if match is None:
        process.kill()
        raise SystemExit(f"devcore did not start: {line!r}")
    return process, match.group(1), elapsed


def stop_core(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=10)


def rss_mb(pid: int) -> float:
    """Resident set size of a process, from /proc (Linux) or ps."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    out = subprocess.run(
        ["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True
    )
    return int(out.stdout.strip()) / 1024


async def post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
    response = await client.post(path, json=body)
    response.raise_for_status()
    return response.json()


async def cycle(client: httpx.AsyncClient, n: int) -> None:
    """Sign up, create a session, refresh it, set a claim (regenerate)."""
    user = await post(
        client,
        "/public/recipe/signup",
        {"email": f"cycle{n}@bench.test", "password": "pw 12345"},
    )
    session = await post(
        client,
        "/public/recipe/session",
        {
            "userId": user["user"]["id"],
            "enableAntiCsrf": False,
            "userDataInJWT": {},
            "userDataInDatabase": {},
        },
    )
    refreshed = await post(
        client,
        "/recipe/session/refresh",
        {
            "refreshToken": session["refreshToken"]["token"],
            "enableAntiCsrf": False,
            "useDynamicSigningKey": True,
        },
    )
    regenerated = await post(
        client,
        "/recipe/session/regenerate",
        {
            "accessToken": refreshed["accessToken"]["token"],
            "userDataInJWT": {"2fa-completed": {"v": True, "t": 0}},
        },
    )
    assert regenerated["status"] == "OK"


async def seed(
    client: httpx.AsyncClient, start: int, count: int, concurrency: int = 8
) -> None:
    """Store ``count`` more users, each with a session, through the CDI."""
    queue = iter(range(start, start + count))

    async def worker() -> None:
        for n in queue:
            user = await post(
                client,
                "/public/recipe/signup",
                {"email": f"seed{n}@bench.test", "password": "pw"},
            )
            await post(
                client,
                "/public/recipe/session",
                {
                    "userId": user["user"]["id"],
                    "enableAntiCsrf": False,
                    "userDataInJWT": {},
                    "userDataInDatabase": {},
                },
            )

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def compare_sizes(uris: dict[int, str], cycles: int) -> dict[int, list[float]]:
    """Seed each core to its size, then time cycles on them in turn.

    Alternating between the cores makes background noise (other processes, CPU
    frequency) land on both sizes alike, so their ratio reflects the core alone.
    """
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout can race a reuse.
    limits = httpx.Limits(max_connections=8, keepalive_expiry=2.0)
    clients = {
        size: httpx.AsyncClient(base_url=uri, headers=HEADERS, limits=limits)
        for size, uri in uris.items()
    }
    timings: dict[int, list[float]] = {size: [] for size in uris}
    try:
        for size, client in clients.items():
            await seed(client, 0, size)
            for n in range(5):  # warm-up: connections, caches
                await cycle(client, 10**9 + n)
        for n in range(cycles):
            for size, client in clients.items():
                started = time.perf_counter()
                await cycle(client, n)
                timings[size].append((time.perf_counter() - started) * 1000)
    finally:
        for client in clients.values():
            await client.aclose()
    return timings


def round_trips(uri: str) -> dict[str, int]:
    """How many core requests one cycle makes, read from the /_devcore/requests counter."""

    async def run() -> dict[str, int]:
        async with httpx.AsyncClient(base_url=uri, headers=HEADERS) as client:
            await client.delete("/_devcore/requests")
            await cycle(client, 10**8)
            counts: dict[str, int] = (await client.get("/_devcore/requests")).json()
            return counts

    return asyncio.run(run())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer users and repetitions"
    )
    args = parser.parse_args(argv)
    small, large = (100, 2_000) if args.quick else (100, 10_000)
    cycles = 30 if args.quick else 100

    startups, rss = [], []
    for _ in range(3 if args.quick else 5):
        process, _, elapsed = start_core()
        startups.append(elapsed)
        rss.append(rss_mb(process.pid))
        stop_core(process)

    # Scaling is measured at the lowest bcrypt cost so hashing does not drown it out;
    # the default cost (11, as the real core) is timed separately.
    cores = {size: start_core("--bcrypt-log-rounds", "4") for size in (small, large)}
    try:
        trips = round_trips(cores[small][1])
        by_size = asyncio.run(
            compare_sizes({s: c[1] for s, c in cores.items()}, cycles)
        )
        rss_loaded = rss_mb(cores[large][0].pid)
    finally:
        for process, _, _ in cores.values():
            stop_core(process)
    process, uri, _ = start_core()
    try:
        default_cost = asyncio.run(compare_sizes({0: uri}, 10 if args.quick else 20))[0]
    finally:
        stop_core(process)

    def median(values: list[float]) -> float:
        return statistics.median(values)

    ratio = median(by_size[large]) / median(by_size[small])
    print("# devcore benchmark\n")
    print(f"Python {sys.version.split()[0]} on {sys.platform}; medians.\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(
        f"| start-up (process start to ready line) | {median(startups) * 1000:.0f} ms | < 1000 ms |"
    )
    print(f"| resident memory after start | {median(rss):.1f} MB | < 80 MB |")
    print(
        f"| resident memory with {large:,} users + sessions | {rss_loaded:.1f} MB | |"
    )
    print(f"| core requests per cycle | {sum(trips.values())} | |")
    print(f"| cycle, bcrypt cost 11 (default) | {median(default_cost):.1f} ms | |")
    for size in (small, large):
        print(
            f"| cycle, bcrypt cost 4, {size:,} users stored | {median(by_size[size]):.2f} ms | |"
        )
    print(f"| ratio {large:,} / {small:,} users | {ratio:.2f} | ≈ 1 |")
    print(
        "\nCycle = sign-up + create session + refresh + regenerate (raw CDI, one connection)."
    )
    print(
        "Requests per cycle: "
        + ", ".join(f"`{k}` x{v}" for k, v in sorted(trips.items()))
    )


if __name__ == "__main__":
    main()
