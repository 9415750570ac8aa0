"""``.. package-modules:: core``: ``automodule`` for the package and each of its modules.

The list is read from the folder at build time, so a new module of ``core/`` appears in
the reference without anyone adding it here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


class PackageModules(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        package = self.arguments[0]
        module_file = importlib.import_module(package).__file__
        assert module_file is not None
        folder = Path(module_file).parent
        names = [package] + [
            f"{package}.{path.stem}"
            for path in sorted(folder.glob("*.py"))
            if not path.name.startswith("_")
        ]
        rst = StringList()
        for name in names:
            title = f"``{name}``"
            for line in (title, "-" * len(title), "", f".. automodule:: {name}"):
                rst.append(line, "<package-modules>")
            if name == package:  # its exports are documented in their own modules
                rst.append("   :no-members:", "<package-modules>")
            rst.append("", "<package-modules>")
        for path in folder.glob("*.py"):
            self.env.note_dependency(str(path))
        section = nodes.section()
        nested_parse_with_titles(self.state, rst, section)
        return list(section.children)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("package-modules", PackageModules)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
