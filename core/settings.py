"""The settings: environment variables, each stated once, with its default and meaning.

A feature's settings are a frozen dataclass beside the feature, each field declared with
``setting``: the variable it is read from, its default and what it is for. ``Settings``
holds the guide's own (which core, where the app and its frontend are) and the
environment it was read from, from which every feature reads its own class with
``settings.read``. Unset and empty variables take the default. The docs' tables of
settings are made from these declarations, so the two cannot disagree.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

from supertokens_python import InputAppInfo, SupertokensConfig

T = TypeVar("T")


def setting(variable: str, default: Any, meaning: str) -> Any:
    """A field read from the environment variable ``variable``."""
    return field(default=default, metadata={"variable": variable, "meaning": meaning})


def from_env(cls: type[T], env: Mapping[str, str]) -> T:
    """``cls``, each of its settings read from ``env`` (unset or empty: the default).

    A whole number must be one (and not negative); true or false must be one of those.
    """
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for declared in fields(cls):  # type: ignore[arg-type]
        variable = declared.metadata.get("variable")
        raw = env.get(variable) if variable else None
        if variable and raw:
            values[declared.name] = _parsed(raw, hints[declared.name], variable)
    return cls(**values)


def _parsed(raw: str, kind: object, variable: str) -> object:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):  # X | None
        [kind] = [
            member for member in typing.get_args(kind) if member is not type(None)
        ]
    if kind is int:
        if not (raw.isascii() and raw.isdigit()):
            raise ValueError(f"{variable} must be a whole number, not {raw!r}")
        return int(raw)
    if kind is bool:
        if raw.lower() not in ("true", "false"):
            raise ValueError(f"{variable} must be true or false, not {raw!r}")
        return raw.lower() == "true"
    return raw


def declared_settings(cls: type) -> list[tuple[str, object, str]]:
    """``(variable, default, meaning)`` of each setting of ``cls``, for the docs."""
    return [
        (f.metadata["variable"], f.default, f.metadata["meaning"])
        for f in fields(cls)
        if "variable" in f.metadata
    ]


@dataclass(frozen=True)
class Settings:
    """The guide's settings: what ``init`` is given."""

    connection_uri: str = setting(
        "SUPERTOKENS_CONNECTION_URI",
        "http://127.0.0.1:3567",
        "The SuperTokens core: devcore by default, or a real one.",
    )
    api_key: str | None = setting(
        "SUPERTOKENS_API_KEY", None, "The core's API key, if it has one."
    )
    api_domain: str = setting(
        "API_DOMAIN", "http://localhost:3001", "Where this backend is reached."
    )
    website_domain: str = setting(
        "WEBSITE_DOMAIN",
        "http://localhost:3000",
        "Where the frontend is served (allowed by CORS).",
    )
    app_name: str = setting(
        "APP_NAME", "Phone 2FA example", "The app's name, as SuperTokens shows it."
    )
    state_db: str = setting(
        "STATE_DB",
        "~/.local/state/supertokens-phone-2fa/state.sqlite3",
        "The SQLite file that every worker process of the app shares: the enrolment"
        " lock, and the send limits' counts. Hosts that do not share a disk each keep"
        " their own.",
    )
    redis_url: str | None = setting(
        "REDIS_URL",
        None,
        "A Redis that every host of the app shares (``redis://host:6379/0``): the"
        " send limits count there instead of in STATE_DB, so that they hold across"
        " hosts. Needs the ``redis`` package.",
    )
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """The environment these were read from, for ``read``."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        return replace(from_env(cls, env), env=dict(env))

    def read(self, cls: type[T]) -> T:
        """A feature's settings (``cls``), from the same environment."""
        return from_env(cls, self.env)

    def app_info(self) -> InputAppInfo:
        return InputAppInfo(
            app_name=self.app_name,
            api_domain=self.api_domain,
            website_domain=self.website_domain,
            api_base_path="/auth",
            website_base_path="/auth",
        )

    def supertokens_config(self) -> SupertokensConfig:
        return SupertokensConfig(
            connection_uri=self.connection_uri, api_key=self.api_key
        )
