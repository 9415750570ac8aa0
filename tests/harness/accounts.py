"""Unique first-factor credentials, so tests never collide (even on a shared real core)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    email: str
    password: str


def new_account() -> Account:
    return Account(
        f"user-{secrets.token_hex(6)}@example.com", f"pw-{secrets.token_hex(8)}1"
    )
