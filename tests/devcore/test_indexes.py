"""No request path grows with the number of users: every statement the flows run uses an index.

The SQL devcore runs during every kind of request is recorded, and SQLite is asked how it
would execute each statement; a full table scan of stored data anywhere fails the test.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import httpx
import pytest

from devcore.app import create_app
from devcore.settings import Settings

pytestmark = pytest.mark.anyio

DATA_TABLES = (
    "users",
    "verified_emails",
    "user_metadata",
    "sessions",
    "passwordless_devices",
    "passwordless_codes",
    "password_reset_tokens",
)
FULL_SCAN = re.compile(rf"\bSCAN ({'|'.join(DATA_TABLES)}|u|v)\b")
# Everyone is in tenant "public": an index searched by tenant alone visits every user.
WHOLE_TENANT = re.compile(r"\(tenant_id=\?\)$")


def grows_with_data(query: str, step: str) -> bool:
    if FULL_SCAN.search(step):
        return True
    return bool(WHOLE_TENANT.search(step)) and "LIMIT" not in query  # a page is bounded


async def exercise_every_endpoint(client: httpx.AsyncClient) -> None:
    async def call(method: str, path: str, **kwargs: Any) -> Any:
        response = await client.request(method, path, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    user = await call(
        "POST", "/public/recipe/signup", json={"email": "a@b.c", "password": "pw"}
    )
    user_id = user["user"]["id"]
    await call(
        "POST", "/public/recipe/signin", json={"email": "a@b.c", "password": "pw"}
    )
    await call("PUT", "/recipe/user", json={"recipeUserId": user_id, "password": "pw2"})
    reset = {"userId": user_id, "email": "a@b.c"}
    for _ in range(2):
        made = await call(
            "POST", "/public/recipe/user/password/reset/token", json=reset
        )
    consume = "/public/recipe/user/password/reset/token/consume"
    await call("POST", consume, json={"token": made["token"]})
    await call("POST", consume, json={"token": made["token"]})
    new_session = {"userId": user_id, "enableAntiCsrf": True, "userDataInJWT": {}}
    session = await call(
        "POST", "/public/recipe/session", json={**new_session, "userDataInDatabase": {}}
    )
    refresh = {"enableAntiCsrf": True, "useDynamicSigningKey": True}
    refreshed = await call(
        "POST",
        "/recipe/session/refresh",
        json={
            **refresh,
            "refreshToken": session["refreshToken"]["token"],
            "antiCsrfToken": session["antiCsrfToken"],
        },
    )
    await call(
        "POST",
        "/recipe/session/verify",
        json={
            "accessToken": refreshed["accessToken"]["token"],
            "doAntiCsrfCheck": False,
            "enableAntiCsrf": True,
            "checkDatabase": True,
        },
    )
    await call(
        "POST",
        "/recipe/session/regenerate",
        json={
            "accessToken": refreshed["accessToken"]["token"],
            "userDataInJWT": {"a": 1},
        },
    )
    handle = session["session"]["handle"]
    await call("GET", "/recipe/session", params={"sessionHandle": handle})
    await call(
        "PUT",
        "/recipe/session/data",
        json={"sessionHandle": handle, "userDataInDatabase": {}},
    )
    await call(
        "PUT", "/recipe/jwt/data", json={"sessionHandle": handle, "userDataInJWT": {}}
    )
    await call("GET", "/public/recipe/session/user", params={"userId": user_id})
    await call("POST", "/recipe/session/remove", json={"sessionHandles": [handle]})
    await call("POST", "/public/recipe/session/remove", json={"userId": user_id})

    code = await call(
        "POST", "/public/recipe/signinup/code", json={"phoneNumber": "+14155552671"}
    )
    resent = await call(
        "POST", "/public/recipe/signinup/code", json={"deviceId": code["deviceId"]}
    )
    await call(
        "GET", "/public/recipe/signinup/codes", params={"phoneNumber": "+14155552671"}
    )
    await call(
        "GET", "/public/recipe/signinup/codes", params={"deviceId": code["deviceId"]}
    )
    device = {
        "preAuthSessionId": code["preAuthSessionId"],
        "deviceId": code["deviceId"],
    }
    await call(
        "POST",
        "/public/recipe/signinup/code/consume",
        json={**device, "userInputCode": "x"},
    )
    await call(
        "POST",
        "/public/recipe/signinup/code/check",
        json={**device, "userInputCode": "x"},
    )
    await call(
        "POST", "/public/recipe/signinup/code/remove", json={"codeId": resent["codeId"]}
    )
    consumed = await call(
        "POST",
        "/public/recipe/signinup/code/consume",
        json={**device, "userInputCode": code["userInputCode"]},
    )
    await call(
        "POST", "/public/recipe/signinup/codes/remove", json={"phoneNumber": "+1415"}
    )
    await call(
        "PUT",
        "/recipe/user",
        json={"recipeUserId": consumed["user"]["id"], "email": "p@b.c"},
        headers={"rid": "passwordless"},
    )

    await call(
        "POST",
        "/public/recipe/signinup",
        json={
            "thirdPartyId": "google",
            "thirdPartyUserId": "g1",
            "email": {"id": "a@b.c", "isVerified": True},
        },
    )
    await call(
        "PUT",
        "/recipe/user/metadata",
        json={"userId": user_id, "metadataUpdate": {"a": 1}},
    )
    await call("GET", "/recipe/user/metadata", params={"userId": user_id})
    await call("POST", "/recipe/user/metadata/remove", json={"userId": user_id})
    await call("GET", "/user/id", params={"userId": user_id})
    for union in ("true", "false"):
        await call(
            "GET",
            "/public/users/by-accountinfo",
            params={
                "email": "a@b.c",
                "phoneNumber": "+14155552671",
                "thirdPartyId": "google",
                "thirdPartyUserId": "g1",
                "doUnionOfAccountInfo": union,
            },
        )
    page = await call("GET", "/public/users", params={"limit": "1"})
    await call(
        "GET",
        "/public/users",
        params={
            "limit": "1",
            "paginationToken": page["nextPaginationToken"],
            "timeJoinedOrder": "DESC",
            "includeRecipeIds": "emailpassword,passwordless",
        },
    )
    await call("POST", "/user/remove", json={"userId": user_id})


async def test_every_statement_of_every_endpoint_uses_an_index() -> None:
    app = create_app(Settings(bcrypt_log_rounds=4))
    core = app.state.core
    await core.start()
    statements: list[str] = []
    try:
        await core.store.run(lambda conn: conn.set_trace_callback(statements.append))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://devcore"
        ) as client:
            await exercise_every_endpoint(client)

        def explain(conn: sqlite3.Connection) -> dict[str, list[str]]:
            conn.set_trace_callback(None)
            queries = {
                s for s in statements if re.match(r"\s*(SELECT|UPDATE|DELETE)", s)
            }
            return {
                q: [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + q)]
                for q in queries
            }

        plans = await core.store.run(explain)
    finally:
        await core.stop()

    assert len(plans) > 20  # the flows above did run their queries
    scans = {
        q: p for q, p in plans.items() if any(grows_with_data(q, step) for step in p)
    }
    assert scans == {}
