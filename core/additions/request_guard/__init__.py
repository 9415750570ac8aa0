"""An addition: one guard in front of every API the SDK serves, on every framework.

Bad input must get a clear 4xx, never a 500, and an outage of the core a 503 the
frontend can retry, not a framework's HTML error page. The guard sits on each recipe's
``handle_api_request``: the SDK's own dispatch point, which every framework integration
reaches through ``Supertokens.middleware`` with a framework-neutral ``BaseRequest``.
That is the narrowest place that knows which API is called (recipe id and API id, hence
which body it expects) and that runs before the API's handler first calls
``request.json()``. Lower, in ``BaseRequest.json()``, the API is unknown and there is
one class per framework; higher, in the API overrides, the handler has already indexed
into the body and crashed. Refusals are ordinary responses from the SDK's response
object, so all three frameworks send them alike.

Every recipe is guarded once ``init`` has made them all: those in the list and those the
SDK adds by itself (jwt, openid, multitenancy, oauth2provider). ``guard`` says what a
request is refused for.
"""

from __future__ import annotations

from dataclasses import dataclass

from supertokens_python.plugins import OverrideMap
from supertokens_python.post_init_callbacks import PostSTInitCallbacks
from supertokens_python.recipe_module import RecipeModule
from supertokens_python.supertokens import AppInfo, RecipeInit, Supertokens

from core.additions.request_guard.guard import guard
from core.settings import Settings, setting


@dataclass(frozen=True)
class RequestGuardSettings:
    max_request_body_bytes: int = setting(
        "MAX_REQUEST_BODY_BYTES",
        65536,
        "The largest body a SuperTokens API accepts; a larger one is answered 413. The"
        " interface's requests are under 2 KB; 64 KiB leaves room for OAuth tokens.",
    )


def added(recipes: list[RecipeInit], settings: Settings) -> list[RecipeInit]:
    limit = settings.read(RequestGuardSettings).max_request_body_bytes
    first, *rest = recipes

    def build_first(app_info: AppInfo, plugins: list[OverrideMap]) -> RecipeModule:
        # Run by init, which then calls back once every recipe exists.
        PostSTInitCallbacks.add_post_init_callback(lambda: guard_every_recipe(limit))
        return first(app_info, plugins)

    return [build_first, *rest]


def guard_every_recipe(max_body_bytes: int) -> None:
    for recipe in Supertokens.get_instance().recipe_modules:
        guard(recipe, max_body_bytes)
