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
