"""The guide's whole flow, as one user of a browser frontend walks it, timed request by request.

An ``httpx.AsyncClient`` keeps the session cookies as a browser does, so many users can
walk the flow at once from one process. Each step checks its answer; a wrong one is an
error of the benchmark run, never a figure.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.harness.accounts import new_account
from tests.harness.examples import AUTH_BASE_PATH, PROTECTED_ROUTE
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone

STEPS = (
    "sign up",
    "create code (new user, guide step 4)",
    "resend code",
    "consume code (enrol the phone)",
    "protected request",
    "refresh",
    "protected request, first after a refresh",
    "sign out",
    "sign in (returning user)",
    "create code (phone in token, guide step 5)",
    "consume code (returning user)",
    "protected request (returning user)",
)
"""The flow's steps in order."""


class FlowError(Exception):
    """A step answered something a user would see as a failure."""


@dataclass
class Timing:
    step: str
    seconds: float


class Flow:
    """One user with their own browser (cookie jar), a new account and a new phone."""

    def __init__(self, base_url: str, outbox: Outbox, timings: list[Timing]) -> None:
        self.http = httpx.AsyncClient(
            base_url=base_url, timeout=120, headers={"st-auth-mode": "cookie"}
        )
        self.outbox = outbox
        self.timings = timings
        self.account = new_account()
        self.phone = new_phone()
        self.device_id = self.pre_auth_session_id = ""

    async def __aenter__(self) -> Flow:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.http.aclose()

    async def run(self, between: Callable[[str], None] | None = None) -> None:
        """Walk every step; the session stays open afterwards, second factor completed."""
        for step, action in zip(STEPS, self._actions(), strict=True):
            await action(step)
            if between is not None:
                between(step)

    def _actions(self) -> list[Callable[[str], Awaitable[object]]]:
        email, password = self.account.email, self.account.password
        form = {
            "formFields": [
                {"id": "email", "value": email},
                {"id": "password", "value": password},
            ]
        }
        return [
            lambda step: self._auth(step, "/signup", form),
            self._create_code,
            lambda step: self._auth(step, "/signinup/code/resend", self._device()),
            self._consume_code,
            self._protected,
            lambda step: self._call(step, "POST", AUTH_BASE_PATH + "/session/refresh"),
            self._protected,
            lambda step: self._auth(step, "/signout", None),
            lambda step: self._auth(step, "/signin", form),
            self._create_code,
            self._consume_code,
            self._protected,
        ]

    async def _create_code(self, step: str) -> None:
        body = await self._auth(step, "/signinup/code", {"phoneNumber": self.phone})
        self.device_id, self.pre_auth_session_id = (
            body["deviceId"],
            body["preAuthSessionId"],
        )

    async def _consume_code(self, step: str) -> None:
        code = self.outbox.latest_code(self.pre_auth_session_id)
        await self._auth(
            step, "/signinup/code/consume", {**self._device(), "userInputCode": code}
        )

    async def _protected(self, step: str) -> None:
        body = await self._call(step, "GET", PROTECTED_ROUTE)
        if body.get("secondFactorCompleted") is not True:
            raise FlowError(f"{step}: {body}")

    def _device(self) -> dict[str, str]:
        return {
            "deviceId": self.device_id,
            "preAuthSessionId": self.pre_auth_session_id,
        }

    async def _auth(
        self, step: str, path: str, body: dict[str, Any] | None
    ) -> dict[str, Any]:
        answer = await self._call(step, "POST", AUTH_BASE_PATH + path, body)
        if answer.get("status") != "OK":
            raise FlowError(f"{step}: {answer}")
        return answer

    async def _call(
        self, step: str, method: str, path: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, json=body)
        except httpx.HTTPError as error:
            raise FlowError(f"{step}: {error!r}") from error
        self.timings.append(Timing(step, time.perf_counter() - started))
        if response.status_code != 200:
            raise FlowError(
                f"{step}: HTTP {response.status_code} {response.text[:200]}"
            )
        answer: dict[str, Any] = response.json()
        return answer
