"""``.. settings:: core.sms.SmsSettings [more classes]``: a table of settings, from code.

Each row is one field declared with ``core.settings.setting``: the variable, its
default and its meaning, as written in the class. The pages so cannot state a default
or a meaning other than the code's.
"""

from __future__ import annotations

import importlib
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from core.settings import declared_settings


def shown(default: object) -> str:
    if default is None:
        return "none"
    if isinstance(default, bool):
        return f"``{str(default).lower()}``"
    return f"``{default}``"


class SettingsTable(SphinxDirective):
    required_arguments = 1
    optional_arguments = 10

    def run(self) -> list[nodes.Node]:
        rows = []
        for dotted in self.arguments:
            module_name, class_name = dotted.rsplit(".", 1)
            module = importlib.import_module(module_name)
            if module.__file__:
                self.env.note_dependency(module.__file__)
            rows.extend(declared_settings(getattr(module, class_name)))
        rst = StringList()
        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 30 16 54",
            "",
            "   * - Variable",
            "     - Default",
            "     - What it is",
        ]
        for variable, default, meaning in rows:
            lines += [
                f"   * - ``{variable}``",
                f"     - {shown(default)}",
                f"     - {meaning}",
            ]
        for line in lines:
            rst.append(line, "<settings>")
        container = nodes.container()
        nested_parse_with_titles(self.state, rst, container)
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("settings", SettingsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
