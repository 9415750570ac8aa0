"""Benchmarks of issue 5, run by ``nox -s bench``: write ``bench/report.md``.

    python -m bench [--quick] [--suites] [--frameworks fastapi flask ...]

Starts devcore and each example, measures core round trips per step, the claim's cost
and the flow under 1, 10 and 50 concurrent users, runs devcore's own benchmark, and
(with ``--suites``) times the test sessions. Exits 1 if any flow failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measure import (
    claim_check_alone,
    claim_cost,
    load,
    new_sdk_client_seconds,
    round_trips,
)
from bench.report import FrameworkResults, Machine, Report, render
from bench.servers import Servers, running
from tests.harness.examples import EXAMPLES
from tests.harness.outbox import Outbox

HERE = Path(__file__).resolve().parent
USERS = (1, 10, 50)
SUITES_MARK = "<!-- suites -->"


@dataclass(frozen=True)
class Plan:
    """How much to measure. Each flow costs the example over a second of CPU (see the
    report), so the 50-user runs dominate: 10 to 15 minutes on 2 CPUs, ``--quick`` half."""

    round_trip_runs: int = 3
    claim_blocks: int = 5
    claim_pairs: int = 2000  # a p99 over 10,000 requests per route, not over 2,000
    claim_warm_up: int = 50
    load: tuple[tuple[int, int, int], ...] = ((1, 2, 3), (10, 1, 3), (50, 1, 2))
    """(users at once, flows each user walks in a row, repetitions)"""

    @classmethod
    def quick(cls) -> Plan:
        return cls(1, 2, 150, 30, ((1, 1, 2), (10, 1, 1), (50, 1, 1)))


async def measure(
    servers: dict[str, Servers], plan: Plan
) -> dict[str, FrameworkResults]:
    """Every measurement, with the frameworks interleaved so that drift in the machine's
    load falls on all of them alike."""
    results = {framework: FrameworkResults() for framework in servers}
    outboxes = {framework: Outbox(s.outbox) for framework, s in servers.items()}
    for framework, s in servers.items():
        say(f"{framework}: core round trips")
        results[framework].round_trips = await round_trips(
            s, outboxes[framework], plan.round_trip_runs
        )
        await load(s, outboxes[framework], users=2, flows_per_user=1)  # warm-up
    for block in range(plan.claim_blocks):
        for framework, s in servers.items():
            say(f"{framework}: claim cost, block {block + 1}/{plan.claim_blocks}")
            results[framework].claim.append(
                await claim_cost(
                    s,
                    outboxes[framework],
                    pairs=plan.claim_pairs,
                    warm_up=plan.claim_warm_up,
                )
            )
    for repetition in range(max(repetitions for _, _, repetitions in plan.load)):
        for users, flows, repetitions in plan.load:
            if repetition >= repetitions:
                continue
            for framework, s in servers.items():
                say(
                    f"{framework}: {users} users, repetition {repetition + 1}/{repetitions}"
                )
                run = await load(
                    s, outboxes[framework], users=users, flows_per_user=flows
                )
                results[framework].load.setdefault(users, []).append(run)
                for error in run.errors[:3]:
                    say(f"  error: {error}")
    return results


def devcore_benchmark(quick: bool) -> str:
    """devcore's own benchmark (``bench/devcore_bench.py``), its headings moved one level down."""
    say("devcore's own benchmark")
    script = HERE / "devcore_bench.py"
    if not script.exists():
        return ""
    out = subprocess.run(
        [sys.executable, str(script), *(["--quick"] if quick else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out = re.sub(
        r"^# devcore benchmark",
        "## 5. devcore's own benchmark (issue 2)",
        out,
        flags=re.M,
    )
    return out + f"\n\n(`python bench/devcore_bench.py{' --quick' if quick else ''}`)"


def time_suites(nox: list[str]) -> str:
    """Wall time of the whole default ``nox`` run and of one framework's suite.

    The whole run uses virtualenvs of its own, created from scratch as on a fresh
    clone; the single suite then reuses its virtualenv, as when a developer reruns it.
    """
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-nox-") as envdir:
        for label, args in [
            ("`nox` (every default session; new virtualenvs)", []),
            ("`nox -r -s tests -- fastapi` (one framework's suite; venv reused)",
             ["-r", "-s", "tests", "--", "fastapi"]),
        ]:  # fmt: skip
            say(f"timing {label}")
            started = time.perf_counter()
            done = subprocess.run(
                [*nox, "--envdir", envdir, *args],
                capture_output=True,
                text=True,
                check=False,
            )
            minutes = (time.perf_counter() - started) / 60
            failed = re.findall(
                r"^nox > Session (.+) failed", done.stderr + done.stdout, re.M
            )
            outcome = (
                "passed" if done.returncode == 0 else "**failed**: " + ", ".join(failed)
            )
            rows.append(f"| {label} | {minutes:.1f} min | {outcome} |")
    stamp = datetime.date.today().isoformat()
    return "\n\n".join(
        [
            SUITES_MARK,
            "## 4. How long the tests take",
            f"Measured on {stamp} by `nox -s bench -- --suites` (or `--suites-only`, which "
            "times these and leaves the rest of the report as it was). Other work shared the "
            "machine.",
            "| run | wall time | result |\n|---|---|---|\n" + "\n".join(rows),
            SUITES_MARK,
        ]
    )


def previous_suites(report: Path) -> str:
    """The suite timings of the last report, kept when this run does not measure them."""
    if not report.exists():
        return ""
    parts = report.read_text().split(SUITES_MARK)
    return SUITES_MARK + parts[1] + SUITES_MARK if len(parts) == 3 else ""


def machine() -> Machine:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return Machine(
        cpus=os.cpu_count() or 1,
        cpu_model=model,
        python=platform.python_version(),
        system=f"{platform.system()} {platform.release()} {platform.machine()}",
        load_before=os.getloadavg(),
    )


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions (noisier)"
    )
    parser.add_argument(
        "--suites", action="store_true", help="also time the nox test runs"
    )
    parser.add_argument(
        "--suites-only",
        action="store_true",
        help="only time them; keep the rest of the report",
    )
    parser.add_argument(
        "--frameworks", nargs="+", choices=sorted(EXAMPLES), default=list(EXAMPLES)
    )
    parser.add_argument("--output", type=Path, default=HERE / "report.md")
    args = parser.parse_args(argv)
    plan = Plan.quick() if args.quick else Plan()
    nox = shlex.split(os.environ.get("BENCH_NOX", f"{sys.executable} -m nox"))

    if args.suites_only:
        before, _, after = args.output.read_text().split(SUITES_MARK)
        args.output.write_text(before + time_suites(nox) + after)
        say(f"updated the test timings in {args.output}")
        return 0

    started = time.perf_counter()
    report = Report(
        date=datetime.date.today().isoformat(),
        command=shlex.join(
            ["nox", "-s", "bench", *(["--"] if args.quick or args.suites else [])]
            + (["--quick"] if args.quick else [])
            + (["--suites"] if args.suites else [])
        ),
        machine=machine(),
        results={},
    )
    report.claim_check_seconds = asyncio.run(claim_check_alone())
    report.sdk_client_seconds = new_sdk_client_seconds()
    with contextlib.ExitStack() as stack:
        servers = {f: stack.enter_context(running(f)) for f in args.frameworks}
        report.results = asyncio.run(measure(servers, plan))
    report.devcore = devcore_benchmark(args.quick)
    report.suites = time_suites(nox) if args.suites else previous_suites(args.output)
    report.machine.load_after = os.getloadavg()
    report.seconds = time.perf_counter() - started
    args.output.write_text(render(report, (HERE / "findings.md").read_text()))
    say(f"wrote {args.output}")
    for error in report.errors():
        say(f"error: {error}")
    return 1 if report.errors() else 0


if __name__ == "__main__":
    sys.exit(main())
