"""The send throttle itself: kinds of sends kept apart in one store, safe SQL names."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.additions.send_limits.reset_email import reset_email_sends
from core.additions.send_limits.settings import SendLimitSettings
from core.additions.send_limits.sms import sms_sends
from core.additions.send_limits.sqlite_store import SqliteStore
from core.additions.send_limits.throttle import (
    Limit,
    Reserved,
    SendKind,
    SendThrottle,
    Throttled,
)


def test_codes_and_emails_share_one_store_and_count_apart(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "throttle.sqlite3"))
    limits = SendLimitSettings(sms_cooldown_seconds=60, reset_email_cooldown_seconds=60)
    codes = SendThrottle(sms_sends(limits), store)
    emails = SendThrottle(reset_email_sends(limits), store)
    code = {
        "session_handle": "s1",
        "user_id": "u1",
        "phone": "ada@example.com",
        "client": "203.0.113.1",
        "whole_app": "all",
    }

    async def sends() -> list[Reserved | Throttled]:
        return [
            await codes.reserve(code),
            await emails.reserve({"address": "ada@example.com"}),
            await emails.reserve({"address": "ada@example.com"}),
            await codes.reserve(code),
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
    tmp_path: Path, table: str, per: tuple[str, ...]
) -> None:
    kind = SendKind(table, (Limit.cooldown(per, 60),), "things")
    store = SqliteStore(str(tmp_path / "throttle.sqlite3"))

    with pytest.raises(ValueError, match="not SQL names"):
        store.reserve(kind, dict.fromkeys(per, "x"), 0.0)
