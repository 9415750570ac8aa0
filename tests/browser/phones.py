"""Phones for the browser tests: ones the prebuilt UI's own phone check accepts too.

The UI checks a number before it sends anything, with the metadata its phone input
(intl-tel-input) bundles, which is older than the backend's (phonenumbers): area codes
opened since it was made are "invalid" there. These area codes are decades old.
"""

from __future__ import annotations

from tests.harness.phones import new_phone

LONG_STANDING_AREA_CODES = frozenset((
    "201", "202", "203", "206", "212", "213", "214", "215", "216", "301", "303", "305",
    "312", "313", "314", "404", "412", "415", "503", "504", "512", "602", "612", "617",
    "702", "713", "801", "804", "816", "919",
))  # fmt: skip


def new_phone_the_ui_accepts() -> str:
    """A phone nobody else in this run has been given, in an area code the UI knows."""
    while (phone := new_phone())[2:5] not in LONG_STANDING_AREA_CODES:
        pass
    return phone
