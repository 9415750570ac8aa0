from __future__ import annotations

import pytest

from core.phone import same_phone, to_e164


@pytest.mark.parametrize(
    "written",
    [
        "+14155550100",
        "+1 (415) 555-0100",
        "+1 415 555 0100",
        "+1-415-555-0100",
        " +14155550100 ",
    ],
)
def test_the_same_phone_however_it_is_written(written: str) -> None:
    assert to_e164(written) == "+14155550100"
    assert same_phone(written, "+14155550100")


def test_different_phones_are_different() -> None:
    assert not same_phone("+14155550100", "+14155550101")


@pytest.mark.parametrize(
    "not_a_phone", ["", "4155550100", "+1415", "+999 123", "phone", "+1 (555) 555-0100"]
)
def test_invalid_numbers_match_nothing_not_even_themselves(not_a_phone: str) -> None:
    assert to_e164(not_a_phone) is None
    assert not same_phone(not_a_phone, not_a_phone)
