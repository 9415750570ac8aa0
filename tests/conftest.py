"""Options shared by every test directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.examples import EXAMPLES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--framework",
        choices=sorted(EXAMPLES),
        default="fastapi",
        help="which example the behavioural suite runs against (default: fastapi)",
    )
    parser.addoption(
        "--record-screenshots",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="the browser tests save the screenshots the docs show into FOLDER",
    )
