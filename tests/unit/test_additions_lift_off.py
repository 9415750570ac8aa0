"""Each addition is one line of ``recipe_list``: deleted with its module from a copy of
``core/``, the rest still imports and makes the recipes (the behavioural suite walks the
guide's flow with all of them deleted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.guide_alone import additions, copy_without

MAKE_THE_RECIPES = """
import core, core.recipes
from core.settings import Settings
assert core.__file__.startswith({copy!r}), core.__file__
recipes = core.recipes.recipe_list(Settings.from_env({{}}))
print(len(recipes))
"""


def test_recipe_list_puts_each_addition_on_by_one_line() -> None:
    assert additions() == [
        "sign_in_providers",
        "password_reset",
        "send_limits",
        "closed_apis",
        "request_guard",
        "kept_core_client",
    ]


@pytest.mark.parametrize("addition", additions())
def test_an_addition_deleted_with_its_module_leaves_the_recipes_whole(
    addition: str, tmp_path: Path
) -> None:
    folder = copy_without("fastapi", [addition], tmp_path)
    assert not list((tmp_path / "core" / "additions").glob(f"{addition}*"))

    made = subprocess.run(
        [sys.executable, "-c", MAKE_THE_RECIPES.format(copy=str(tmp_path))],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )

    assert made.returncode == 0, made.stderr
    guide_recipes = 5
    assert int(made.stdout) >= guide_recipes
