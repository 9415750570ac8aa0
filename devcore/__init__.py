"""devcore: a small local SuperTokens core for development and tests.

It speaks the Core Driver Interface 5.4 that supertokens-python 0.31 uses, for the
session, emailpassword, thirdparty, passwordless, usermetadata and (read-only)
multitenancy recipes, stores everything in SQLite, and starts in well under a second.
It is not a production core: see devcore/README.md.
"""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
