"""Fifty clients at once: no errors, no lost writes, and one winner where there can be one.

These talk CDI directly over fifty pooled connections: the SDK builds a new HTTP client
per call, which would make this a benchmark of the SDK rather than of the core.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from devcore.testing import RunningDevcore

pytestmark = pytest.mark.anyio

CLIENTS = 50


@pytest.fixture
async def cdi(devcore: RunningDevcore) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=CLIENTS)
    headers = {"cdi-version": "5.4"}
    async with httpx.AsyncClient(
        base_url=devcore.uri, limits=limits, headers=headers
    ) as client:
        yield client


async def call(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> Any:
    response = await client.request(method, path, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


async def whole_flow(cdi: httpx.AsyncClient, n: int) -> tuple[str, str]:
    """Sign up, start a session, verify a phone, record it: the guide's flow for one user."""
    user = await call(
        cdi,
        "POST",
        "/public/recipe/signup",
        json={"email": f"u{n}@example.com", "password": "pw"},
    )
    user_id = user["user"]["id"]
    session = await call(
        cdi,
        "POST",
        "/public/recipe/session",
        json={
            "userId": user_id,
            "enableAntiCsrf": False,
            "userDataInJWT": {},
            "userDataInDatabase": {},
        },
    )
    code = await call(
        cdi,
        "POST",
        "/public/recipe/signinup/code",
        json={"phoneNumber": f"+1415555{n:04d}"},
    )
    consumed = await call(
        cdi,
        "POST",
        "/public/recipe/signinup/code/consume",
        json={
            "preAuthSessionId": code["preAuthSessionId"],
            "deviceId": code["deviceId"],
            "userInputCode": code["userInputCode"],
        },
    )
    assert consumed["status"] == "OK"
    await call(
        cdi,
        "PUT",
        "/recipe/user/metadata",
        json={
            "userId": user_id,
            "metadataUpdate": {"passwordlessUserId": consumed["user"]["id"]},
        },
    )
    return user_id, session["session"]["handle"]


async def test_fifty_clients_run_the_whole_flow_at_once(cdi: httpx.AsyncClient) -> None:
    results = await asyncio.gather(*(whole_flow(cdi, n) for n in range(CLIENTS)))

    count = await call(cdi, "GET", "/public/users/count")
    assert count["count"] == 2 * CLIENTS  # an email user and a phone user each
    for user_id, handle in results:
        sessions = await call(
            cdi, "GET", "/recipe/session/user", params={"userId": user_id}
        )
        assert sessions["sessionHandles"] == [handle]
        metadata = await call(
            cdi, "GET", "/recipe/user/metadata", params={"userId": user_id}
        )
        assert "passwordlessUserId" in metadata["metadata"]


async def test_fifty_sign_ups_with_one_email_make_one_user(
    cdi: httpx.AsyncClient,
) -> None:
    body = {"email": "same@example.com", "password": "pw"}

    results = await asyncio.gather(
        *(call(cdi, "POST", "/public/recipe/signup", json=body) for _ in range(CLIENTS))
    )

    statuses = sorted(r["status"] for r in results)
    assert statuses == ["EMAIL_ALREADY_EXISTS_ERROR"] * (CLIENTS - 1) + ["OK"]
    assert (await call(cdi, "GET", "/public/users/count"))["count"] == 1


async def test_a_code_entered_fifty_times_at_once_is_consumed_once(
    cdi: httpx.AsyncClient,
) -> None:
    code = await call(
        cdi,
        "POST",
        "/public/recipe/signinup/code",
        json={"phoneNumber": "+14155552671"},
    )
    body = {k: code[k] for k in ("preAuthSessionId", "deviceId", "userInputCode")}

    results = await asyncio.gather(
        *(
            call(cdi, "POST", "/public/recipe/signinup/code/consume", json=body)
            for _ in range(CLIENTS)
        )
    )

    statuses = sorted(r["status"] for r in results)
    assert statuses == ["OK"] + ["RESTART_FLOW_ERROR"] * (CLIENTS - 1)


async def test_concurrent_metadata_updates_are_all_kept(cdi: httpx.AsyncClient) -> None:
    updates = [
        {"userId": "user-1", "metadataUpdate": {f"key{n}": n}} for n in range(CLIENTS)
    ]

    await asyncio.gather(
        *(call(cdi, "PUT", "/recipe/user/metadata", json=u) for u in updates)
    )

    metadata = await call(
        cdi, "GET", "/recipe/user/metadata", params={"userId": "user-1"}
    )

    assert metadata["metadata"] == {f"key{n}": n for n in range(CLIENTS)}


async def test_concurrent_refreshes_of_one_session_all_rotate(
    cdi: httpx.AsyncClient,
) -> None:
    session = await call(
        cdi,
        "POST",
        "/public/recipe/session",
        json={
            "userId": "u",
            "enableAntiCsrf": False,
            "userDataInJWT": {},
            "userDataInDatabase": {},
        },
    )
    body = {
        "refreshToken": session["refreshToken"]["token"],
        "enableAntiCsrf": False,
        "useDynamicSigningKey": True,
    }

    results = await asyncio.gather(
        *(
            call(cdi, "POST", "/recipe/session/refresh", json=body)
            for _ in range(CLIENTS)
        )
    )

    # Until one of the new tokens is used, the old one may be retried (as the real core).
    assert {r["status"] for r in results} == {"OK"}
    assert len({r["refreshToken"]["token"] for r in results}) == CLIENTS
