"""What only the Redis store has: keys that expire on their own, and an outage (Redis
gone) answered as one, with nothing counted, until Redis is back."""

from __future__ import annotations

import asyncio

import pytest
import redis

from core.additions.send_limits.redis_store import RedisStore
from core.additions.send_limits.throttle import Reserved, StoreUnavailable, Throttled
from tests.harness.redis_server import RunningRedis
from tests.unit.test_sms_throttle import Clock, reserve, sms, throttle


def test_every_key_expires_once_its_newest_send_has_left_the_window(
    redis_server: RunningRedis,
) -> None:
    redis_server.flush()
    t = throttle(RedisStore(redis_server.url), Clock(), cooldown_seconds=30)

    assert isinstance(reserve(t), Reserved)

    client = redis.Redis.from_url(redis_server.url)
    keys = client.keys("send-limits:*")
    ttls = sorted(client.pttl(key) for key in keys)
    assert len(keys) == 5  # the cooldown; the phone's, user's, client's, app's caps
    assert 0 < ttls[0] <= 30_000 and ttls[-1] <= 3_600_000


def test_redis_gone_is_an_outage_and_its_return_ends_it(
    redis_server: RunningRedis,
) -> None:
    redis_server.flush()
    store = RedisStore(redis_server.url)
    t = throttle(store, Clock(), cooldown_seconds=30)
    reserved = asyncio.run(t.reserve(sms(phone="+2")))
    assert isinstance(reserved, Reserved)

    redis_server.stop()
    try:
        with pytest.raises(StoreUnavailable):
            reserve(t)
        with pytest.raises(StoreUnavailable):
            asyncio.run(t.release(reserved))
    finally:
        redis_server.start()

    assert isinstance(reserve(t), Reserved)  # a new server: nothing was counted
    assert isinstance(reserve(t), Throttled)
