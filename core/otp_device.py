"""Which device (one code sent to one phone) a request names, and whether it is in the
OTP flow the request claims.

A flow's ``preAuthSessionId`` and its ``deviceId`` travel together from the frontend,
and an attacker can pair any device with any flow. The core answers a device id it
cannot decode, or one from another flow, with HTTP 400, which the SDK raises as an
exception (a 500). So both are checked here first, and a mismatch is answered the way
the SDK answers a device it does not know: ``RESTART_FLOW_ERROR``.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from supertokens_python.recipe.passwordless.interfaces import APIOptions
from supertokens_python.recipe.passwordless.types import DeviceType

_STANDARD_BASE64 = re.compile(r"[A-Za-z0-9+/]+")


def is_device_id(text: str) -> bool:
    """Whether ``text`` is standard base64 (padding optional), as the core's ids are."""
    unpadded = text.rstrip("=")
    if not _STANDARD_BASE64.fullmatch(unpadded) or len(text) - len(unpadded) > 2:
        return False
    try:
        base64.b64decode(unpadded + "=" * (-len(unpadded) % 4), validate=True)
    except binascii.Error:
        return False
    return True


async def device_in_flow(
    device_id: str,
    pre_auth_session_id: str,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> DeviceType | None:
    """The device ``device_id`` names, if it exists and belongs to this flow."""
    if not is_device_id(device_id):
        return None
    device = await api_options.recipe_implementation.list_codes_by_device_id(
        device_id=device_id, tenant_id=tenant_id, user_context=user_context
    )
    if device is None or device.pre_auth_session_id != pre_auth_session_id:
        return None
    return device
