"""Users of every recipe, in the CDI 5.4 user shape, and the app-wide user APIs.

devcore does no account linking, so each user has exactly one login method and is never
a primary user; a user's id is also its recipe user id.
"""

from __future__ import annotations

import base64
import binascii
import sqlite3
from typing import Any

from .api import Call, JsonObject, Route
from .errors import BadRequest

# ``verified`` as the real core computes it: phone-only passwordless users are verified;
# everyone else is verified when their email is in the email-verification table.
# Queries below add constant SQL fragments to this (never input: values are always bound),
# hence their ``noqa: S608``.
USER_COLUMNS = """
    u.user_id, u.tenant_id, u.recipe_id, u.time_joined, u.email, u.phone_number,
    u.third_party_id, u.third_party_user_id,
    CASE
        WHEN u.email IS NULL THEN 1
        ELSE EXISTS (
            SELECT 1 FROM verified_emails v WHERE v.user_id = u.user_id AND v.email = u.email
        )
    END AS verified
"""

RECIPE_IDS = ("emailpassword", "thirdparty", "passwordless")


def user_json(row: sqlite3.Row) -> JsonObject:
    """A user row as the real core's ``AuthRecipeUserInfo.toJson`` renders it."""
    login_method: JsonObject = {
        "tenantIds": [row["tenant_id"]],
        "recipeUserId": row["user_id"],
        "verified": bool(row["verified"]),
        "timeJoined": row["time_joined"],
        "recipeId": row["recipe_id"],
    }
    third_party: list[JsonObject] = []
    if row["email"] is not None:
        login_method["email"] = row["email"]
    if row["phone_number"] is not None:
        login_method["phoneNumber"] = row["phone_number"]
    if row["third_party_id"] is not None:
        login_method["thirdParty"] = {
            "id": row["third_party_id"],
            "userId": row["third_party_user_id"],
        }
        third_party.append(login_method["thirdParty"])
    return {
        "id": row["user_id"],
        "isPrimaryUser": False,
        "tenantIds": [row["tenant_id"]],
        "timeJoined": row["time_joined"],
        "emails": [row["email"]] if row["email"] is not None else [],
        "phoneNumbers": [row["phone_number"]]
        if row["phone_number"] is not None
        else [],
        "thirdParty": third_party,
        "webauthn": {"credentialIds": []},
        "loginMethods": [login_method],
    }


def find_users(
    conn: sqlite3.Connection, where: str, params: tuple[Any, ...]
) -> list[sqlite3.Row]:
    sql = f"SELECT {USER_COLUMNS} FROM users u WHERE {where}"  # noqa: S608
    return conn.execute(sql, params).fetchall()


def find_user(
    conn: sqlite3.Connection, where: str, params: tuple[Any, ...]
) -> sqlite3.Row | None:
    rows = find_users(conn, where, params)
    return rows[0] if rows else None


def get_user(conn: sqlite3.Connection, user_id: str) -> sqlite3.Row | None:
    return find_user(conn, "u.user_id = ?", (user_id,))


def delete_user_data(conn: sqlite3.Connection, user_id: str) -> None:
    """Remove a user and everything keyed by its id (sessions, metadata, verified emails,
    password reset tokens)."""
    conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
    conn.execute("DELETE FROM verified_emails WHERE user_id = ?", (user_id,))
    conn.execute("DELETE FROM password_reset_tokens WHERE user_id = ?", (user_id,))
    conn.execute("DELETE FROM user_metadata WHERE user_id = ?", (user_id,))
    conn.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))


def normalise_email(email: str) -> str:
    """As the real core: surrounding spaces dropped, lower-cased."""
    return email.strip().lower()


def normalise_phone_number(phone_number: str) -> str:
    """As the real core: E.164 when the number parses, else the trimmed input.

    A number already in E.164 is stored exactly as given.
    """
    import phonenumbers  # deferred: its metadata is only needed for passwordless calls

    trimmed = phone_number.strip()
    try:
        parsed = phonenumbers.parse(trimmed, None)
    except phonenumbers.NumberParseException:
        return trimmed
    formatted: str = phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.E164
    )
    return formatted


# -- GET /user/id -------------------------------------------------------------------------


async def get_user_by_id(call: Call) -> JsonObject:
    user_id = call.param("userId")
    call.app_wide()
    row = await call.core.store.run(lambda conn: get_user(conn, user_id))
    if row is None:
        return {"status": "UNKNOWN_USER_ID_ERROR"}
    return {"status": "OK", "user": user_json(row)}


# -- GET /users/by-accountinfo ------------------------------------------------------------


