"""pytest plugin (``-p tests.docs.one_case_each``): one case of each behavioural test.

``nox -s docs`` runs the tests the pages show, to prove the shown code still does what
they say; the ``tests`` sessions run every case. Keeping the first case of each test
function here keeps the docs session short.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    seen: set[tuple[str, str]] = set()
    kept, dropped = [], []
    for item in items:
        if "behaviour" not in item.path.parts:  # the docs' own tests all run
            kept.append(item)
            continue
        key = (str(item.path), getattr(item, "originalname", item.name))
        (dropped if key in seen else kept).append(item)
        seen.add(key)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
