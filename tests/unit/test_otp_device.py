"""Device ids the core could not decode never reach it."""

from __future__ import annotations

import pytest

from core.second_factor import is_device_id


@pytest.mark.parametrize(
    "text", ["AAAA", "AAA=", "AA==", "AA", "q83vEjRWeJA+/w==", "a/b+"]
)
def test_standard_base64_with_or_without_padding_is_a_device_id(text: str) -> None:
    assert is_device_id(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A",
        "AAAAA",
        "A===",
        "AA===",
        "a-b_",
        "AA AA",
        "\uff21\uff21\uff21\uff21",
        "=AAA",
    ],
)
def test_anything_else_is_not(text: str) -> None:
    assert not is_device_id(text)
