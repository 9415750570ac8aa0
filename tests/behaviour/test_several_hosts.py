"""The send limits on more than one host: two example processes on their own ports and
their own disks (STATE_DB, outbox), as two hosts behind a load balancer, sharing only
the core and, with ``REDIS_URL``, one Redis.

A burst of codes to one phone, asked for at once through both hosts, gets exactly the
phone's hourly cap sent with Redis, and twice the cap without it (each host counting
alone: the reason the Redis store exists). Two codes for two phones entered at once on
the two hosts enrol exactly one, the enrolment lock being in Redis too. Redis stopped
mid-run is an outage: 503 with a JSON message, nothing sent; once it is back, codes go
out again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.behaviour.conftest import CoreUnderTest
from tests.behaviour.test_core_outage import assert_unavailable
from tests.behaviour.test_enrolled_phone_is_final import (
    assert_refused_and_held,
    enrolled_phone,
    enter_both_at_once,
)
from tests.harness.accounts import new_account
from tests.harness.core_api import CoreApi
from tests.harness.examples import RunningExample, running_example
from tests.harness.flows import sign_up
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone
from tests.harness.redis_server import RunningRedis

PHONE_CAP = 3
ASKING = 8  # users asking at once, half on each host
RACES = 5


@contextlib.contextmanager
def two_hosts(
    framework: str,
    core: CoreUnderTest,
    suite_env: dict[str, str],
    disks: Path,
    redis_url: str | None,
) -> Iterator[list[tuple[RunningExample, Outbox]]]:
    with contextlib.ExitStack() as stack:
        hosts = []
        for host in ("a", "b"):
            disk = disks / host
            disk.mkdir()
            outbox = Outbox(disk / "otp-outbox.jsonl")
            env = {
                **suite_env,
                "STATE_DB": str(disk / "state.sqlite3"),
                "SMS_COOLDOWN_SECONDS": "0",
                "SMS_MAX_PER_PHONE_PER_HOUR": str(PHONE_CAP),
                **({"REDIS_URL": redis_url} if redis_url else {}),
            }
            example = stack.enter_context(
                running_example(
                    framework,
                    core_uri=core.uri,
                    outbox=outbox.path,
                    api_key=core.api_key,
                    extra_env=env,
                )
            )
            hosts.append((example, outbox))
        yield hosts


def burst_to_one_phone(
    hosts: list[tuple[RunningExample, Outbox]],
    new_frontend: Callable[..., Frontend],
    phone: str,
) -> list[httpx.Response]:
    """``ASKING`` users signed up on alternate hosts ask for a code to ``phone`` at once."""
    browsers = [new_frontend(to=hosts[n % 2][0]) for n in range(ASKING)]
    for browser in browsers:
        sign_up(browser, new_account())
    with ThreadPoolExecutor(ASKING) as pool:
        return list(pool.map(lambda browser: browser.send_code(phone), browsers))


def sent_to(hosts: list[tuple[RunningExample, Outbox]], phone: str) -> int:
    return sum(len(outbox.sent_to(phone)) for _, outbox in hosts)


@pytest.mark.hardening("Attack", "SMS pumping across hosts")
def test_with_redis_two_hosts_send_no_more_than_the_limit_between_them(
    framework: str,
    core: CoreUnderTest,
    suite_env: dict[str, str],
    redis_server: RunningRedis,
    new_frontend: Callable[..., Frontend],
    tmp_path: Path,
) -> None:
    redis_server.flush()
    phone = new_phone()
    with two_hosts(framework, core, suite_env, tmp_path, redis_server.url) as hosts:
        answers = burst_to_one_phone(hosts, new_frontend, phone)

        statuses = [answer.json()["status"] for answer in answers]
        assert statuses.count("OK") == PHONE_CAP
        refused = [a.json() for a in answers if a.json()["status"] != "OK"]
        assert all(r["status"] == "GENERAL_ERROR" for r in refused)
        assert all(r["retryAfterSeconds"] > 0 for r in refused)
        assert sent_to(hosts, phone) == PHONE_CAP


def test_without_redis_each_host_counts_alone(
    framework: str,
    core: CoreUnderTest,
    suite_env: dict[str, str],
    new_frontend: Callable[..., Frontend],
    tmp_path: Path,
) -> None:
    phone = new_phone()
    with two_hosts(framework, core, suite_env, tmp_path, None) as hosts:
        burst_to_one_phone(hosts, new_frontend, phone)

        assert sent_to(hosts, phone) == 2 * PHONE_CAP


@pytest.mark.hardening("Attack", "Enrolling at once on two hosts")
def test_with_redis_two_codes_entered_at_once_on_two_hosts_enrol_exactly_one(
    framework: str,
    core: CoreUnderTest,
    suite_env: dict[str, str],
    redis_server: RunningRedis,
    new_frontend: Callable[..., Frontend],
    core_api: CoreApi,
    tmp_path: Path,
) -> None:
    redis_server.flush()
    with two_hosts(framework, core, suite_env, tmp_path, redis_server.url) as hosts:
        for _ in range(RACES):
            user_id, results = enter_both_at_once(new_frontend, hosts[0][1], hosts)

            winners = [r for r in results if r[2].json()["status"] == "OK"]
            losers = [r for r in results if r[2].json()["status"] != "OK"]
            assert len(winners) == 1, [answer.json() for _, _, answer in results]
            [(_, winners_phone, _)], [(loser, _, refused)] = winners, losers
            assert enrolled_phone(core_api, user_id) == winners_phone
            assert_refused_and_held(loser, refused)


@pytest.mark.hardening("Faults", "Send limits' Redis down")
def test_redis_stopped_mid_run_is_a_503_that_sends_nothing_until_it_is_back(
    framework: str,
    core: CoreUnderTest,
    suite_env: dict[str, str],
    redis_server: RunningRedis,
    new_frontend: Callable[..., Frontend],
    tmp_path: Path,
) -> None:
    redis_server.flush()
    with two_hosts(framework, core, suite_env, tmp_path, redis_server.url) as hosts:
        browsers = [new_frontend(to=example) for example, _ in hosts]
        for browser in browsers:
            sign_up(browser, new_account())
        asking = [(browser, new_phone()) for browser in browsers]
        phones = [phone for _, phone in asking]
        assert [b.send_code(p).json()["status"] for b, p in asking] == ["OK", "OK"]

        redis_server.stop()
        try:
            while_down = [b.send_code(p) for b, p in asking]
        finally:
            redis_server.start()
        back = [b.send_code(p).json()["status"] for b, p in asking]

    for host, answer in zip("ab", while_down, strict=True):
        assert_unavailable(f"create code on host {host}", answer)
    assert back == ["OK", "OK"]
    assert [sent_to(hosts, p) for p in phones] == [2, 2]  # before and after, not during
