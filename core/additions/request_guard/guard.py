"""What the guard refuses, in order, before the SDK reads a request:

* 404 if the path names a tenant this app does not have (``/auth/xyz/signup``);
* 400 if the ``fdi-version`` header is not a list of versions;
* 400 if it declares its body's length and streams it too (``Content-Length`` and
  ``Transfer-Encoding``): the server could read more than it checked;
* 413 if it declares a body larger than ``max_body_bytes``, before the SDK reads it;
* 411 if it streams a body without declaring its length (it could not be bounded first);
* 415 if the API reads JSON and the body is not sent as ``application/json`` (this also
  stops cross-site ``text/plain`` form posts, which need no CORS preflight);
* 400 if the JSON is not an object, holds broken Unicode, or a field has the wrong type
  (``bodies``): checked on the very object the SDK's handler will read.

Malformed JSON reaches the handler as ``{}`` (each framework's ``json()`` says so), and
the SDK answers that with its own 400 or ``FIELD_ERROR``. While the API runs, an outage
(``core.additions.outage``, a core that answers 5xx included) becomes 503
``{"message": ...}``; anything else is a bug, logged with its traceback and answered 500
``{"message": ...}``: JSON on every framework, never its HTML page or a stack trace.

Uvicorn and werkzeug read a body only when the app asks for it, so a refused one is
never read. Django's ASGI handler reads every body (to a temporary file past 2.5 MB)
before any middleware runs: the answer is the same, but in production a body limit in
the reverse proxy (nginx's ``client_max_body_size``) is what spares the disk.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from supertokens_python.exceptions import GeneralError, SuperTokensError
from supertokens_python.framework import BaseRequest, BaseResponse
from supertokens_python.normalised_url_path import NormalisedURLPath
from supertokens_python.recipe.multitenancy.constants import DEFAULT_TENANT_ID
from supertokens_python.recipe_module import RecipeModule
from supertokens_python.utils import send_non_200_response_with_message

from core.additions.outage import UNAVAILABLE_MESSAGE, is_outage
from core.additions.request_guard.bodies import body_problem, reads_json_body

log = logging.getLogger(__name__)

INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Please try again later."


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


GUARDED = "_guarded_by_core"


def guard(recipe: RecipeModule, max_body_bytes: int) -> None:
    """Put ``recipe``'s APIs behind the guard (once, however often it is asked)."""
    if getattr(recipe, GUARDED, False):
        return
    setattr(recipe, GUARDED, True)
    handle_unguarded = recipe.handle_api_request

    async def handle_api_request(
        request_id: str,
        tenant_id: str,
        request: BaseRequest,
        path: NormalisedURLPath,
        method: str,
        response: BaseResponse,
        user_context: dict[str, Any],
    ) -> BaseResponse | None:
        try:
            await check_request(
                recipe.recipe_id, request_id, request, max_body_bytes, tenant_id
            )
        except Refusal as refusal:
            return send_non_200_response_with_message(
                refusal.message, refusal.status, response
            )
        try:
            return await handle_unguarded(
                request_id, tenant_id, request, path, method, response, user_context
            )
        except SuperTokensError as error:
            if not isinstance(error, GeneralError):
                raise  # the SDK's own answers: 400, 401, 403 and the like
            return failed(error, f"{method} {request_id}", response)
        except Exception as error:
            return failed(error, f"{method} {request_id}", response)

    recipe.handle_api_request = handle_api_request


def failed(error: Exception, api: str, response: BaseResponse) -> BaseResponse:
    """503 for an outage, else 500: as JSON either way, never the framework's page."""
    if is_outage(error):
        log.warning("answering 503 to %s: %s", api, error)
        return send_non_200_response_with_message(UNAVAILABLE_MESSAGE, 503, response)
    log.exception("answering 500 to %s", api)
    return send_non_200_response_with_message(INTERNAL_ERROR_MESSAGE, 500, response)


SERVED_TENANTS = (DEFAULT_TENANT_ID,)
"""The tenants this app has: the one every core starts with. An app that adds tenants
adds their ids here."""

FDI_VERSIONS = re.compile(r"\s*\d+(\.\d+)*\s*(,\s*\d+(\.\d+)*\s*)*")


async def check_request(
    recipe_id: str,
    api_id: str,
    request: BaseRequest,
    max_body_bytes: int,
    tenant_id: str = DEFAULT_TENANT_ID,
) -> None:
    if tenant_id not in SERVED_TENANTS:
        raise Refusal(404, f"There is no tenant {tenant_id!r} here")
    fdi_version = request.get_header("fdi-version")
    if fdi_version is not None and not FDI_VERSIONS.fullmatch(fdi_version):
        raise Refusal(400, "fdi-version must be versions such as 1.18, comma-separated")

    declared = request.get_header("content-length")
    streamed = request.get_header("transfer-encoding")
    if declared is not None and streamed is not None:
        # RFC 9112 6.3: which one frames the body is ambiguous, so neither bounds it.
        raise Refusal(400, "Send either Content-Length or Transfer-Encoding, not both")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Refusal(400, "Content-Length must be a number of bytes")
        if int(declared) > max_body_bytes:
            raise Refusal(
                413, f"The request body must not be larger than {max_body_bytes} bytes"
            )
    elif streamed is not None:
        raise Refusal(411, "Send a Content-Length header with the request body")

    if not reads_json_body(recipe_id, api_id):
        return
    if media_type(request.get_header("content-type")) != "application/json":
        raise Refusal(
            415, "Send the request body as JSON, with Content-Type: application/json"
        )
    problem = body_problem(recipe_id, api_id, await request.json())
    if problem is not None:
        raise Refusal(400, problem)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()
