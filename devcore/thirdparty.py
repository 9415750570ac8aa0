"""Third-party recipe: sign in or up with a provider's user id and email.

The provider exchange itself happens in the SDK; the core only records who the user is.
As in the real core, a returning user's email follows the provider's, and an email the
provider vouches for (``isVerified``) is marked verified.
"""

from __future__ import annotations

import sqlite3
import uuid

from .api import Call, JsonObject, Route
from .errors import invalid_field
from .users import find_user, get_user, normalise_email, user_json


async def sign_in_up(call: Call) -> JsonObject:
    third_party_id = call.string("thirdPartyId")
    third_party_user_id = call.string("thirdPartyUserId")
    email_object = call.json_object("email")
    email = email_object.get("id")
    is_verified = email_object.get("isVerified")
    if not isinstance(email, str):
        raise invalid_field("id")
    if not isinstance(is_verified, bool):
        raise invalid_field("isVerified")
    email = normalise_email(email)
    tenant_id = call.tenant()
    store = call.core.store

    def sign_in_up_tx(conn: sqlite3.Connection) -> tuple[bool, sqlite3.Row]:
        where = (
            "u.tenant_id = ? AND u.recipe_id = 'thirdparty' "
            "AND u.third_party_id = ? AND u.third_party_user_id = ?"
        )
        existing = find_user(
            conn, where, (tenant_id, third_party_id, third_party_user_id)
        )
        if existing is None:
            user_id = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO users (user_id, tenant_id, recipe_id, time_joined, email, "
                "third_party_id, third_party_user_id) VALUES (?, ?, 'thirdparty', ?, ?, ?, ?)",
                (
                    user_id,
                    tenant_id,
                    store.now_ms(),
                    email,
                    third_party_id,
                    third_party_user_id,
                ),
            )
        else:
            user_id = existing["user_id"]
            if existing["email"] != email:
                conn.execute(
                    "UPDATE users SET email = ? WHERE user_id = ?", (email, user_id)
                )
        if is_verified:
            conn.execute(
                "INSERT OR IGNORE INTO verified_emails (user_id, email) VALUES (?, ?)",
                (user_id, email),
            )
        row = get_user(conn, user_id)
        assert row is not None
        return existing is None, row

    created, row = await store.run(sign_in_up_tx)
    return {
        "status": "OK",
        "createdNewUser": created,
        "user": user_json(row),
        "recipeUserId": row["user_id"],
    }


ROUTES = [Route("POST", "/recipe/signinup", sign_in_up)]
