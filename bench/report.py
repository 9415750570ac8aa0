"""The markdown report: every figure side by side, each target stated as met or not."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.flow import STEPS
from bench.measure import CoreCalls, Latencies, LoadRun, percentile
from bench.minimums import (
    METADATA_OR_USER_LOOKUPS,
    MINIMUM,
    USERS_BY_ACCOUNT_INFO,
    beyond_minimum,
    short_of_minimum,
    why_more,
)
from bench.servers import BCRYPT_LOG_ROUNDS

CLAIM_TARGET = 1.05
PROTECTED = "protected request"
STEP_5_CREATE = "create code (phone in token, guide step 5)"


@dataclass
class FrameworkResults:
    round_trips: list[list[CoreCalls]] = field(default_factory=list)
    """Per repetition of the flow, per step."""
    claim: list[Latencies] = field(default_factory=list)
    """Per block of alternating requests."""
    load: dict[int, list[LoadRun]] = field(default_factory=dict)
    """Per number of concurrent users, per repetition."""


@dataclass
class Machine:
    cpus: int
    cpu_model: str
    python: str
    system: str
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass
class Report:
    date: str
    command: str
    machine: Machine
    results: dict[str, FrameworkResults]
    seconds: float = 0.0
    claim_check_seconds: float = 0.0
    """The claim's validator alone, in-process."""
    sdk_client_seconds: float = 0.0
    """Making one ``httpx.AsyncClient``, as the SDK does for every core request."""
    devcore: str = ""
    suites: str = ""

    @property
    def frameworks(self) -> list[str]:
        return list(self.results)

    def errors(self) -> list[str]:
        return [
            f"{framework}, {run.users} users: {error}"
            for framework, result in self.results.items()
            for runs in result.load.values()
            for run in runs
            for error in run.errors
        ]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


# -- 1. round trips -----------------------------------------------------------------------------


def calls_of(result: FrameworkResults, step: str) -> Counter[str]:
    """The calls of one step, from the first repetition (``steady`` says if all agree)."""
    return Counter(result.round_trips[0][STEPS.index(step)])


def steady(result: FrameworkResults) -> bool:
    return all(run == result.round_trips[0] for run in result.round_trips)


def round_trips_section(report: Report) -> str:
    frameworks = report.frameworks
    rows, notes = [], []
    for step in STEPS:
        counts = [calls_of(report.results[f], step) for f in frameworks]
        minimum, why = MINIMUM[step]
        rows.append(
            [
                step,
                *(counts[i].total() for i in range(len(frameworks))),
                minimum.total(),
                why,
            ]
        )
        extra = beyond_minimum(step, counts[0])
        if extra:
            notes.append(
                f"- **{step}** (+{extra.total()}): "
                + "; ".join(
                    f"`{call}` x{n}: {why_more(step, call)}"
                    for call, n in extra.items()
                )
            )
        for framework, calls in zip(frameworks, counts, strict=True):
            if missing := short_of_minimum(step, calls):
                notes.append(
                    f"- **{step}** on {framework} lacks {dict(missing)}: recheck the minimum"
                )
    same = all(
        calls_of(report.results[f], step)
        == calls_of(report.results[frameworks[0]], step)
        for f in frameworks
        for step in STEPS
    )
    repeatable = all(steady(report.results[f]) for f in frameworks)
    reps = len(report.results[frameworks[0]].round_trips)
    return "\n\n".join(
        [
            "## 1. Core round trips per step",
            "Requests the core received during each step of one user's flow, counted by "
            "devcore, after one uncounted flow (the SDK fetches the core's API version and "
            "signing keys once per process; the keys are then cached for 4 hours). "
            f"The flow was counted {reps} times on each framework: the counts "
            + (
                "were the same every time"
                if repeatable
                else "**varied between repetitions**"
            )
            + (
                " and are the same on every framework."
                if same
                else "; **they differ between frameworks** (first repetition shown)."
            ),
            table(["step", *frameworks, "minimum", "what the minimum is"], rows),
            "Calls beyond the minimum, who makes them and why (the same on every framework"
            + ("" if same else " except where noted")
            + "):",
            "\n".join(notes) or "- none",
            "Why the count matters more than the core's speed: supertokens-python 0.31 makes "
            "a new `httpx.AsyncClient` for every core request, and making one (it loads the "
            f"TLS certificate bundle, even for an `http://` core) took "
            f"{ms(report.sdk_client_seconds)} of CPU here, in the app's process. A step's "
            "latency at N=1 (§3) follows its count of core calls.",
        ]
    )


