"""The sends, counted in Redis: the same limits for every host of the app.

The SQLite store counts on one host's disk, so an app run on several hosts would count
each host alone and every limit would multiply by the number of hosts. This store keeps
one sorted set per limit and counted value (a send's id, scored by its time), and makes
each decision in one Lua script, which Redis runs atomically: forget the sends that left
the limit's window, check every limit, record the send in all of them or in none. A set
expires on its own once its newest send has left the window. All of one kind's sets
share a hash slot (``{sms_sends}``), so the script runs on a Redis Cluster too.

Redis unreachable, or answering an error, is ``StoreUnavailable``: the request guard
answers 503 and nothing is sent. The client reconnects by itself once Redis is back.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Mapping
from typing import cast

import redis

from core.additions.send_limits.throttle import (
    Reserved,
    SendKind,
    StoreUnavailable,
    Throttled,
)

TIMEOUT_SECONDS = 2.0
"""How long a request waits for Redis before it is told to try again (503)."""

# KEYS: a sorted set per limit. ARGV: now, the send's id, then each limit's most and
# seconds. Returns the wait in seconds, as a string ("0": counted).
RESERVE = """
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local most, seconds = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local oldest = "(" .. string.format("%.6f", now - seconds)
  redis.call("ZREMRANGEBYSCORE", key, "-inf", oldest)
  local nth = redis.call("ZREVRANGE", key, most - 1, most - 1, "WITHSCORES")
  if #nth > 0 then
    wait = math.max(wait, tonumber(nth[2]) + seconds - now)
  end
end
if wait > 0 then
  return string.format("%.6f", wait)
end
for i, key in ipairs(KEYS) do
  redis.call("ZADD", key, string.format("%.6f", now), ARGV[2])
  redis.call("PEXPIRE", key, math.ceil(tonumber(ARGV[2 + 2 * i]) * 1000))
end
return "0"
"""


class RedisStore:
    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(
            url,
            socket_timeout=TIMEOUT_SECONDS,
            socket_connect_timeout=TIMEOUT_SECONDS,
        )
        self._reserve = self.client.register_script(RESERVE)

    def reserve(
        self, kind: SendKind, counted: Mapping[str, str], now: float
    ) -> Reserved | Throttled:
        limits = [limit for limit in kind.limits if limit.on]
        keys = [
            f"send-limits:{{{kind.name}}}:{index}:"
            + json.dumps([counted[name] for name in limit.per])
            for index, limit in enumerate(kind.limits)
            if limit.on
        ]
        send_id = secrets.token_hex(12)
        sizes = [str(n) for limit in limits for n in (limit.most, limit.seconds)]
        try:
            wait = float(self._reserve(keys, [repr(now), send_id, *sizes]))
        except redis.RedisError as error:
            raise StoreUnavailable(f"the send limits' Redis: {error}") from error
        if wait > 0:
            return Throttled(max(1, math.ceil(wait)), kind.what)
        return Reserved((send_id, tuple(keys)))

    def release(self, kind: SendKind, reservation: Reserved) -> None:
        send_id, keys = cast(tuple[str, tuple[str, ...]], reservation.send_id)
        try:
            with self.client.pipeline(transaction=True) as pipe:
                for key in keys:
                    pipe.zrem(key, send_id)
                pipe.execute()
        except redis.RedisError as error:
            raise StoreUnavailable(f"the send limits' Redis: {error}") from error
