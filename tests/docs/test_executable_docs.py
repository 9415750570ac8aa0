"""Every example a reader can copy from the docs runs: doctests in the pages and in core/.

Sybil finds ``>>>`` examples (and ``.. code-block:: python`` blocks) in ``docs/**/*.rst``
and in the docstrings of ``core/``; each document's examples run in order, sharing one
namespace, as a reader typing them would.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.rest import DocTestParser, PythonCodeBlockParser

from tests.docs.shown_tests import shown_tests
from tests.harness.examples import ROOT

SYBIL = Sybil(
    parsers=[
        DocTestParser(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE),
        PythonCodeBlockParser(),
    ],
    path=str(ROOT),
)
DOCUMENTS = sorted(
    [*ROOT.glob("docs/**/*.rst"), *ROOT.glob("core/**/*.py")],
    key=lambda p: str(p),
)


def examples_in(path: Path) -> list[object]:
    return list(SYBIL.parse(path))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_documents_examples_run(path: Path) -> None:
    for example in SYBIL.parse(path):
        example.evaluate()


@pytest.mark.parametrize("folder", ["docs", "core"])
def test_there_are_examples_to_run(folder: str) -> None:
    """Guards the test above against finding nothing (a parser change, a moved folder)."""
    found = sum(
        len(examples_in(p)) for p in DOCUMENTS if p.relative_to(ROOT).parts[0] == folder
    )
    assert found > 0


def test_the_threat_model_shows_tests_for_nox_to_run() -> None:
    """``nox -s docs`` runs the tests the pages show; finding none would run nothing."""
    shown = shown_tests()
    assert any(node.startswith("tests/behaviour/") for node in shown)
