"""The kept client for core calls against the SDK's own, side by side in one run:
``bench/pooled-client.md``.

    python -m bench.pooled_client [--quick] [--memory] [--frameworks fastapi ...]

Each framework's example runs twice at once, on devcores of their own: as shipped
(``POOLED_CORE_CLIENT`` unset, the kept client) and with ``POOLED_CORE_CLIENT=false``
(the SDK's client, new per core call). The two are measured in turn, their order
swapped at every repetition, so that drift in the machine's load falls on both alike:
the enrolment flow's latency with one user, flows per second with 1, 10 and 50 users
at once (with each request's p50 and p99, and errors), the core calls of each step, and
the example's resident memory after the 50-user runs (``--memory``: also after a run of
200 users at once). Exits 1 if any flow failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.flow import STEPS, Flow, Timing
from bench.measure import LoadRun, load, percentile, round_trips
from bench.servers import Servers, running
from tests.harness.examples import EXAMPLES
from tests.harness.outbox import Outbox

HERE = Path(__file__).resolve().parent
VARIANTS = {"stock": {"POOLED_CORE_CLIENT": "false"}, "pooled": {}}
ENROLMENT = STEPS[0], STEPS[1], STEPS[3], STEPS[4]
"""Sign up, send a code, enter it, the protected route: the enrolment flow."""
LATENCY_TARGET, THROUGHPUT_TARGET = 0.35, 3.0


@dataclass(frozen=True)
class Plan:
    repetitions: int = 2
    latency_flows: int = 6
    """Enrolment flows walked one after another per repetition, for the latency."""
    users: tuple[int, ...] = (1, 10, 50)
    memory_users: int | None = None


@dataclass
class Measured:
    enrolment_seconds: list[float] = field(default_factory=list)
    load: dict[int, list[LoadRun]] = field(default_factory=dict)
    core_calls: list[int] = field(default_factory=list)
    """Core requests per step, in step order."""
    rss_mib: dict[int, float] = field(default_factory=dict)
    """Resident memory after the runs of that many users."""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


async def enrolment_latency(servers: Servers, outbox: Outbox) -> float:
    timings: list[Timing] = []
    async with Flow(servers.url, outbox, timings) as flow:
        await flow.run()
    return sum(t.seconds for t in timings if t.step in ENROLMENT)


async def measure(
    servers: dict[tuple[str, str], Servers], plan: Plan
) -> dict[tuple[str, str], Measured]:
    results = {key: Measured() for key in servers}
    outboxes = {key: Outbox(s.outbox) for key, s in servers.items()}
    frameworks = sorted({framework for framework, _ in servers})
    for key, s in servers.items():
        say(f"{key}: core calls per step, warm-up")
        [counts] = await round_trips(s, outboxes[key], 1)
        results[key].core_calls = [sum(step.values()) for step in counts]
    for repetition in range(plan.repetitions):
        order = list(VARIANTS)[:: 1 if repetition % 2 == 0 else -1]
        for framework in frameworks:
            for variant in order:
                key = (framework, variant)
                say(f"{key}: repetition {repetition + 1}/{plan.repetitions}")
                for _ in range(plan.latency_flows):
                    results[key].enrolment_seconds.append(
                        await enrolment_latency(servers[key], outboxes[key])
                    )
                for users in plan.users:
                    run = await load(
                        servers[key], outboxes[key], users=users, flows_per_user=1
                    )
                    results[key].load.setdefault(users, []).append(run)
                    results[key].rss_mib[users] = rss_mib(servers[key].pid)
                    for error in run.errors[:3]:
                        say(f"  error: {error}")
    if plan.memory_users:
        for framework in frameworks:
            for variant in VARIANTS:
                key = (framework, variant)
                say(f"{key}: {plan.memory_users} users at once")
                run = await load(
                    servers[key],
                    outboxes[key],
                    users=plan.memory_users,
                    flows_per_user=1,
                )
                results[key].load.setdefault(plan.memory_users, []).append(run)
                results[key].rss_mib[plan.memory_users] = rss_mib(servers[key].pid)
                for error in run.errors[:3]:
                    say(f"  error: {error}")
    return results


def render(results: dict[tuple[str, str], Measured], plan: Plan, seconds: float) -> str:
    frameworks = sorted({framework for framework, _ in results})
    lines = [
        "# The kept client for core calls, against the SDK's own",
        "",
        f"Written by `nox -s bench` (`bench/pooled_client.py`) on "
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} CPUs, in "
        f"{seconds / 60:.1f} min. Each example ran twice at once on devcores of their "
        "own: **pooled** as shipped, **stock** with `POOLED_CORE_CLIENT=false`. They "
        f"were measured in turn, {plan.repetitions} times, the order swapped each time. "
        "Absolute times depend on the machine; compare the ratios.",
        "",
        "## Targets",
        "",
        "| framework | enrolment latency, pooled / stock | target | flows/s at 10 users, "
        "pooled / stock | target | errors | core calls per step |",
        "|---|---|---|---|---|---|---|",
    ]
    for framework in frameworks:
        stock, pooled = results[framework, "stock"], results[framework, "pooled"]
        latency = statistics.median(pooled.enrolment_seconds) / statistics.median(
            stock.enrolment_seconds
        )
        throughput = flows_per_second(pooled, 10) / flows_per_second(stock, 10)
        errors = sum(
            len(run.errors)
            for m in (stock, pooled)
            for r in m.load.values()
            for run in r
        )
        calls = (
            "same" if pooled.core_calls == stock.core_calls
            else "fewer" if all(p <= s for p, s in zip(pooled.core_calls, stock.core_calls, strict=True))
            else "**more**"
        )  # fmt: skip
        lines.append(
            f"| {framework} | {latency:.2f}x | ≤ {LATENCY_TARGET}x "
            f"{met(latency <= LATENCY_TARGET)} | {throughput:.2f}x | ≥ {THROUGHPUT_TARGET}x "
            f"{met(throughput >= THROUGHPUT_TARGET)} | {errors} | {calls} |"
        )
    lines += [
        "",
        "## Enrolment flow with one user",
        "",
        "Sign up, send a code, enter it, `/api/me`: the sum of the four requests' "
        f"times, median of {plan.repetitions * plan.latency_flows} flows walked one "
        "after another.",
        "",
        "| framework | stock | pooled | pooled / stock |",
        "|---|---|---|---|",
    ]
    for framework in frameworks:
        stock = statistics.median(results[framework, "stock"].enrolment_seconds)
        pooled = statistics.median(results[framework, "pooled"].enrolment_seconds)
        lines.append(
            f"| {framework} | {ms(stock)} | {ms(pooled)} | {pooled / stock:.2f}x |"
        )
    levels = sorted({u for m in results.values() for u in m.load})
    lines += [
        "",
        "## The whole flow under load",
        "",
        "Users walking the whole flow (12 requests: sign up, code, resend, consume, "
        "protected route, refresh, sign out, sign in, code, consume, protected route) "
        "at once; flows per second is the median over the repetitions, the request "
        "times are over every request of every repetition.",
        "",
        "| framework | users | stock flows/s | pooled flows/s | pooled / stock | "
        "stock p50 / p99 | pooled p50 / p99 | errors (stock, pooled) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for framework in frameworks:
        stock, pooled = results[framework, "stock"], results[framework, "pooled"]
        for users in levels:
            lines.append(
                f"| {framework} | {users} | {flows_per_second(stock, users):.2f} | "
                f"{flows_per_second(pooled, users):.2f} | "
                f"{flows_per_second(pooled, users) / flows_per_second(stock, users):.2f}x | "
                f"{request_times(stock, users)} | {request_times(pooled, users)} | "
                f"{errors_at(stock, users)}, {errors_at(pooled, users)} |"
            )
    lines += [
        "",
        "## Core calls per step",
        "",
        "Requests devcore received during each step of one flow (after a flow that "
        "fetched the API version and signing keys).",
        "",
        "| step | " + " | ".join(f"{f} stock | {f} pooled" for f in frameworks) + " |",
        "|---|" + "---|" * (2 * len(frameworks)),
    ]
    for index, step in enumerate(STEPS):
        cells = [
            str(results[framework, variant].core_calls[index])
            for framework in frameworks
            for variant in ("stock", "pooled")
        ]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Resident memory of the example process",
        "",
        "After the last run of that many users at once, in MiB.",
        "",
        "| framework | users | stock | pooled |",
        "|---|---|---|---|",
    ]
    for framework in frameworks:
        for users in sorted(results[framework, "stock"].rss_mib):
            lines.append(
                f"| {framework} | {users} | {results[framework, 'stock'].rss_mib[users]:.0f} | "
                f"{results[framework, 'pooled'].rss_mib[users]:.0f} |"
            )
    return "\n".join(lines) + "\n"


def flows_per_second(measured: Measured, users: int) -> float:
    return statistics.median(run.flows_per_second for run in measured.load[users])


def request_times(measured: Measured, users: int) -> str:
    seconds = [t.seconds for run in measured.load[users] for t in run.timings]
    return f"{ms(statistics.median(seconds))} / {ms(percentile(seconds, 99))}"


def errors_at(measured: Measured, users: int) -> int:
    return sum(len(run.errors) for run in measured.load[users])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repetition")
    parser.add_argument(
        "--memory", action="store_true", help="also a run of 200 users at once"
    )
    parser.add_argument(
        "--frameworks", nargs="+", choices=sorted(EXAMPLES), default=list(EXAMPLES)
    )
    parser.add_argument("--output", type=Path, default=HERE / "pooled-client.md")
    args = parser.parse_args(argv)
    plan = Plan(
        repetitions=1 if args.quick else Plan.repetitions,
        memory_users=200 if args.memory else None,
    )
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        servers = {
            (framework, variant): stack.enter_context(running(framework, env=env))
            for framework in args.frameworks
            for variant, env in VARIANTS.items()
        }
        results = asyncio.run(measure(servers, plan))
    args.output.write_text(render(results, plan, time.perf_counter() - started))
    say(f"wrote {args.output}")
    errors = [
        e
        for m in results.values()
        for r in m.load.values()
        for run in r
        for e in run.errors
    ]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
