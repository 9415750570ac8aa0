"""The three measurements made on each running example: core round trips per step, the
cost of the claim on a protected request, and the whole flow under concurrent users."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field

import httpx
from supertokens_python.types import RecipeUserId

from bench.entrypoints.bench_routes import SESSION_ONLY_ROUTE
from bench.flow import Flow, FlowError, Timing
from bench.servers import Servers
from core.second_factor import SecondFactorClaim, get_global_claim_validators
from tests.harness.examples import PROTECTED_ROUTE
from tests.harness.outbox import Outbox

CoreCalls = dict[str, int]
"""``{"METHOD /path": count}``, as devcore counts the requests it receives."""


async def claim_check_alone(repetitions: int = 20_000) -> float:
    """Seconds the ``2fa-completed`` check takes in-process, on a payload that has it:
    the validator made (as per request) and run, without HTTP or the session."""
    payload = SecondFactorClaim.add_to_payload_({}, True, {})
    started = time.perf_counter()
    for _ in range(repetitions):
        [validator] = get_global_claim_validators(
            "public", "user", RecipeUserId("user"), [], {}
        )
        validator.should_refetch(payload, {})
        result = await validator.validate(payload, {})
    assert result.is_valid
    return (time.perf_counter() - started) / repetitions


def new_sdk_client_seconds(repetitions: int = 30) -> float:
    """What the SDK spends per core request making its HTTP client (it makes one per call)."""
    started = time.perf_counter()
    for _ in range(repetitions):
        httpx.AsyncClient(timeout=30.0)
    return (time.perf_counter() - started) / repetitions


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (1..99), interpolated as ``statistics.quantiles`` does."""
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# -- 1. core round trips ---------------------------------------------------------------------


async def round_trips(
    servers: Servers, outbox: Outbox, repetitions: int
) -> list[list[CoreCalls]]:
    """For each repetition of the flow, the core requests each step made, in step order.

    One flow runs first, uncounted: the SDK fetches the core's API version and signing keys
    once per process, which is not the cost of any step.
    """
    async with Flow(servers.url, outbox, []) as warm_up:
        await warm_up.run()
    runs: list[list[CoreCalls]] = []
    for _ in range(repetitions):
        runs.append([])
        servers.core.reset_request_counts()
        async with Flow(servers.url, outbox, []) as flow:
            await flow.run(between=lambda _step: runs[-1].append(take_counts(servers)))
    return runs


def take_counts(servers: Servers) -> CoreCalls:
    """The core's request counts since the last call, and start counting anew."""
    counts = servers.core.request_counts()
    servers.core.reset_request_counts()
    return counts


# -- 2. the claim's cost -----------------------------------------------------------------------


@dataclass
class Latencies:
    protected: list[float] = field(default_factory=list)
    """``GET /api/me``: session and the ``2fa-completed`` claim checked."""
    session_only: list[float] = field(default_factory=list)
    """The bench route: session checked, no claim; the same handler and answer."""
    core_calls: int = 0
    """Requests the core received while the two routes were timed."""


async def claim_cost(
    servers: Servers, outbox: Outbox, *, pairs: int, warm_up: int
) -> Latencies:
    """Alternate the two routes on one completed session, one request at a time.

    Each pair is sent in a random order, so that drift in the machine's load falls on
    both routes alike.
    """
    latencies = Latencies()
    async with Flow(servers.url, outbox, []) as flow:
        await flow.run()
        servers.core.reset_request_counts()
        for n in range(warm_up + pairs):
            routes = [PROTECTED_ROUTE, SESSION_ONLY_ROUTE]
            random.shuffle(routes)
            for route in routes:
                seconds = await timed_get(flow.http, route)
                if n >= warm_up:
                    kept = (
                        latencies.protected
                        if route == PROTECTED_ROUTE
                        else latencies.session_only
                    )
                    kept.append(seconds)
        latencies.core_calls = sum(servers.core.request_counts().values())
    return latencies


async def timed_get(http: httpx.AsyncClient, path: str) -> float:
    started = time.perf_counter()
    response = await http.get(path)
    seconds = time.perf_counter() - started
    if (
        response.status_code != 200
        or response.json().get("secondFactorCompleted") is not True
    ):
        raise FlowError(
            f"GET {path}: HTTP {response.status_code} {response.text[:200]}"
        )
    return seconds


# -- 3. concurrent users ------------------------------------------------------------------------


@dataclass
class LoadRun:
    users: int
    flows: int
    """Flows completed without an error."""
    seconds: float
    timings: list[Timing]
    errors: list[str]

    @property
    def flows_per_second(self) -> float:
        return self.flows / self.seconds

    @property
    def requests_per_second(self) -> float:
        return len(self.timings) / self.seconds


async def load(
    servers: Servers, outbox: Outbox, *, users: int, flows_per_user: int
) -> LoadRun:
    """``users`` users at once, each walking the flow ``flows_per_user`` times in a row
    (a new account, phone and browser each time)."""
    timings: list[Timing] = []
    errors: list[str] = []

    async def user() -> int:
        done = 0
        for _ in range(flows_per_user):
            try:
                async with Flow(servers.url, outbox, timings) as flow:
                    await flow.run()
                done += 1
            except FlowError as error:
                errors.append(str(error))
        return done

    started = time.perf_counter()
    done = await asyncio.gather(*(user() for _ in range(users)))
    return LoadRun(users, sum(done), time.perf_counter() - started, timings, errors)
