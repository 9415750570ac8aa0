"""Valid, fictional phone numbers, a different one each time one is asked for.

555-0100 to 555-0199 are reserved for fiction in every North American area code,
and the phonenumbers library accepts them as valid.
"""

from __future__ import annotations

import itertools
import random

import phonenumbers

_AREA_CODES = [
    str(code)
    for code in range(201, 990)
    if phonenumbers.is_valid_number(phonenumbers.parse(f"+1{code}5550100"))
]

# A random start, so that runs against one long-lived core do not all reuse the same phones.
_numbers = itertools.count(random.randrange(len(_AREA_CODES) * 100))


def new_phone() -> str:
    """A phone nobody else in this run has been given, in E.164."""
    n = next(_numbers) % (len(_AREA_CODES) * 100)
    area, line = divmod(n, 100)
    return f"+1{_AREA_CODES[area]}55501{line:02d}"


def written_differently(e164_us_phone: str) -> str:
    """The same North American phone as a person might type it: ``+1 (415) 555-0100``."""
    digits = e164_us_phone.removeprefix("+1")
    return f"+1 ({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def other_formats(e164_us_phone: str) -> dict[str, str]:
    """The same phone written in every way ``phonenumbers`` still reads as that phone."""
    digits = e164_us_phone.removeprefix("+1")
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return {
        "typed by a person": written_differently(e164_us_phone),
        "dotted": f"+1.{area}.{exchange}.{line}",
        "tel URI": f"tel:+1-{area}-{exchange}-{line}",
        "fullwidth digits": e164_us_phone.translate(_FULLWIDTH),
        "arabic-indic digits": "+" + e164_us_phone[1:].translate(_ARABIC_INDIC),
        "with an extension": f"{e164_us_phone} ext. 7",
        "padded": f"  {e164_us_phone}\t",
        "zero-width space inside": f"+1{area}\u200b{exchange}{line}",
    }


# Digits other scripts write, which phonenumbers reads as ASCII digits.
_FULLWIDTH = str.maketrans(
    {"+": "\uff0b", **{str(d): chr(0xFF10 + d) for d in range(10)}}
)
_ARABIC_INDIC = str.maketrans({str(d): chr(0x0660 + d) for d in range(10)})
