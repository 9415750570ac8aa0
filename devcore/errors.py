"""HTTP errors, answered as the real core answers them: a status code and one line of text.

Handlers raise these; the app turns them into responses. Anything else that escapes a
handler is a devcore bug and becomes a 500 with the exception's text, like the real core.
"""

from __future__ import annotations


class CoreError(Exception):
    """An error answered with a plain-text body."""

    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(CoreError):
    """Malformed input: the real core's BadRequestException (400)."""

    status_code = 400


class InvalidApiKey(CoreError):
    """Missing or wrong ``api-key`` header (401)."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("Invalid API key")


class Forbidden(CoreError):
    """An app-wide API called through a tenant other than ``public`` (403)."""

    status_code = 403


class NotFound(CoreError):
    """An unknown path (404)."""

    status_code = 404

    def __init__(self) -> None:
        super().__init__("Not found")


class MethodNotAllowed(CoreError):
    """A known path called with a method it does not serve (405)."""

    status_code = 405

    def __init__(self) -> None:
        super().__init__("Method not supported")


class TenantNotFound(BadRequest):
    """A tenant other than ``public``: devcore has exactly one tenant."""

    def __init__(self, tenant_id: str, app_id: str = "public") -> None:
        super().__init__(
            "AppId or tenantId not found => Tenant with the following connectionURIDomain, "
            f"appId and tenantId combination not found: (, {app_id}, {tenant_id})"
        )
        self.tenant_id = tenant_id


def invalid_field(name: str) -> BadRequest:
    """The real core's wording for a body field that is missing or of the wrong type."""
    return BadRequest(f"Field name '{name}' is invalid in JSON input")


def missing_query_param(name: str) -> BadRequest:
    """The real core's wording for a required query parameter that is absent."""
    return BadRequest(f"Field name '{name}' is missing in GET request")
