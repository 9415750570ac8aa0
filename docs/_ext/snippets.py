"""``literalinclude`` as Sphinx has it, minus the blank lines at the end of a region.

Regions end where the next thing in the file starts (``:end-before:``), so they often
end in the blank lines between two definitions; those are dropped from what is shown.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude


class TrimmedLiteralInclude(LiteralInclude):
    def run(self) -> list[nodes.Node]:
        result = super().run()
        for node in result:
            for block in node.findall(nodes.literal_block):
                text = block.astext().rstrip("\n")
                block.rawsource = text
                block.children = [nodes.Text(text)]
        return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("literalinclude", TrimmedLiteralInclude, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
