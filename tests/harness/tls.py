"""One TLS context for every HTTP client the harness makes.

httpx builds a TLS context, loading the whole CA bundle (~25 ms), for each client it
creates; the suite creates hundreds of clients (a frontend per browser, device or
attacker), almost all to plain-http servers. Sharing one keeps verification as it is.
"""

from __future__ import annotations

import ssl
from functools import cache


@cache
def shared_tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()