async def list_users_by_account_info(call: Call) -> JsonObject:
    email = call.optional_param("email")
    phone_number = call.optional_param("phoneNumber")
    third_party_id = call.optional_param("thirdPartyId")
    third_party_user_id = call.optional_param("thirdPartyUserId")
    union = call.param("doUnionOfAccountInfo")
    if union not in ("true", "false"):
        raise BadRequest("'doUnionOfAccountInfo' should be either 'true' or 'false'")
    if (third_party_id is None) != (third_party_user_id is None):
        raise BadRequest(
            "If 'thirdPartyId' is provided, 'thirdPartyUserId' must also be provided, "
            "and vice versa"
        )
    tenant_id = call.tenant()
    # One indexed lookup per piece of account info, combined here: an OR inside one query
    # would make SQLite scan every user of the tenant.
    lookups: list[tuple[str, tuple[Any, ...]]] = []
    if email is not None:
        lookups.append(
            ("u.tenant_id = ? AND u.email = ?", (tenant_id, normalise_email(email)))
        )
    if phone_number is not None:
        phone = normalise_phone_number(phone_number)
        lookups.append(("u.tenant_id = ? AND u.phone_number = ?", (tenant_id, phone)))
    if third_party_id is not None:
        lookups.append(
            (
                "u.tenant_id = ? AND u.recipe_id = 'thirdparty' "
                "AND u.third_party_id = ? AND u.third_party_user_id = ?",
                (tenant_id, third_party_id, third_party_user_id),
            )
        )
    if not lookups:
        return {"status": "OK", "users": []}

    def query(conn: sqlite3.Connection) -> list[sqlite3.Row]:
        found = [
            {row["user_id"]: row for row in find_users(conn, where, params)}
            for where, params in lookups
        ]
        if union == "true":
            matches = {user_id: row for rows in found for user_id, row in rows.items()}
        else:
            matches = {
                k: v for k, v in found[0].items() if all(k in rows for rows in found)
            }
        return sorted(
            matches.values(), key=lambda row: (row["time_joined"], row["user_id"])
        )

    rows = await call.core.store.run(query)
    return {"status": "OK", "users": [user_json(row) for row in rows]}


# -- GET /users ---------------------------------------------------------------------------


def _recipe_ids(call: Call) -> list[str]:
    raw = call.optional_param("includeRecipeIds") or ""
    recipe_ids = [r.strip() for r in raw.split(",") if r.strip()]
    for recipe_id in recipe_ids:
        if recipe_id not in RECIPE_IDS:
            raise BadRequest(f"Unknown recipe ID: {recipe_id}")
    return recipe_ids


def _encode_pagination_token(row: sqlite3.Row) -> str:
    return base64.b64encode(f"{row['user_id']};{row['time_joined']}".encode()).decode()


def _decode_pagination_token(token: str) -> tuple[str, int]:
    try:
        user_id, time_joined = (
            base64.b64decode(token, validate=True).decode().split(";")
        )
        if not 0 <= int(time_joined) < 2**63:
            raise ValueError(time_joined)
        return user_id, int(time_joined)
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        raise BadRequest("invalid pagination token") from None


async def list_users(call: Call) -> JsonObject:
    order = call.optional_param("timeJoinedOrder") or "ASC"
    if order not in ("ASC", "DESC"):
        raise BadRequest("timeJoinedOrder can be either ASC OR DESC")
    limit = call.optional_int_param("limit") or 100
    if limit > 500:
        raise BadRequest("max limit allowed is 500")
    if limit < 1:
        raise BadRequest("limit must a positive integer with min value 1")
    recipe_ids = _recipe_ids(call)
    token = call.optional_param("paginationToken")
    after = _decode_pagination_token(token) if token else None
    tenant_id = call.tenant()

    conditions = ["u.tenant_id = ?"]
    params: list[Any] = [tenant_id]
    if recipe_ids:
        conditions.append(f"u.recipe_id IN ({', '.join('?' * len(recipe_ids))})")
        params.extend(recipe_ids)
    if after is not None:
        comparison = ">" if order == "ASC" else "<"
        conditions.append(f"(u.time_joined, u.user_id) {comparison} (?, ?)")
        params.extend((after[1], after[0]))

    def query(conn: sqlite3.Connection) -> list[sqlite3.Row]:
        sql = (
            f"SELECT {USER_COLUMNS} FROM users u WHERE {' AND '.join(conditions)} "  # noqa: S608
            f"ORDER BY u.time_joined {order}, u.user_id {order} LIMIT ?"
        )
        return conn.execute(sql, (*params, limit + 1)).fetchall()

    rows = await call.core.store.run(query)
    result: JsonObject = {
        "status": "OK",
        "users": [user_json(row) for row in rows[:limit]],
    }
    if len(rows) > limit:
        result["nextPaginationToken"] = _encode_pagination_token(rows[limit - 1])
    return result


# -- GET /users/count ---------------------------------------------------------------------


async def count_users(call: Call) -> JsonObject:
    recipe_ids = _recipe_ids(call)
    call.tenant()
    sql = "SELECT COUNT(*) FROM users"
    params: tuple[str, ...] = ()
    if recipe_ids:
        sql += f" WHERE recipe_id IN ({', '.join('?' * len(recipe_ids))})"
        params = tuple(recipe_ids)

    count = await call.core.store.run(
        lambda conn: conn.execute(sql, params).fetchone()[0]
    )
    return {"status": "OK", "count": count}


# -- POST /user/remove --------------------------------------------------------------------


async def remove_user(call: Call) -> JsonObject:
    user_id = call.string("userId")
    call.optional_boolean("removeAllLinkedAccounts")
    call.app_wide()

    await call.core.store.run(lambda conn: delete_user_data(conn, user_id))
    return {"status": "OK"}


ROUTES = [
    Route("GET", "/user/id", get_user_by_id),
    Route("GET", "/users/by-accountinfo", list_users_by_account_info),
    Route("GET", "/users", list_users),
    Route("GET", "/users/count", count_users),
    Route("POST", "/user/remove", remove_user),
]
