"""A session to aim bad input at, and the check that nothing happened to it.

The probe is an enrolled user signed in again: held at the second factor, with a code
sent to their phone. Bad input that changed anything would show on it: an SMS, new
tokens, the claim, the metadata, or a flow that no longer completes.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from tests.harness.accounts import new_account
from tests.harness.core_api import CoreApi
from tests.harness.flows import enrol, send_code, sign_in
from tests.harness.frontend import Frontend, OtpFlow
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

FLOW, DEVICE = "<the probe's preAuthSessionId>", "<the probe's deviceId>"
"""Stand-ins, in a request written before the probe exists, for its real flow."""


@dataclass
class Probe:
    frontend: Frontend
    phone: str
    flow: OtpFlow
    user_id: str
    handle: str
    metadata: dict[str, Any]
    url: str
    outbox: Outbox
    core_api: CoreApi

    def post_json_text(
        self,
        path: str,
        body: Any,
        *,
        as_probe: bool = True,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST ``body`` as JSON text, non-ASCII escaped (so lone surrogates get through)."""
        content = json.dumps(self.filled_in(body))
        return self.send(
            "POST",
            path,
            content=content,
            headers={"content-type": "application/json", **(headers or {})},
            as_probe=as_probe,
        )

    def send(
        self,
        method: str,
        path: str,
        *,
        content: Any = None,
        headers: dict[str, str] | None = None,
        as_probe: bool = True,
    ) -> httpx.Response:
        if as_probe:
            return self.frontend.request(method, path, content=content, headers=headers)
        with Frontend(self.url) as anonymous:
            return anonymous.request(method, path, content=content, headers=headers)

    def filled_in(self, value: Any) -> Any:
        """``value`` with FLOW and DEVICE replaced by the probe's own."""
        if value == FLOW:
            return self.flow.pre_auth_session_id
        if value == DEVICE:
            return self.flow.device_id
        if isinstance(value, dict):
            return {key: self.filled_in(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.filled_in(item) for item in value]
        return value

    def assert_untouched(self) -> None:
        me = self.frontend.me()
        assert me.status_code == 403, me.text
        assert self.frontend.session_handle == self.handle
        assert self.frontend.payload["2fa-completed"]["v"] is False
        assert self.core_api.metadata(self.user_id) == self.metadata


@contextlib.contextmanager
def held_at_the_second_factor(
    url: str, outbox: Outbox, core_api: CoreApi
) -> Iterator[Probe]:
    account, phone = new_account(), new_phone()
    with Frontend(url) as first_visit:
        enrol(first_visit, outbox, account, phone)
        assert first_visit.sign_out().status_code == 200
    with Frontend(url) as frontend:
        sign_in(frontend, account)
        send_code(frontend, phone)
        assert frontend.flow is not None and frontend.session_handle is not None
        user_id = str(frontend.payload["sub"])
        yield Probe(
            frontend,
            phone,
            frontend.flow,
            user_id,
            frontend.session_handle,
            core_api.metadata(user_id),
            url,
            outbox,
            core_api,
        )
