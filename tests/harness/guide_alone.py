"""``core/`` and an example copied aside, with additions deleted from the copy: the line
that puts each on the recipes, its import, and its module."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.harness.examples import EXAMPLES, ROOT

RECIPES = Path("core") / "recipes.py"
ADDITION_LINE = re.compile(r"^    recipes = (\w+)\.added\(.*\)\n", re.MULTILINE)


def additions() -> list[str]:
    """The additions ``recipe_list`` puts on the guide's recipes, in order."""
    return ADDITION_LINE.findall((ROOT / RECIPES).read_text())


def copy_without(framework: str, deleted: list[str], into: Path) -> Path:
    """Copy ``core/`` and the example into ``into``, delete the ``deleted`` additions
    from the copy, and return the copied example's folder. ``into`` goes first on the
    copy's ``PYTHONPATH``, so its ``core`` is the one imported."""
    shutil.copytree(
        ROOT / "core", into / "core", ignore=shutil.ignore_patterns("__pycache__")
    )
    example = into / "example"
    shutil.copytree(
        EXAMPLES[framework].folder,
        example,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    recipes = into / RECIPES
    text = recipes.read_text()
    for name in deleted:
        line = re.compile(rf"^    recipes = {name}\.added\(.*\)\n", re.MULTILINE)
        imported = re.compile(rf"^    {name},\n", re.MULTILINE)
        text, calls = line.subn("", text)
        text, imports = imported.subn("", text)
        assert (calls, imports) == (1, 1), f"{name}: its line and import, once each"
        addition = into / "core" / "additions" / name
        if addition.is_dir():
            shutil.rmtree(addition)
        else:
            (addition.with_suffix(".py")).unlink()
    if not additions_left(text):
        text = re.sub(
            r"^from core\.additions import \(\n\)\n", "", text, flags=re.MULTILINE
        )
    recipes.write_text(text)
    return example


def additions_left(recipes_text: str) -> list[str]:
    return ADDITION_LINE.findall(recipes_text)
