"""SuperTokens' guide "Setting up the 2nd factor", written once for every example.

The guide, step by step:

1. ``core.recipes``: the recipe list, with the overrides of the later steps wired in;
2. ``core.phone_link``: saving the phone, as a link in UserMetadata;
3. ``core.second_factor``: the claim, and keeping the session when the code is entered;
4. ``core.phone_check``: codes go to the enrolled phone only;
5. ``core.session_payload``: the phone in the session (and all else in its payload).

Beside them: ``core.settings`` (the environment variables), ``core.sms`` and
``core.outbox`` (where the codes go), ``core.responses`` (the examples' routes). What
this project adds to the guide is in ``core.additions``, each addition one line of
``core.recipes.recipe_list``.

An example reads ``Settings.from_env()``, passes ``recipe_list(settings)`` to ``init``
and answers its two routes with ``me`` and ``health`` (and the framework's own errors
with ``problem``, where it would answer them with HTML).
"""

from core.recipes import recipe_list
from core.responses import health, me, problem
from core.second_factor import SecondFactorClaim
from core.settings import Settings

__all__ = ["SecondFactorClaim", "Settings", "health", "me", "problem", "recipe_list"]
