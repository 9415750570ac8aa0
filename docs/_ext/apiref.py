"""``.. package-modules:: core``: ``automodule`` for the package and each module in it.

The list is read from the folders at build time, so a new module of ``core/`` appears in
the reference without anyone adding it here. ``:first:`` names modules to put first, in
that order (the guide's steps); the rest follow alphabetically, sub-packages included.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


class PackageModules(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar = {"first": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        package = importlib.import_module(self.arguments[0])
        found = sorted(
            info.name
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
            if not info.name.rsplit(".", 1)[-1].startswith("_")
        )
        first = self.options.get("first", "").split()
        names = [package.__name__, *first, *(n for n in found if n not in first)]
        rst = StringList()
        for name in names:
            title = f"``{name}``"
            for line in (title, "-" * len(title), "", f".. automodule:: {name}"):
                rst.append(line, "<package-modules>")
            if name == package.__name__:  # its exports are documented in their modules
                rst.append("   :no-members:", "<package-modules>")
            rst.append("", "<package-modules>")
            module_file = importlib.import_module(name).__file__
            if module_file:
                self.env.note_dependency(module_file)
        section = nodes.section()
        nested_parse_with_titles(self.state, rst, section)
        return list(section.children)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("package-modules", PackageModules)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
