"""Reading the local outboxes: what a phone, or a mailbox, would have received."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class JsonLines:
    """A file the examples append one JSON object a line to."""

    path: Path
    _read: list[dict[str, Any]] = field(default_factory=list, init=False, repr=False)
    _offset: int = field(default=0, init=False, repr=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False
    )

    def messages(self) -> list[dict[str, Any]]:
        """Every message sent so far; only lines added since the last call are parsed (many
        threads poll the outbox at once in the load test)."""
        with self._lock:
            if self.path.exists():
                with self.path.open("rb") as f:
                    f.seek(self._offset)
                    added = f.read()
                complete = added[: added.rfind(b"\n") + 1]  # a line being written waits
                self._offset += len(complete)
                self._read.extend(
                    json.loads(line) for line in complete.splitlines() if line.strip()
                )
            return list(self._read)


@dataclass
class Outbox(JsonLines):
    """The SMS outbox (``OTP_OUTBOX``)."""

    def sent_to(self, phone: str) -> list[dict[str, Any]]:
        return [m for m in self.messages() if m["phoneNumber"] == phone]

    def latest_code(self, pre_auth_session_id: str, timeout: float = 5.0) -> str:
        """The newest code sent in this OTP flow (waiting briefly, as SMS are async)."""
        deadline = time.monotonic() + timeout
        while True:
            sent = [
                m
                for m in self.messages()
                if m["preAuthSessionId"] == pre_auth_session_id
            ]
            if sent:
                return str(sent[-1]["userInputCode"])
            if time.monotonic() > deadline:
                raise AssertionError(f"no SMS was sent for flow {pre_auth_session_id}")
            time.sleep(0.02)


@dataclass
class EmailOutbox(JsonLines):
    """The email outbox (``EMAIL_OUTBOX``): password reset links."""

    def sent_to(self, email: str) -> list[dict[str, Any]]:
        return [m for m in self.messages() if m["email"] == email]

    def latest_reset_token(
        self, email: str, since: int = 0, timeout: float = 5.0
    ) -> str:
        """The token of the newest reset link mailed to ``email`` among the messages after
        the first ``since`` (waiting briefly, as the frontend's user would)."""
        deadline = time.monotonic() + timeout
        while True:
            sent = [m for m in self.messages()[since:] if m["email"] == email]
            if sent:
                return reset_token_in(sent[-1]["passwordResetLink"])
            if time.monotonic() > deadline:
                raise AssertionError(f"no password reset email was sent to {email}")
            time.sleep(0.02)


def reset_token_in(link: str) -> str:
    """The token a reset link carries (``.../reset-password?token=...&tenantId=...``), as
    the frontend's reset page reads it."""
    [token] = parse_qs(urlsplit(link).query)["token"]
    return token
