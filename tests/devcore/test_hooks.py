"""The ``/_devcore/`` testing hooks: request counters and the core's clock."""

from __future__ import annotations

import httpx
import pytest

from devcore.testing import RunningDevcore


def test_requests_are_counted_per_method_and_path(devcore: RunningDevcore) -> None:
    httpx.get(devcore.uri + "/hello")
    httpx.get(devcore.uri + "/hello")
    httpx.put(
        devcore.uri + "/recipe/user/metadata",
        json={"userId": "u", "metadataUpdate": {}},
    )

    counts = devcore.request_counts()
    devcore.reset_request_counts()

    assert counts == {"GET /hello": 2, "PUT /recipe/user/metadata": 1}
    assert devcore.request_counts() == {}


def test_the_clock_only_moves_forward(devcore: RunningDevcore) -> None:
    before = httpx.get(devcore.uri + "/_devcore/clock").json()

    devcore.advance_clock(60_000)
    after = httpx.get(devcore.uri + "/_devcore/clock").json()
    backwards = httpx.post(devcore.uri + "/_devcore/clock", json={"advanceMs": -1})

    assert after["offsetMs"] == before["offsetMs"] + 60_000
    assert after["nowMs"] - before["nowMs"] >= 60_000
    assert backwards.status_code == 400


@pytest.mark.parametrize("body", [{}, {"advanceMs": "1"}, {"advanceMs": True}])
def test_clock_input_is_checked(
    devcore: RunningDevcore, body: dict[str, object]
) -> None:
    response = httpx.post(devcore.uri + "/_devcore/clock", json=body)

    assert (response.status_code, response.text.strip()) == (
        400,
        "Field name 'advanceMs' is invalid in JSON input",
    )
