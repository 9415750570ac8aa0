"""Session recipe: create, verify, refresh (rotation + theft detection), regenerate, revoke.

The refresh-token chain follows the real core's CDI 5.4 rules:

* the session row stores ``hash2 = sha256(sha256(current refresh token))``;
* refreshing with the current token mints a *child* refresh token and an access token
  carrying ``parentRefreshTokenHash1``; the session is not changed yet;
* the child becomes current ("promotion") when it is used to refresh, or when its access
  token is verified against the core;
* using a refresh token that is neither current nor a child of current is reuse: the core
  answers ``TOKEN_THEFT_DETECTED`` and, as the real core at CDI 5.4, changes nothing:
  ending the session is the SDK's part (its default theft handler revokes it), so an app
  that handled theft without revoking would be seen to leave the session alive.

Access-token timestamps (``iat``/``exp``) come from the wall clock, because the SDK checks
them with its own clock; every expiry *check* devcore makes reads the store's clock.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from typing import Any

from .api import PUBLIC_TENANT, Call, JsonObject, Route
from .errors import BadRequest
from .keys import InvalidToken, pre_parse, sha256_hex

PROTECTED_PROPS = (
    "sub",
    "exp",
    "iat",
    "sessionHandle",
    "refreshTokenHash1",
    "parentRefreshTokenHash1",
    "antiCsrfToken",
    "tId",
    "rsub",
)


def _check_payload(payload: JsonObject) -> None:
    if any(prop in payload for prop in PROTECTED_PROPS):
        raise BadRequest("The user payload contains protected field")


def _tenant_of_handle(session_handle: str) -> str:
    parts = session_handle.split("_")
    return parts[1] if len(parts) > 1 else PUBLIC_TENANT


@dataclass(frozen=True)
class AccessTokenInfo:
    session_handle: str
    user_id: str
    recipe_user_id: str
    refresh_token_hash1: str
    parent_refresh_token_hash1: str | None
    anti_csrf_token: str | None
    expiry_ms: int
    tenant_id: str
    user_data: JsonObject


def read_access_token(
    call: Call, token: str, *, verified: bool = True
) -> AccessTokenInfo:
    """A v5 access token's contents, its structure checked (not its expiry), and its
    signature unless ``verified`` is false: as the real core, regenerating trusts the
    caller to have verified the token."""
    payload = call.core.keys.verify(token) if verified else pre_parse(token)[1]
    for prop in PROTECTED_PROPS:
        if prop not in payload:
            raise InvalidToken(
                "Access token does not contain all the information. "
                f"Maybe the structure has changed? {prop}"
            )
    strings = ("sub", "sessionHandle", "refreshTokenHash1", "tId", "rsub")
    if not all(isinstance(payload[p], str) for p in strings) or not isinstance(
        payload["exp"], int
    ):
        raise InvalidToken("Access token does not contain all the information.")
    parent = payload.get("parentRefreshTokenHash1")
    anti_csrf = payload.get("antiCsrfToken")
    return AccessTokenInfo(
        session_handle=payload["sessionHandle"],
        user_id=payload["sub"],
        recipe_user_id=payload["rsub"],
        refresh_token_hash1=payload["refreshTokenHash1"],
        parent_refresh_token_hash1=parent if isinstance(parent, str) else None,
        anti_csrf_token=anti_csrf if isinstance(anti_csrf, str) else None,
        expiry_ms=payload["exp"] * 1000,
        tenant_id=payload["tId"],
        user_data={k: v for k, v in payload.items() if k not in PROTECTED_PROPS},
    )


async def mint_access_token(
    call: Call,
    *,
    session_handle: str,
    user_id: str,
    recipe_user_id: str,
    tenant_id: str,
    refresh_token_hash1: str,
    parent_refresh_token_hash1: str | None,
    anti_csrf_token: str | None,
    user_data: JsonObject,
    static_key: bool,
    expiry_ms: int | None = None,
) -> JsonObject:
    """Sign a v5 access token (off the event loop) and describe it as the CDI does."""
    now_ms = int(time.time() * 1000)
    if expiry_ms is None:
        expiry_ms = now_ms + call.core.settings.access_token_validity_ms
    iat, exp = now_ms // 1000, expiry_ms // 1000
    payload = {
        "iat": iat,
        "exp": exp,
        "sub": user_id,
        "tId": tenant_id,
        "rsub": recipe_user_id,
        "sessionHandle": session_handle,
        "refreshTokenHash1": refresh_token_hash1,
        "parentRefreshTokenHash1": parent_refresh_token_hash1,
        "antiCsrfToken": anti_csrf_token,
        **user_data,
    }
    token = await asyncio.to_thread(call.core.keys.sign, payload, static=static_key)
    return {"token": token, "expiry": exp * 1000, "createdTime": iat * 1000}


def _new_refresh_token(
    call: Call,
    session_handle: str,
    user_id: str,
    parent_hash1: str | None,
    anti_csrf: str | None,
) -> str:
    return call.core.keys.seal(
        {
            "sessionHandle": session_handle,
            "userId": user_id,
            "parentRefreshTokenHash1": parent_hash1,
            "antiCsrfToken": anti_csrf,
        },
    )


def _session_json(
    session_handle: str,
    user_id: str,
    recipe_user_id: str,
    payload: JsonObject,
    tenant_id: str,
) -> JsonObject:
    return {
        "handle": session_handle,
        "userId": user_id,
        "recipeUserId": recipe_user_id,
        "userDataInJWT": payload,
        "tenantId": tenant_id,
    }


def _unauthorised(message: str) -> JsonObject:
    return {"status": "UNAUTHORISED", "message": message}


def _get_live_session(
    conn: sqlite3.Connection, session_handle: str, now_ms: int
) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM sessions WHERE session_handle = ?", (session_handle,)
    ).fetchone()
    if row is None or row["expires_at"] <= now_ms:
        return None
    return row


# -- POST /recipe/session -----------------------------------------------------------------


async def create_session(call: Call) -> JsonObject:
    user_id = call.string("userId")
    enable_anti_csrf = call.boolean("enableAntiCsrf")
    user_data = call.json_object("userDataInJWT")
    session_data = call.json_object("userDataInDatabase")
    tenant_id = call.tenant()
    static_key = call.optional_boolean("useDynamicSigningKey") is False
    _check_payload(user_data)

    session_handle = str(uuid.uuid4())
    if tenant_id != PUBLIC_TENANT:
        session_handle += f"_{tenant_id}"
    anti_csrf = str(uuid.uuid4()) if enable_anti_csrf else None
    refresh_token = _new_refresh_token(call, session_handle, user_id, None, anti_csrf)
    refresh_hash1 = sha256_hex(refresh_token)
    access_token = await mint_access_token(
        call,
        session_handle=session_handle,
        user_id=user_id,
        recipe_user_id=user_id,
        tenant_id=tenant_id,
        refresh_token_hash1=refresh_hash1,
        parent_refresh_token_hash1=None,
        anti_csrf_token=anti_csrf,
        user_data=user_data,
        static_key=static_key,
    )
    now_ms = call.core.store.now_ms()
    expiry_ms = now_ms + call.core.settings.refresh_token_validity_ms

    def insert(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO sessions (session_handle, tenant_id, user_id, refresh_token_hash2, "
            "session_data, jwt_payload, expires_at, created_at, use_static_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_handle,
                tenant_id,
                user_id,
                sha256_hex(refresh_hash1),
                json.dumps(session_data),
                json.dumps(user_data),
                expiry_ms,
                now_ms,
                int(static_key),
            ),
        )

    await call.core.store.run(insert)
    result: JsonObject = {
        "status": "OK",
        "session": _session_json(
            session_handle, user_id, user_id, user_data, tenant_id
        ),
        "accessToken": access_token,
        "refreshToken": {
            "token": refresh_token,
            "expiry": expiry_ms,
            "createdTime": now_ms,
        },
    }
    if anti_csrf is not None:
        result["antiCsrfToken"] = anti_csrf
    return result


# -- POST /recipe/session/verify ----------------------------------------------------------


async def verify_session(call: Call) -> JsonObject:
    token = call.string("accessToken")
    anti_csrf = call.optional_string("antiCsrfToken")
    do_anti_csrf_check = call.boolean("doAntiCsrfCheck")
    enable_anti_csrf = call.boolean("enableAntiCsrf")
    check_database = call.boolean("checkDatabase")
    call.app_wide()
    store = call.core.store

    try:
        info = read_access_token(call, token)
    except InvalidToken as e:
        return {"status": "TRY_REFRESH_TOKEN", "message": str(e)}
    if info.expiry_ms < store.now_ms():
        return {"status": "TRY_REFRESH_TOKEN", "message": "Access token expired"}
    if enable_anti_csrf and do_anti_csrf_check and anti_csrf != info.anti_csrf_token:
        return {"status": "TRY_REFRESH_TOKEN", "message": "anti-csrf check failed"}

    def check(conn: sqlite3.Connection) -> str | tuple[JsonObject, bool] | None:
        """None: the token stands; a message: unauthorised; else (payload, static key) to
        mint a replacement token with."""
        row = _get_live_session(conn, info.session_handle, store.now_ms())
        if row is None:
            if check_database:
                return "Either the session has ended or has been blacklisted"
            return (
                None
                if info.parent_refresh_token_hash1 is None
                else "Session missing in db"
            )
        stored: JsonObject = json.loads(row["jwt_payload"])
        payload_changed = check_database and stored != info.user_data
        if info.parent_refresh_token_hash1 is None and not payload_changed:
            return None
        promote = (
            info.parent_refresh_token_hash1 is not None
            and sha256_hex(info.parent_refresh_token_hash1)
            == row["refresh_token_hash2"]
        )
        if promote:
            conn.execute(
                "UPDATE sessions SET refresh_token_hash2 = ?, expires_at = ? "
                "WHERE session_handle = ?",
                (
                    sha256_hex(info.refresh_token_hash1),
                    store.now_ms() + call.core.settings.refresh_token_validity_ms,
                    info.session_handle,
                ),
            )
        current = sha256_hex(info.refresh_token_hash1) == row["refresh_token_hash2"]
        if promote or current or payload_changed:
            return stored, bool(row["use_static_key"])
        return None

    outcome = await store.run(check)
    if isinstance(outcome, str):
        return _unauthorised(outcome)
    if outcome is None:
        return {
            "status": "OK",
            "session": _session_json(
                info.session_handle,
                info.user_id,
                info.recipe_user_id,
                info.user_data,
                info.tenant_id,
            ),
        }
    stored_payload, static_key = outcome
    access_token = await mint_access_token(
        call,
        session_handle=info.session_handle,
        user_id=info.user_id,
        recipe_user_id=info.recipe_user_id,
        tenant_id=info.tenant_id,
        refresh_token_hash1=info.refresh_token_hash1,
        parent_refresh_token_hash1=None,
        anti_csrf_token=info.anti_csrf_token,
        user_data=stored_payload,
        static_key=static_key,
    )
    return {
        "status": "OK",
        "session": _session_json(
            info.session_handle,
            info.user_id,
            info.recipe_user_id,
            stored_payload,
            info.tenant_id,
        ),
        "accessToken": access_token,
    }


# -- POST /recipe/session/refresh ---------------------------------------------------------


async def refresh_session(call: Call) -> JsonObject:
    refresh_token = call.string("refreshToken")
    anti_csrf = call.optional_string("antiCsrfToken")
    enable_anti_csrf = call.boolean("enableAntiCsrf")
    use_dynamic_key = call.boolean("useDynamicSigningKey")
    call.app_wide()
    store = call.core.store
    settings = call.core.settings

    try:
        token_info = call.core.keys.unseal(refresh_token)
    except InvalidToken as e:
        return _unauthorised(str(e))
    session_handle = token_info["sessionHandle"]
    parent_hash1 = token_info.get("parentRefreshTokenHash1")
    token_anti_csrf = token_info.get("antiCsrfToken")
    if (
        enable_anti_csrf
        and token_anti_csrf is not None
        and token_anti_csrf != anti_csrf
    ):
        return _unauthorised("Anti CSRF token missing, or not matching")
    presented_hash1 = sha256_hex(refresh_token)

    def rotate(conn: sqlite3.Connection) -> tuple[str, sqlite3.Row | None]:
        """Return ("missing", None), ("theft", row) or ("rotate", row after promotion)."""
        now_ms = store.now_ms()
        row = _get_live_session(conn, session_handle, now_ms)
        if row is None:
            return "missing", None
        if row["refresh_token_hash2"] != sha256_hex(presented_hash1):
            if (
                parent_hash1 is None
                or sha256_hex(parent_hash1) != row["refresh_token_hash2"]
            ):
                return "theft", row
            conn.execute(
                "UPDATE sessions SET refresh_token_hash2 = ?, expires_at = ? "
                "WHERE session_handle = ?",
                (
                    sha256_hex(presented_hash1),
                    now_ms + settings.refresh_token_validity_ms,
                    session_handle,
                ),
            )
        conn.execute(
            "UPDATE sessions SET use_static_key = ? WHERE session_handle = ?",
            (int(not use_dynamic_key), session_handle),
        )
        return "rotate", _get_live_session(conn, session_handle, now_ms)

    outcome, row = await store.run(rotate)
    if outcome == "missing" or row is None:
        return _unauthorised("Session missing in db or has expired")
    if outcome == "theft":
        return {
            "status": "TOKEN_THEFT_DETECTED",
            "session": {
                "handle": session_handle,
                "userId": row["user_id"],
                "recipeUserId": row["user_id"],
            },
        }

    user_id, tenant_id = row["user_id"], row["tenant_id"]
    new_anti_csrf = str(uuid.uuid4()) if enable_anti_csrf else None
    new_refresh_token = _new_refresh_token(
        call, session_handle, user_id, presented_hash1, new_anti_csrf
    )
    user_data = json.loads(row["jwt_payload"])
    access_token = await mint_access_token(
        call,
        session_handle=session_handle,
        user_id=user_id,
        recipe_user_id=user_id,
        tenant_id=tenant_id,
        refresh_token_hash1=sha256_hex(new_refresh_token),
        parent_refresh_token_hash1=presented_hash1,
        anti_csrf_token=new_anti_csrf,
        user_data=user_data,
        static_key=not use_dynamic_key,
    )
    now_ms = store.now_ms()
    result: JsonObject = {
        "status": "OK",
        "session": _session_json(
            session_handle, user_id, user_id, user_data, tenant_id
        ),
        "accessToken": access_token,
        "refreshToken": {
            "token": new_refresh_token,
            "expiry": now_ms + settings.refresh_token_validity_ms,
            "createdTime": now_ms,
        },
    }
    if new_anti_csrf is not None:
        result["antiCsrfToken"] = new_anti_csrf
    return result


# -- POST /recipe/session/regenerate ------------------------------------------------------


async def regenerate_session(call: Call) -> JsonObject:
    token = call.string("accessToken")
    new_payload = call.optional_json_object("userDataInJWT")
    call.app_wide()
    store = call.core.store
    try:
        info = read_access_token(call, token, verified=False)
    except InvalidToken as e:
        return _unauthorised(str(e))
    if new_payload is not None:
        _check_payload(new_payload)

    def update(conn: sqlite3.Connection) -> tuple[JsonObject, bool] | None:
        row = _get_live_session(conn, info.session_handle, store.now_ms())
        if row is None:
            return None
        payload = (
            new_payload if new_payload is not None else json.loads(row["jwt_payload"])
        )
        conn.execute(
            "UPDATE sessions SET jwt_payload = ? WHERE session_handle = ?",
            (json.dumps(payload), info.session_handle),
        )
        return payload, bool(row["use_static_key"])

    updated = await store.run(update)
    if updated is None:
        return _unauthorised("Session does not exist.")
    payload, static_key = updated
    result: JsonObject = {
        "status": "OK",
        "session": _session_json(
            info.session_handle,
            info.user_id,
            info.recipe_user_id,
            payload,
            info.tenant_id,
        ),
    }
    if info.expiry_ms >= store.now_ms():
        # An expired token gets no replacement: the client must refresh anyway.
        result["accessToken"] = await mint_access_token(
            call,
            session_handle=info.session_handle,
            user_id=info.user_id,
            recipe_user_id=info.recipe_user_id,
            tenant_id=info.tenant_id,
            refresh_token_hash1=info.refresh_token_hash1,
            parent_refresh_token_hash1=info.parent_refresh_token_hash1,
            anti_csrf_token=info.anti_csrf_token,
            user_data=payload,
            static_key=static_key,
            expiry_ms=info.expiry_ms,
        )
    return result


# -- GET /recipe/session ------------------------------------------------------------------


async def get_session_info(call: Call) -> JsonObject:
    session_handle = call.param("sessionHandle")
    call.app_wide()
    store = call.core.store
    row = await store.run(
        lambda conn: _get_live_session(conn, session_handle, store.now_ms())
    )
    if row is None:
        return _unauthorised("Session does not exist.")
    return {
        "status": "OK",
        "sessionHandle": row["session_handle"],
        "userId": row["user_id"],
        "recipeUserId": row["user_id"],
        "userDataInDatabase": json.loads(row["session_data"]),
        "expiry": row["expires_at"],
        "userDataInJWT": json.loads(row["jwt_payload"]),
        "timeCreated": row["created_at"],
        "tenantId": _tenant_of_handle(row["session_handle"]),
    }


# -- PUT /recipe/session/data and PUT /recipe/jwt/data ------------------------------------


async def _update_session(call: Call, sql: str, value: JsonObject) -> JsonObject:
    session_handle = call.string("sessionHandle")
    store = call.core.store

    def update(conn: sqlite3.Connection) -> bool:
        if _get_live_session(conn, session_handle, store.now_ms()) is None:
            return False
        conn.execute(sql, (json.dumps(value), session_handle))
        return True

    if not await store.run(update):
        return _unauthorised("Session does not exist.")
    return {"status": "OK"}


async def update_session_data(call: Call) -> JsonObject:
    call.string("sessionHandle")
    data = call.json_object("userDataInDatabase")
    call.app_wide()
    sql = "UPDATE sessions SET session_data = ? WHERE session_handle = ?"
    return await _update_session(call, sql, data)


async def update_jwt_data(call: Call) -> JsonObject:
    call.string("sessionHandle")
    payload = call.json_object("userDataInJWT")
    call.app_wide()
    _check_payload(payload)
    sql = "UPDATE sessions SET jwt_payload = ? WHERE session_handle = ?"
    return await _update_session(call, sql, payload)


# -- POST /recipe/session/remove ----------------------------------------------------------


async def remove_sessions(call: Call) -> JsonObject:
    user_id = call.optional_string("userId")
    handles = call.optional_string_list("sessionHandles")
    if (user_id is None) == (handles is None):
        raise BadRequest(
            "Invalid JSON input - use one of userId or sessionHandles array"
        )
    across_tenants = call.optional_boolean("revokeAcrossAllTenants")
    if user_id is None and across_tenants is not None:
        raise BadRequest(
            "Invalid JSON input - revokeAcrossAllTenants can only be set if userId is set"
        )
    linked = call.optional_boolean("revokeSessionsForLinkedAccounts")
    if user_id is None and linked is not None:
        raise BadRequest(
            "Invalid JSON input - revokeSessionsForLinkedAccounts can only be set if userId is set"
        )
    store = call.core.store

    if user_id is not None:
        if across_tenants is False:
            tenant_id: str | None = call.tenant()
        else:
            call.app_wide()
            tenant_id = None

        def revoke_for_user(conn: sqlite3.Connection) -> list[str]:
            handles_found = _live_handles_for_user(
                conn, user_id, tenant_id, store.now_ms()
            )
            conn.executemany(
                "DELETE FROM sessions WHERE session_handle = ?",
                [(h,) for h in handles_found],
            )
            return handles_found

        revoked = await store.run(revoke_for_user)
    else:
        assert handles is not None

        def revoke_handles(conn: sqlite3.Connection) -> list[str]:
            return [
                h
                for h in dict.fromkeys(handles)
                if conn.execute(
                    "DELETE FROM sessions WHERE session_handle = ?", (h,)
                ).rowcount
            ]

        revoked = await store.run(revoke_handles)
    return {"status": "OK", "sessionHandlesRevoked": revoked}


def _live_handles_for_user(
    conn: sqlite3.Connection, user_id: str, tenant_id: str | None, now_ms: int
) -> list[str]:
    sql = "SELECT session_handle FROM sessions WHERE user_id = ? AND expires_at >= ?"
    params: tuple[Any, ...] = (user_id, now_ms)
    if tenant_id is not None:
        sql += " AND tenant_id = ?"
        params = (*params, tenant_id)
    return [row[0] for row in conn.execute(sql + " ORDER BY created_at", params)]


# -- GET /recipe/session/user -------------------------------------------------------------


async def list_sessions_for_user(call: Call) -> JsonObject:
    user_id = call.param("userId")
    across = (call.optional_param("fetchAcrossAllTenants") or "true").lower() == "true"
    call.optional_param("fetchSessionsForAllLinkedAccounts")
    if across:
        call.app_wide()
        tenant_id: str | None = None
    else:
        tenant_id = call.tenant()
    store = call.core.store
    handles = await store.run(
        lambda conn: _live_handles_for_user(conn, user_id, tenant_id, store.now_ms())
    )
    return {"status": "OK", "sessionHandles": handles}


# -- JWKS ---------------------------------------------------------------------------------


async def jwks(call: Call) -> JsonObject:
    return call.core.keys.jwks()


ROUTES = [
    Route("POST", "/recipe/session", create_session),
    Route("GET", "/recipe/session", get_session_info),
    Route("POST", "/recipe/session/verify", verify_session),
    Route("POST", "/recipe/session/refresh", refresh_session),
    Route("POST", "/recipe/session/regenerate", regenerate_session),
    Route("PUT", "/recipe/session/data", update_session_data),
    Route("PUT", "/recipe/jwt/data", update_jwt_data),
    Route("POST", "/recipe/session/remove", remove_sessions),
    Route("GET", "/recipe/session/user", list_sessions_for_user),
    Route("GET", "/.well-known/jwks.json", jwks, needs_api_key=False, versioned=False),
    Route("GET", "/recipe/jwt/jwks", jwks),
]
