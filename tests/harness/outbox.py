"""Reading the local SMS outbox: what a phone would have received."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Outbox:
    path: Path

    def messages(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open() as f:
            return [json.loads(line) for line in f if line.strip()]

    def sent_to(self, phone: str) -> list[dict[str, Any]]:
        return [m for m in self.messages() if m["phoneNumber"] == phone]

    def latest_code(self, pre_auth_session_id: str, timeout: float = 5.0) -> str:
        """The newest code sent in this OTP flow (waiting briefly, as SMS are async)."""
        deadline = time.monotonic() + timeout
        while True:
            sent = [m for m in self.messages() if m["preAuthSessionId"] == pre_auth_session_id]
            if sent:
                return str(sent[-1]["userInputCode"])
            if time.monotonic() > deadline:
                raise AssertionError(f"no SMS was sent for flow {pre_auth_session_id}")
            time.sleep(0.02)