def round_trip_targets(report: Report) -> list[list[str]]:
    protected = max(
        calls_of(report.results[f], step).total()
        for f in report.frameworks
        for step in STEPS
        if step.startswith(PROTECTED) and "after a refresh" not in step
    )
    create = Counter[str]()
    for f in report.frameworks:
        create |= calls_of(report.results[f], STEP_5_CREATE)
    lookups = {call: create[call] for call in METADATA_OR_USER_LOOKUPS}
    ours = lookups[USERS_BY_ACCOUNT_INFO] == sum(lookups.values())
    figure = ", ".join(f"`{call}` x{n}" for call, n in lookups.items())
    return [
        [
            "protected request makes 0 core calls",
            f"{protected} (the first request after a refresh makes 1, by design: see §1)",
            met(protected == 0),
        ],
        [
            "create code after step 5 makes no metadata or user lookups",
            figure,
            met(sum(lookups.values()) == 0)
            + (
                ": core/ makes none; the one left is the SDK's own (see below)"
                if ours and lookups[USERS_BY_ACCOUNT_INFO]
                else ""
            ),
        ],
    ]


# -- 2. the claim --------------------------------------------------------------------------------


@dataclass
class ClaimFigures:
    protected_p50: float
    protected_p99: float
    plain_p50: float
    plain_p99: float
    block_ratios: list[float]
    block_p99_ratios: list[float]

    @property
    def p50_ratio(self) -> float:
        return self.protected_p50 / self.plain_p50

    @property
    def p99_ratio(self) -> float:
        return self.protected_p99 / self.plain_p99


def claim_figures(blocks: list[Latencies]) -> ClaimFigures:
    protected = [s for block in blocks for s in block.protected]
    plain = [s for block in blocks for s in block.session_only]
    return ClaimFigures(
        statistics.median(protected),
        percentile(protected, 99),
        statistics.median(plain),
        percentile(plain, 99),
        [
            statistics.median(b.protected) / statistics.median(b.session_only)
            for b in blocks
        ],
        [percentile(b.protected, 99) / percentile(b.session_only, 99) for b in blocks],
    )


def claim_section(report: Report) -> str:
    rows = []
    for framework, result in report.results.items():
        f = claim_figures(result.claim)
        rows.append(
            [
                framework,
                f"**{f.p50_ratio:.3f}**",
                f"**{f.p99_ratio:.3f}**",
                f"{min(f.block_ratios):.3f}-{max(f.block_ratios):.3f}",
                f"{min(f.block_p99_ratios):.2f}-{max(f.block_p99_ratios):.2f}",
                ms(f.plain_p50),
                ms(f.protected_p50),
                ms(f.plain_p99),
                ms(f.protected_p99),
                met(max(f.p50_ratio, f.p99_ratio) <= CLAIM_TARGET),
            ]
        )
    first = report.results[report.frameworks[0]].claim
    blocks, pairs = len(first), len(first[0].protected)
    return "\n\n".join(
        [
            "## 2. What the claim costs a protected request",
            "`GET /api/me` (session and the `2fa-completed` claim checked) against "
            "`GET /bench/session-only`, a route the benchmark adds to each example in the "
            "same process: the session is checked with no claim validator, and the handler and "
            "answer are the same as `/api/me`'s, so the difference is the claim check alone. "
            f"One request at a time on one completed session, the two routes alternating in "
            f"random order; {blocks} blocks of {pairs} pairs after a warm-up, each block on a "
            f"new session. Target: ratio ≤ {CLAIM_TARGET} at p50 and p99.",
            table(
                [
                    "framework",
                    "ratio p50",
                    "ratio p99",
                    "ratio p50, per block",
                    "ratio p99, per block",
                    "session only p50",
                    "with claim p50",
                    "session only p99",
                    "with claim p99",
                    "target",
                ],
                rows,
            ),
            "The claim is read from the access token's payload, which the SDK has already "
            "verified: no I/O. The core received "
            + ", ".join(
                f"{sum(b.core_calls for b in r.claim)} requests on {f}"
                for f, r in report.results.items()
            )
            + " while these requests were timed. In-process, making the claim's validator and "
            f"running it takes {report.claim_check_seconds * 1e6:.1f} µs, against a p50 of "
            f"{ms(min(claim_figures(r.claim).plain_p50 for r in report.results.values()))} "
            "or more for the request: any ratio away from 1 here is the machine's noise.",
        ]
    )


# -- 3. load -------------------------------------------------------------------------------------


