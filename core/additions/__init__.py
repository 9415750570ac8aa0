"""What this project adds to the guide: each addition one module or sub-package here,
put on the guide's recipes by one line of ``core.recipes.recipe_list``.

* ``request_guard``: bad input answered 4xx and outages 503, never a 500;
* ``send_limits``: how many codes and password reset emails may be sent;
* ``password_reset``: reset emails to an outbox or SMTP, not SuperTokens' service;
* ``sign_in_providers``: Google, GitHub or a company's OpenID Connect provider;
* ``closed_apis``: the SDK's APIs this app does not offer, switched off;
* ``kept_core_client``: one HTTP client for the calls to the core, not one per call.

An addition changes a recipe through the SDK's own layering, ``with_layer``: an override
map (recipe id to overrides of its functions, APIs or config) which the SDK applies
*beneath* the recipe's own override, as it applies a plugin's. The guide's overrides so
run first and see what they always saw; an addition sits between them and the SDK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supertokens_python.plugins import OverrideMap, RecipePluginOverride
from supertokens_python.recipe_module import RecipeModule
from supertokens_python.supertokens import AppInfo, RecipeInit


def with_layer(recipes: list[RecipeInit], layer: OverrideMap) -> list[RecipeInit]:
    """``recipes``, each given ``layer``'s overrides for it (if there are any)."""
    return [_layered(init, layer) for init in recipes]


def _layered(init: RecipeInit, layer: OverrideMap) -> RecipeInit:
    def build(app_info: AppInfo, plugins: list[OverrideMap]) -> RecipeModule:
        return init(app_info, [*plugins, layer])

    return build


def overrides(
    *,
    functions: Callable[[Any], Any] | None = None,
    apis: Callable[[Any], Any] | None = None,
    config: Callable[[Any], Any] | None = None,
) -> RecipePluginOverride:
    """One recipe's entry of an override map."""
    entry = RecipePluginOverride()
    entry.functions, entry.apis, entry.config = functions, apis, config
    return entry
