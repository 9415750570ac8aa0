"""Which Chromium the browser tests drive, and how it is started.

Playwright's own browser download is not used: the tests drive the Chromium the machine
has (Debian's ``chromium`` package; ``.ci/run`` installs it), or the one ``CHROMIUM``
names.
"""

from __future__ import annotations

import os
import shutil

NAMES = ("chromium", "chromium-browser")

FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Nothing but the pages under test: no update checks, sync or other background
    # requests, which a machine without a network would refuse many times a second.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Playwright starts every browser with a new, empty profile (``--user-data-dir`` of a
fresh temporary folder it removes at the end), so no run sees another's state."""


def chromium_executable() -> str | None:
    """``CHROMIUM`` if set, else the first of ``NAMES`` on ``PATH``; None if none is found."""
    if named := os.environ.get("CHROMIUM"):
        return shutil.which(named)  # a path or a name; None unless it can be run
    return next((found for name in NAMES if (found := shutil.which(name))), None)


if __name__ == "__main__":  # prints the path, or nothing (nox -s browser asks)
    print(chromium_executable() or "")
