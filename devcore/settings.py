"""Every devcore setting, its default, its command-line flag and its ``DEVCORE_*`` variable.

Read in this one place so the CLI, the test helpers and the README cannot drift apart.
Defaults and units follow the real core's ``config.yaml`` so that numbers copied from
SuperTokens' documentation mean the same thing here.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_API_KEY = re.compile(r"[A-Za-z0-9=-]{20,}")


@dataclass(frozen=True)
class Settings:
    """Configuration of one devcore instance (immutable once started)."""

    host: str = "127.0.0.1"
    port: int = 3567
    api_key: str | None = None
    db: str | None = None
    # Milliseconds, as the real core's ``passwordless_code_lifetime``.
    passwordless_code_lifetime: int = 900_000
    # As the real core's ``passwordless_max_code_input_attempts``.
    passwordless_max_code_input_attempts: int = 5
    # Milliseconds, as the real core's ``password_reset_token_lifetime`` (1 hour).
    password_reset_token_lifetime: int = 3_600_000
    # Seconds, as the real core's ``access_token_validity``.
    access_token_validity: int = 3600
    # Minutes, as the real core's ``refresh_token_validity`` (100 days).
    refresh_token_validity: int = 144_000
    # As the real core's ``bcrypt_log_rounds``.
    bcrypt_log_rounds: int = 11

    @property
    def access_token_validity_ms(self) -> int:
        return self.access_token_validity * 1000

    @property
    def refresh_token_validity_ms(self) -> int:
        return self.refresh_token_validity * 60_000

    def validate(self) -> None:
        """Raise ValueError for a setting the core cannot run with."""
        if not 0 <= self.port <= 65535:
            raise ValueError("port must be between 0 and 65535")
        if self.api_key is not None and not _API_KEY.fullmatch(self.api_key):
            # The same rule as the real core's api_keys setting.
            raise ValueError(
                "api key must be at least 20 characters of letters, digits, '=' and '-'"
            )
        for name in (
            "passwordless_code_lifetime",
            "passwordless_max_code_input_attempts",
            "password_reset_token_lifetime",
            "access_token_validity",
            "refresh_token_validity",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name.replace('_', '-')} must be greater than 0")
        if not 4 <= self.bcrypt_log_rounds <= 31:
            raise ValueError("bcrypt-log-rounds must be between 4 and 31")
        if self.host not in LOOPBACK_HOSTS and self.api_key is None:
            raise ValueError(
                f"refusing to listen on non-loopback host {self.host!r} without an API key; "
                "pass --api-key (or DEVCORE_API_KEY) or bind to 127.0.0.1"
            )


@dataclass(frozen=True)
class _Option:
    field: str
    flag: str
    env: str
    kind: type
    help: str


OPTIONS: tuple[_Option, ...] = (
    _Option(
        "host", "--host", "DEVCORE_HOST", str, "interface to bind (default 127.0.0.1)"
    ),
    _Option(
        "port",
        "--port",
        "DEVCORE_PORT",
        int,
        "port (default 3567; 0 picks a free port)",
    ),
    _Option(
        "api_key",
        "--api-key",
        "DEVCORE_API_KEY",
        str,
        "require this key in the api-key header",
    ),
    _Option(
        "db", "--db", "DEVCORE_DB", str, "SQLite file to persist to (default in-memory)"
    ),
    _Option(
        "passwordless_code_lifetime",
        "--passwordless-code-lifetime",
        "DEVCORE_PASSWORDLESS_CODE_LIFETIME",
        int,
        "passwordless code lifetime in ms (default 900000)",
    ),
    _Option(
        "passwordless_max_code_input_attempts",
        "--passwordless-max-code-input-attempts",
        "DEVCORE_PASSWORDLESS_MAX_CODE_INPUT_ATTEMPTS",
        int,
        "wrong codes allowed before the flow must restart (default 5)",
    ),
    _Option(
        "password_reset_token_lifetime",
        "--password-reset-token-lifetime",
        "DEVCORE_PASSWORD_RESET_TOKEN_LIFETIME",
        int,
        "password reset token lifetime in ms (default 3600000)",
    ),
    _Option(
        "access_token_validity",
        "--access-token-validity",
        "DEVCORE_ACCESS_TOKEN_VALIDITY",
        int,
        "access token lifetime in seconds (default 3600)",
    ),
    _Option(
        "refresh_token_validity",
        "--refresh-token-validity",
        "DEVCORE_REFRESH_TOKEN_VALIDITY",
        int,
        "refresh token lifetime in minutes (default 144000)",
    ),
    _Option(
        "bcrypt_log_rounds",
        "--bcrypt-log-rounds",
        "DEVCORE_BCRYPT_LOG_ROUNDS",
        int,
        "bcrypt cost factor (default 11)",
    ),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare one flag per setting; unset flags stay None so env vars can fill them."""
    for opt in OPTIONS:
        parser.add_argument(
            opt.flag, dest=opt.field, type=opt.kind, default=None, help=opt.help
        )


def resolve(
    args: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Build Settings: explicit arguments win over DEVCORE_* variables, which win over defaults.

    Raises ValueError with a readable message for a malformed value.
    """
    args = args or {}
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for opt in OPTIONS:
        value = args.get(opt.field)
        if value is None and env.get(opt.env, "") != "":
            raw = env[opt.env]
            try:
                value = opt.kind(raw)
            except ValueError:
                raise ValueError(
                    f"{opt.env}={raw!r} is not a valid {opt.kind.__name__}"
                ) from None
        if value is not None:
            values[opt.field] = value
    return dataclasses.replace(Settings(), **values)


def parse_cli(argv: Sequence[str] | None = None) -> Settings:
    """Parse command-line flags (falling back to env vars); exits with status 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="python -m devcore",
        description="A local SuperTokens core for development and tests (CDI 5.4).",
    )
    add_arguments(parser)
    namespace = parser.parse_args(argv)
    try:
        settings = resolve(vars(namespace))
        settings.validate()
    except ValueError as e:
        parser.error(str(e))
    return settings