def load_section(report: Report) -> str:
    frameworks = report.frameworks
    levels = sorted(report.results[frameworks[0]].load)
    rows, throughput = [], {}
    for framework in frameworks:
        by_users = report.results[framework].load
        for users in levels:
            runs = by_users[users]
            rates = [run.flows_per_second for run in runs]
            seconds = [t.seconds for run in runs for t in run.timings]
            throughput[framework, users] = statistics.median(rates)
            rows.append(
                [
                    framework,
                    users,
                    f"{throughput[framework, users]:.2f}",
                    f"{throughput[framework, users] / throughput[framework, levels[0]]:.2f}",
                    f"{min(rates):.2f}-{max(rates):.2f}",
                    f"{statistics.median(run.requests_per_second for run in runs):.0f}",
                    ms(statistics.median(seconds)),
                    ms(percentile(seconds, 99)),
                    sum(run.flows for run in runs),
                    sum(len(run.errors) for run in runs),
                ]
            )
    side_by_side = [
        [
            users,
            *(
                f"{throughput[f, users] / throughput[frameworks[0], users]:.2f}"
                for f in frameworks
            ),
        ]
        for users in levels
    ]
    flows_each = {
        u: report.results[frameworks[0]].load[u][0].flows
        + len(report.results[frameworks[0]].load[u][0].errors)
        for u in levels
    }
    reps = {u: len(report.results[frameworks[0]].load[u]) for u in levels}
    per_step = [
        [
            step,
            *(
                ms(
                    statistics.median(
                        t.seconds
                        for run in report.results[f].load[levels[0]]
                        for t in run.timings
                        if t.step == step
                    )
                )
                for f in frameworks
            ),
            *(calls_of(report.results[f], step).total() for f in frameworks[:1]),
        ]
        for step in STEPS
    ]
    return "\n\n".join(
        [
            "## 3. The whole flow under concurrent users",
            f"N users at once, each walking the whole flow (the {len(STEPS)} steps of §1: a new "
            "account, phone and browser each time) again and again; "
            f"repetitions ({', '.join(f'N={u}: {n}' for u, n in reps.items())}) interleaved "
            "across the frameworks, after an uncounted "
            "warm-up. Throughput is flows completed per second (median of the repetitions); "
            "latency is per request, over all repetitions. Any answer a user would see as a "
            "failure counts as an error.",
            table(
                [
                    "framework",
                    "N",
                    "flows/s",
                    "x N=1",
                    "flows/s, range",
                    "requests/s",
                    "request p50",
                    "request p99",
                    "flows",
                    "errors",
                ],
                rows,
            ),
            f"Throughput relative to {frameworks[0]} at the same N:",
            table(["N", *frameworks], side_by_side),
            f"Flows per repetition: {', '.join(f'N={u}: {n}' for u, n in flows_each.items())}.",
            f"Each step's latency with one user (N={levels[0]}), p50, next to its core calls (§1):",
            table(["step", *frameworks, "core calls"], per_step),
        ]
    )


# -- the whole report ------------------------------------------------------------------------------


def targets_section(report: Report) -> str:
    rows = round_trip_targets(report)
    for framework, result in report.results.items():
        f = claim_figures(result.claim)
        rows.append(
            [
                f"claim cost ratio ≤ {CLAIM_TARGET}, {framework}",
                f"p50 {f.p50_ratio:.3f}, p99 {f.p99_ratio:.3f}",
                met(max(f.p50_ratio, f.p99_ratio) <= CLAIM_TARGET),
            ]
        )
    errors = report.errors()
    rows.append(
        [
            "no errors under 1, 10 and 50 concurrent users",
            f"{len(errors)} errors",
            met(not errors),
        ]
    )
    return "\n\n".join(["## Targets", table(["target", "figure", "status"], rows)])


def machine_section(report: Report) -> str:
    m = report.machine
    before = ", ".join(f"{x:.2f}" for x in m.load_before)
    after = ", ".join(f"{x:.2f}" for x in m.load_after)
    return "\n\n".join(
        [
            "## Machine and run",
            table(
                ["", ""],
                [
                    ["command", f"`{report.command}`"],
                    ["date", report.date],
                    ["CPUs", f"{m.cpus} ({m.cpu_model})"],
                    ["Python", m.python],
                    ["system", m.system],
                    ["load average (1, 5, 15 min) before", before],
                    ["load average (1, 5, 15 min) after", after],
                    ["bench run time", f"{report.seconds / 60:.1f} min"],
                ],
            ),
            "Everything runs on this one machine: devcore, the example, and the load client "
            f"(one Python process), so the client takes CPU from the servers. devcore hashes "
            f"passwords at bcrypt cost {BCRYPT_LOG_ROUNDS} (the real core's default is 11), "
            "so that sign-up and sign-in measure the app rather than password hashing; the "
            "SMS cooldown is off (the flow resends at once). A load average above the CPU "
            "count means other work shared the machine: compare the ratios, which are taken "
            "within one run, rather than absolute times.",
            noise(report),
        ]
    )


def noise(report: Report) -> str:
    """How much the same measurement moved between repetitions of this run."""
    spreads = [
        max(rates) / min(rates) - 1
        for result in report.results.values()
        for runs in result.load.values()
        if len(rates := [run.flows_per_second for run in runs]) > 1
    ]
    ratios = [
        r
        for result in report.results.values()
        for r in claim_figures(result.claim).block_ratios
    ]
    return (
        "How noisy: between repetitions, a framework's throughput at one N moved by up to "
        f"{max(spreads, default=0):.0%} (max/min); the claim's p50 ratio per block of "
        f"requests ranged {min(ratios):.3f}-{max(ratios):.3f}."
    )


def render(report: Report, notes: str) -> str:
    parts = [
        "# Benchmarks: what the second factor costs, per framework",
        f"Written by `{report.command}` (`bench/`); absolute times depend on the machine, so "
        "compare ratios. The sections follow issue 5.",
        targets_section(report),
        notes.strip(),
        round_trips_section(report),
        claim_section(report),
        load_section(report),
        report.suites.strip(),
        report.devcore.strip(),
        machine_section(report),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"
