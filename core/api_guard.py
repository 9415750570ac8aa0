"""One guard in front of every SuperTokens API our recipes expose, on every framework.

Bad input must get a clear 4xx, never a 500, and a core outage a 503 the frontend can
retry, not a framework's HTML error page. The guard sits on each recipe's
``handle_api_request``: the SDK's own dispatch point, which every framework integration
reaches through ``Supertokens.middleware`` with a framework-neutral ``BaseRequest``.
That is the narrowest place that knows which API is called (recipe id and API id, hence
which body it expects) and that runs before the API's handler first calls
``request.json()``. Lower, in ``BaseRequest.json()``, the API is unknown and there is one
class per framework; higher, in the passwordless and emailpassword API overrides, the
handler has already indexed into the body and crashed. Refusals are ordinary responses
from the SDK's response object, so all three frameworks send them alike.

In order, a request is refused with:

* 413 if it declares a body larger than ``max_body_bytes``, before the SDK reads it;
* 411 if it streams a body without declaring its length (it could not be bounded first);
* 415 if the API reads JSON and the body is not sent as ``application/json`` (this also
  stops cross-site ``text/plain`` form posts, which need no CORS preflight);
* 400 if the JSON is not an object, holds broken Unicode, or a field has the wrong type
  (``core.fdi_bodies``): checked on the very object the SDK's handler will read.

Malformed JSON reaches the handler as ``{}`` (each framework's ``json()`` says so), and
the SDK answers that with its own 400 or ``FIELD_ERROR``. While the API runs, an outage
of the core (``core.outage``) becomes 503 ``{"message": ...}``; anything else is a bug
and is left to fail loudly. The SDK also mounts recipes of its own (jwt, openid,
multitenancy, oauth2provider); they are not ours to configure and are not wrapped.

Uvicorn and werkzeug read a body only when the app asks for it, so a refused one is
never read. Django's ASGI handler reads every body (to a temporary file past 2.5 MB)
before any middleware runs: the answer is the same, but in production a body limit in
the reverse proxy (nginx's ``client_max_body_size``) is what spares the disk.
"""

from __future__ import annotations

import logging
from typing import Any

from supertokens_python.exceptions import SuperTokensError
from supertokens_python.framework import BaseRequest, BaseResponse
from supertokens_python.normalised_url_path import NormalisedURLPath
from supertokens_python.plugins import OverrideMap
from supertokens_python.recipe_module import RecipeModule
from supertokens_python.supertokens import AppInfo, RecipeInit
from supertokens_python.utils import send_non_200_response_with_message

from core.fdi_bodies import body_problem, reads_json_body
from core.outage import UNAVAILABLE_MESSAGE, is_outage

log = logging.getLogger(__name__)


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def guarded(init: RecipeInit, max_body_bytes: int) -> RecipeInit:
    """``init`` as it is, except that the recipe's APIs are behind the guard."""

    def build(app_info: AppInfo, plugins: list[OverrideMap]) -> RecipeModule:
        recipe = init(app_info, plugins)
        guard(recipe, max_body_bytes)
        return recipe

    return build


def guard(recipe: RecipeModule, max_body_bytes: int) -> None:
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
            await check_request(recipe.recipe_id, request_id, request, max_body_bytes)
        except Refusal as refusal:
            return send_non_200_response_with_message(
                refusal.message, refusal.status, response
            )
        try:
            return await handle_unguarded(
                request_id, tenant_id, request, path, method, response, user_context
            )
        except SuperTokensError:
            raise  # the SDK's own answers: 400, 401, 403 and the like
        except Exception as error:
            if not is_outage(error):
                raise
            log.warning("answering 503 to %s %s: %s", method, request_id, error)
            return send_non_200_response_with_message(
                UNAVAILABLE_MESSAGE, 503, response
            )

    recipe.handle_api_request = handle_api_request  # type: ignore[method-assign]


async def check_request(
    recipe_id: str, api_id: str, request: BaseRequest, max_body_bytes: int
) -> None:
    declared = request.get_header("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Refusal(400, "Content-Length must be a number of bytes")
        if int(declared) > max_body_bytes:
            raise Refusal(
                413, f"The request body must not be larger than {max_body_bytes} bytes"
            )
    elif request.get_header("transfer-encoding") is not None:
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
