"""The tests the pages show, as pytest node ids: ``nox -s docs`` runs them with the rest.

A page that includes a test with ``literalinclude`` and ``:pyobject:`` (the threat
model does, for each attack) makes that test one of the docs' executable parts.

    python -m tests.docs.shown_tests     # one node id a line
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness.examples import ROOT

INCLUDE = re.compile(
    r"^(?P<indent>[ \t]*)\.\. literalinclude:: (?P<path>\S+)\n"
    r"(?P<options>(?:(?P=indent)[ \t]+:.*\n)*)",
    re.MULTILINE,
)
PYOBJECT = re.compile(r":pyobject:\s*(\S+)")


def shown_tests(docs: Path = ROOT / "docs") -> list[str]:
    ids = set()
    for page in docs.rglob("*.rst"):
        for include in INCLUDE.finditer(page.read_text()):
            target = (page.parent / include["path"]).resolve()
            pyobject = PYOBJECT.search(include["options"])
            if (
                pyobject
                and target.is_relative_to(ROOT / "tests")
                and pyobject[1].startswith("test_")
            ):
                ids.add(f"{target.relative_to(ROOT)}::{pyobject[1]}")
    return sorted(ids)


if __name__ == "__main__":
    print("\n".join(shown_tests()))
