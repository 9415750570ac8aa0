"""Phone numbers compared as E.164, so that formatting never decides who owns a phone.

``+1 (415) 555-0100`` and ``+14155550100`` are the same phone; comparing raw strings
would refuse the owner (or, with a laxer check, let a look-alike through).
"""

from __future__ import annotations

import phonenumbers

PHONE_NOT_ENROLLED = "Input phone number is not the same as the one saved for this user"
"""The guide's refusal of any phone but the enrolled one."""


def same_phone(a: str, b: str) -> bool:
    """True if both are the same valid phone number, however each is written.

    >>> same_phone("+1 (415) 555-0100", "+14155550100")
    True
    >>> same_phone("+14155550100", "+14155550199")
    False
    >>> same_phone("4155550100", "4155550100")  # no country code: not a valid phone
    False
    """
    a_e164, b_e164 = to_e164(a), to_e164(b)
    return a_e164 is not None and a_e164 == b_e164


def to_e164(raw: str) -> str | None:
    """The E.164 form of ``raw``, or None if it is not a valid international number."""
    try:
        parsed = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
