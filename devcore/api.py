"""What a CDI handler sees: the parsed request (``Call``) and how it declares its route.

Input parsing lives here so that every endpoint words bad input the way the real core
does ("Invalid Json Input", "Field name 'x' is invalid in JSON input", ...).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import (
    BadRequest,
    Forbidden,
    TenantNotFound,
    invalid_field,
    missing_query_param,
)

if TYPE_CHECKING:
    from .app import Core

JsonObject = dict[str, Any]
PUBLIC_TENANT = "public"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json_object(raw: bytes) -> JsonObject:
    """Decode a request body that must be one JSON object.

    Also refused: NaN/Infinity (not JSON) and strings with unpaired surrogates
    (``"\\ud800"``), which could be neither stored nor sent back as UTF-8.
    """
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        raise BadRequest("Invalid Json Input") from None
    if not isinstance(value, dict):
        raise BadRequest("Invalid Json Input")
    return value


@dataclass
class Call:
    """One request to a CDI endpoint."""

    core: Core
    method: str
    tenant_id: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    raw_body: bytes
    _body: JsonObject | None = field(default=None, repr=False)

    # -- tenant ---------------------------------------------------------------------------

    def tenant(self) -> str:
        """The tenant of a tenant-specific API; only ``public`` exists in devcore."""
        if self.tenant_id != PUBLIC_TENANT:
            raise TenantNotFound(self.tenant_id)
        return self.tenant_id

    def app_wide(self) -> None:
        """App-wide APIs may only be called through the public tenant (CDI >= 5.0)."""
        if self.tenant_id != PUBLIC_TENANT:
            raise Forbidden("Only public tenantId can call this app specific API")

    # -- body -----------------------------------------------------------------------------

    def body(self) -> JsonObject:
        if self._body is None:
            self._body = parse_json_object(self.raw_body)
        return self._body

    def has(self, name: str) -> bool:
        return name in self.body()

    def string(self, name: str) -> str:
        """A required string field."""
        value = self.body().get(name)
        if not isinstance(value, str):
            raise invalid_field(name)
        return value

    def optional_string(self, name: str, *, null_allowed: bool = False) -> str | None:
        """A string field that may be absent (and, if ``null_allowed``, JSON null)."""
        body = self.body()
        if name not in body or (null_allowed and body[name] is None):
            return None
        return self.string(name)

    def boolean(self, name: str) -> bool:
        value = self.body().get(name)
        if not isinstance(value, bool):
            raise invalid_field(name)
        return value

    def optional_boolean(self, name: str) -> bool | None:
        return self.boolean(name) if name in self.body() else None

    def json_object(self, name: str) -> JsonObject:
        value = self.body().get(name)
        if not isinstance(value, dict):
            raise invalid_field(name)
        return value

    def optional_json_object(self, name: str) -> JsonObject | None:
        return self.json_object(name) if name in self.body() else None

    def optional_string_list(self, name: str) -> list[str] | None:
        body = self.body()
        if name not in body:
            return None
        value = body[name]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid_field(name)
        return value

    # -- query ----------------------------------------------------------------------------

    def param(self, name: str) -> str:
        value = self.query.get(name)
        if value is None:
            raise missing_query_param(name)
        return value

    def optional_param(self, name: str) -> str | None:
        return self.query.get(name)

    def optional_int_param(self, name: str) -> int | None:
        value = self.query.get(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise BadRequest(
                f"Field name '{name}' must be an int in the GET request"
            ) from None


# A handler answers with a JSON object, or with text (only /hello does).
Handler = Callable[[Call], Awaitable[JsonObject | str]]


@dataclass(frozen=True)
class Route:
    """One CDI endpoint: method, path (without tenant prefix) and handler."""

    method: str
    path: str
    handler: Handler
    # /hello and the public JWKS are served without an API key, as by the real core.
    needs_api_key: bool = True
    # /hello, /apiversion and the public JWKS ignore the cdi-version header.
    versioned: bool = True
    # Recipes sharing a path (PUT /recipe/user) are told apart by the rId header.
    rid: str | None = None
