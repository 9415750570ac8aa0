"""``.. exchange:: NAME``: one recorded HTTP exchange from ``docs/transcripts/``.

The files are written by ``tests/docs/tutorial.py`` from a real run and checked by
``tests/docs/test_transcripts.py``. The directive shows ``NAME.http`` as a request
block and a response block and, when the response set a ``front-token``,
``NAME.payload.json`` (the access-token payload the frontend then reads).

A missing file is an error; a transcript that no page shows is a warning (an error
under ``-W``), so the pages and the recorded run cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

FOLDER = "transcripts"
PAYLOAD_CAPTION = (
    "Access-token payload after this response (the front-token header, decoded)"
)


def transcripts_dir(env: BuildEnvironment) -> Path:
    return Path(env.srcdir) / FOLDER


class Exchange(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        folder = transcripts_dir(self.env)
        http_file = folder / f"{name}.http"
        if not http_file.is_file():
            raise self.error(
                f"no transcript {FOLDER}/{name}.http (run `nox -s transcripts`)"
            )
        self.env.note_dependency(str(http_file))
        used = self.env.domaindata.setdefault("transcripts", {}).setdefault("used", {})
        used[name] = self.env.docname

        request, separator, response = http_file.read_text().partition("\nHTTP/1.1 ")
        if not separator:
            raise self.error(f"{http_file.name} holds no response")
        blocks = [
            ("http", "Request", request.rstrip("\n")),
            ("http", "Response", "HTTP/1.1 " + response.rstrip("\n")),
        ]
        payload_file = folder / f"{name}.payload.json"
        if payload_file.is_file():
            self.env.note_dependency(str(payload_file))
            blocks.append(
                ("json", PAYLOAD_CAPTION, payload_file.read_text().rstrip("\n"))
            )

        rst = StringList()
        source = str(http_file)
        for language, caption, text in blocks:
            rst.append(f".. code-block:: {language}", source)
            rst.append(f"   :caption: {caption}", source)
            rst.append("", source)
            for line in text.splitlines():
                rst.append(f"   {line}" if line else "", source)
            rst.append("", source)
        container = nodes.container(classes=["exchange"])
        self.state.nested_parse(rst, self.content_offset, container)
        return [container]


def check_all_shown(app: Sphinx, env: BuildEnvironment) -> None:
    used = env.domaindata.get("transcripts", {}).get("used", {})
    for path in sorted(transcripts_dir(env).glob("*.http")):
        if path.stem not in used:
            logger.warning("transcript %s/%s is shown on no page", FOLDER, path.name)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    used = env.domaindata.get("transcripts", {}).get("used", {})
    for name in [n for n, doc in used.items() if doc == docname]:
        del used[name]


def merge(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    used = env.domaindata.setdefault("transcripts", {}).setdefault("used", {})
    used.update(other.domaindata.get("transcripts", {}).get("used", {}))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("exchange", Exchange)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", check_all_shown)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
