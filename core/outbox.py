"""Local outboxes: what an SMS or an email would have carried, appended to a file.

The demo and the tests read them; a developer can too. One JSON object per line; appends
are locked, so that every worker process of an app can share one file, and the file is
readable by its owner only, since the lines hold one-time codes and reset links.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from typing import Any


def append_message(path: str, message: dict[str, Any]) -> None:
    """Append ``message`` as one line, stamped with when it was sent (``sentAt``)."""
    append_line(path, json.dumps({**message, "sentAt": datetime.now(UTC).isoformat()}))


def append_line(path: str, line: str) -> None:
    """Append one line atomically with respect to other processes doing the same."""
    data = (line + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, data)
    finally:
        os.close(fd)  # closing releases the lock
