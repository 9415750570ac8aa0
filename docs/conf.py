"""Sphinx configuration: ``nox -s docs`` builds with warnings as errors.

Nothing here reaches the network: no intersphinx, no CDN. The flow diagram is drawn
by graphviz-pure (a self-contained ``dot`` installed from PyPI) through
``sphinx.ext.graphviz``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(ROOT), str(DOCS / "_ext")]

project = "Phone OTP as a second factor with SuperTokens"
author = "the project's contributors"
copyright = "the project's contributors"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.graphviz",
    "sphinx_design",
    "myst_parser",
    "apiref",
    "settings_table",
    "snippets",
    "transcripts",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "transcripts", "hardening-report.md"]
nitpicky = False

html_theme = "furo"
html_title = "Phone OTP as a second factor"
html_static_path = ["_static"]
html_css_files = ["tables.css"]

# The `dot` that sphinx.ext.graphviz runs: graphviz-pure, from this environment.
graphviz_dot = (
    shutil.which("graphviz-pure", path=str(Path(sys.executable).parent))
    or shutil.which("graphviz-pure")
    or "graphviz-pure"
)
graphviz_output_format = "svg"

autodoc_member_order = "bysource"
# Defaults as written in the source: `env=os.environ`, not this machine's environment.
autodoc_preserve_defaults = True
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}

myst_heading_anchors = 3
