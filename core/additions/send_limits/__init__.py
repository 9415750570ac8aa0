"""An addition: how many codes and password reset emails may be sent (``sms`` and
``reset_email`` say which limits, and why), counted across the app's worker processes
in the app's state file (``sqlite_store``), or across its hosts in Redis
(``redis_store``), by one mechanism (``throttle``).

A refused request sends nothing and is answered ``GENERAL_ERROR`` with the wait, in
words and as ``retryAfterSeconds``.
"""

from __future__ import annotations

from functools import partial

from supertokens_python.supertokens import RecipeInit

from core.additions import overrides, with_layer
from core.additions.send_limits.reset_email import limit_reset_emails, reset_email_sends
from core.additions.send_limits.settings import SendLimitSettings
from core.additions.send_limits.sms import limit_sms_sends, sms_sends
from core.additions.send_limits.sqlite_store import SqliteStore
from core.additions.send_limits.throttle import SendStore, SendThrottle
from core.settings import Settings


def added(recipes: list[RecipeInit], settings: Settings) -> list[RecipeInit]:
    limits = settings.read(SendLimitSettings)
    store = send_store(settings)
    codes = SendThrottle(sms_sends(limits), store)
    reset_emails = SendThrottle(reset_email_sends(limits), store)
    return with_layer(
        recipes,
        {
            "passwordless": overrides(
                apis=partial(limit_sms_sends, codes, limits.trusted_proxy_hops)
            ),
            "emailpassword": overrides(apis=partial(limit_reset_emails, reset_emails)),
        },
    )


def send_store(settings: Settings) -> SendStore:
    """Redis if the app's hosts share one (``REDIS_URL``), else the state file, which
    is shared only by the processes of one host."""
    if settings.redis_url:
        from core.additions.send_limits.redis_store import RedisStore

        return RedisStore(settings.redis_url)
    return SqliteStore(settings.state_db)
