"""``literalinclude`` as Sphinx has it, minus the blank lines at the end of a region, and
no wider than the page.

Regions end where the next thing in the file starts (``:end-before:``), so they often
end in the blank lines between two definitions; those are dropped from what is shown. A
block with a line wider than ``PAGE_COLUMNS`` would scroll sideways: that is a warning,
so ``sphinx-build -W`` refuses it (the formatter keeps code at this width).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.util import logging

PAGE_COLUMNS = 88

log = logging.getLogger(__name__)


class TrimmedLiteralInclude(LiteralInclude):
    def run(self) -> list[nodes.Node]:
        result = super().run()
        for node in result:
            for block in node.findall(nodes.literal_block):
                text = block.astext().rstrip("\n")
                block.rawsource = text
                block.children = [nodes.Text(text)]
                widest = max((len(line) for line in text.splitlines()), default=0)
                if widest > PAGE_COLUMNS:
                    log.warning(
                        "%s: a line of %d columns (the page fits %d)",
                        self.arguments[0],
                        widest,
                        PAGE_COLUMNS,
                        location=self.get_location(),
                    )
        return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("literalinclude", TrimmedLiteralInclude, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
