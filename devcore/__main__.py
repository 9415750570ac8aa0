"""``python -m devcore``: run a local SuperTokens core until Ctrl-C.

Prints exactly one line once it accepts connections::

    devcore listening on http://127.0.0.1:3567 (in-memory)

Test harnesses parse the URL from that line, so its form is part of the interface.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Sequence

from .app import Server, bind_socket, listening_url
from .settings import parse_cli


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_cli(argv)
    try:
        sock = bind_socket(settings.host, settings.port)
    except OSError as e:
        print(
            f"devcore: cannot listen on {settings.host}:{settings.port}: {e}",
            file=sys.stderr,
        )
        return 1
    where = "in-memory" if settings.db is None else f"db {settings.db}"
    server = Server(
        settings,
        on_ready=lambda: print(
            f"devcore listening on {listening_url(sock)} ({where})", flush=True
        ),
    )
    # SIGTERM ends the server as gracefully as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        return 0
    except SystemExit as e:  # uvicorn exits this way when startup fails
        return e.code if isinstance(e.code, int) else 1
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
