"""How many codes may be sent, so that a password (or a script) cannot pump SMS.

The core limits wrong guesses, not sends: without this, anyone with a first factor
could make the app send codes without end, at the app's cost. Five limits, each
answered with how long to wait before a retry would be accepted:

* a cooldown between two codes for one session to one phone (the "resend" button);
* a cap per phone per hour, so nobody's phone is flooded by many accounts;
* a cap per user per hour, so one account cannot spray codes at many phones;
* a cap per client address per hour (``client_address``), so one script cannot sign
  up account after account, each with a fresh user's allowance, to spray codes;
* a budget for the whole app per hour, the ceiling of the bill whatever the number of
  addresses an attacker has: reached, it stops codes for everyone until the hour
  passes, an outage of the second factor rather than an unbounded bill.

This layer sits beneath the guide's ``create_code_post`` and ``resend_code_post``: by
the time it is asked, a code to another phone than the enrolled one, or in another
session's flow, has been refused and was never counted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from supertokens_python.framework import BaseRequest
from supertokens_python.recipe.passwordless.interfaces import (
    APIInterface,
    APIOptions,
    CreateCodePostOkResult,
    ResendCodePostOkResult,
)
from supertokens_python.recipe.session.interfaces import SessionContainer

from core.additions.send_limits.client_address import client_address
from core.additions.send_limits.settings import SendLimitSettings
from core.additions.send_limits.throttle import (
    Limit,
    SendKind,
    SendThrottle,
    ThrottledResponse,
)
from core.phone_check import CreateCodePostResult, ResendCodePostResult
from core.second_factor import device_in_flow, first_factor_session


def sms_sends(settings: SendLimitSettings) -> SendKind:
    return SendKind(
        "sms_sends",
        (
            Limit.cooldown(("session_handle", "phone"), settings.sms_cooldown_seconds),
            Limit.hourly(("phone",), settings.sms_max_per_phone_per_hour),
            Limit.hourly(("user_id",), settings.sms_max_per_user_per_hour),
            Limit.hourly(("client",), settings.sms_max_per_client_per_hour),
            Limit.hourly(("whole_app",), settings.sms_max_per_hour),
        ),
        "codes",
    )


WHOLE_APP = "all"
"""The one value of ``whole_app``: every code counts towards the app's budget."""


def sms_to(
    session: SessionContainer,
    phone: str,
    request: BaseRequest,
    trusted_proxy_hops: int,
) -> dict[str, str]:
    """What the limits count a code by."""
    return {
        "session_handle": session.get_handle(),
        "user_id": session.get_user_id(),
        "phone": phone,
        "client": client_address(request, trusted_proxy_hops),
        "whole_app": WHOLE_APP,
    }


def limit_sms_sends(
    throttle: SendThrottle,
    trusted_proxy_hops: int,
    original_implementation: APIInterface,
) -> APIInterface:
    apis = original_implementation
    apis.create_code_post = partial(
        create_code_post, throttle, trusted_proxy_hops, apis.create_code_post
    )
    apis.resend_code_post = partial(
        resend_code_post, throttle, trusted_proxy_hops, apis.resend_code_post
    )
    return apis


async def create_code_post(
    throttle: SendThrottle,
    trusted_proxy_hops: int,
    original: Callable[..., Awaitable[CreateCodePostResult]],
    email: str | None,
    phone_number: str | None,
    session: SessionContainer | None,
    should_try_linking_with_session_user: bool | None,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> CreateCodePostResult | ThrottledResponse:
    first_factor = await first_factor_session(api_options, user_context)
    assert phone_number is not None  # the SDK insists on one (phone-only config)
    return await throttle.within_limits(
        sms_to(first_factor, phone_number, api_options.request, trusted_proxy_hops),
        lambda: original(
            email=email,
            phone_number=phone_number,
            session=session,
            should_try_linking_with_session_user=should_try_linking_with_session_user,
            tenant_id=tenant_id,
            api_options=api_options,
            user_context=user_context,
        ),
        went_out=lambda result: isinstance(result, CreateCodePostOkResult),
    )


async def resend_code_post(
    throttle: SendThrottle,
    trusted_proxy_hops: int,
    original: Callable[..., Awaitable[ResendCodePostResult]],
    device_id: str,
    pre_auth_session_id: str,
    session: SessionContainer | None,
    should_try_linking_with_session_user: bool | None,
    tenant_id: str,
    api_options: APIOptions,
    user_context: dict[str, Any],
) -> ResendCodePostResult | ThrottledResponse:
    def resend() -> Awaitable[ResendCodePostResult]:
        return original(
            device_id,
            pre_auth_session_id,
            session,
            should_try_linking_with_session_user,
            tenant_id,
            api_options,
            user_context,
        )

    first_factor = await first_factor_session(api_options, user_context)
    # The guide's override has read this device already: the SDK answers from its cache.
    device = await device_in_flow(
        device_id, pre_auth_session_id, tenant_id, api_options, user_context
    )
    if device is None or device.phone_number is None:
        return await resend()  # no such device: nothing can be sent, so nothing counts
    return await throttle.within_limits(
        sms_to(
            first_factor, device.phone_number, api_options.request, trusted_proxy_hops
        ),
        resend,
        went_out=lambda result: isinstance(result, ResendCodePostOkResult),
    )
