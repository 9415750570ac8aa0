"""The second factor of SuperTokens' guide, written once for every example.

An example imports what is exported here, passes ``settings`` and ``recipe_list`` to
``init``, and answers its two routes with ``me`` and ``health``.
"""

from core.claim import SecondFactorClaim
from core.recipes import recipe_list
from core.responses import health, me
from core.settings import Settings

settings = Settings.from_env()

__all__ = ["SecondFactorClaim", "Settings", "health", "me", "recipe_list", "settings"]
