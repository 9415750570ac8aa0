"""The send throttle itself: kinds of sends kept apart in one store, and safe SQL names."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.reset_email_throttle import ResetEmailThrottle
from core.send_throttle import Limit, Reserved, SendThrottle, Throttled
from core.settings import ResetEmailLimits, SmsLimits
from core.sms_throttle import SmsThrottle


def test_codes_and_emails_share_one_store_and_count_apart(tmp_path: Path) -> None:
    store = str(tmp_path / "throttle.sqlite3")
    sms = SmsThrottle(SmsLimits(cooldown_seconds=60, store=store))
    emails = ResetEmailThrottle(ResetEmailLimits(cooldown_seconds=60, store=store))

    async def sends() -> list[Reserved | Throttled]:
        return [
            await sms.reserve("s1", "u1", "ada@example.com"),
            await emails.reserve("ada@example.com"),
            await emails.reserve("ada@example.com"),
            await sms.reserve("s1", "u1", "ada@example.com"),
        ]

    first_code, first_email, second_email, second_code = asyncio.run(sends())

    assert isinstance(first_code, Reserved) and isinstance(first_email, Reserved)
    assert (
        isinstance(second_email, Throttled)
        and second_email.what == "password reset emails"
    )
    assert isinstance(second_code, Throttled) and second_code.what == "codes"


@pytest.mark.parametrize(
    ("table", "per"),
    [("sends; DROP TABLE users", ("address",)), ("sends", ("address = ''",))],
)
def test_table_and_column_names_must_be_plain_names(
    table: str, per: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match="not SQL names"):
        SendThrottle("unused.sqlite3", table, [Limit.cooldown(per, 60)], "things")
