"""Email/password recipe: sign up, sign in, change email or password, reset a password.

Passwords are hashed with bcrypt (cost from settings, default 11 as the real core) on a
worker thread, and only the hash is stored. As with the real core's bcrypt, only the
first 72 bytes of a password count.

Password reset works as in the real core:

* a token is made for any existing user id, with the email it is for; its form is the
  real core's (the base64 of 96 random hex digits, less ``=``, ``/`` and ``+``: 128
  URL-safe characters) and the core keeps only its SHA-256;
* it lives for the configured lifetime (default one hour);
* consuming a token, even an expired one, deletes every token of its user, so a token
  is single-use and an older link dies with it; an unknown, used or expired token is
  ``RESET_PASSWORD_INVALID_TOKEN_ERROR``. Consuming changes no password: the SDK then
  sets it with ``PUT /recipe/user``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import sqlite3
import uuid

import bcrypt

from .api import Call, JsonObject, Route
from .errors import BadRequest
from .users import find_user, get_user, normalise_email, user_json

BCRYPT_MAX_BYTES = 72
RESET_TOKEN_RANDOM_BYTES = 48  # 96 hex digits


def hash_password(password: str, rounds: int) -> str:
    secret = password.encode("utf-8")[:BCRYPT_MAX_BYTES]
    return bcrypt.hashpw(secret, bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    secret = password.encode("utf-8")[:BCRYPT_MAX_BYTES]
    return bcrypt.checkpw(secret, password_hash.encode("ascii"))


def _password(call: Call) -> str:
    """A sign-up's password; an update takes any string, even empty, as the real core."""
    password = call.string("password")
    if password == "":
        raise BadRequest("Password cannot be an empty string")
    return password


def _email_taken(conn: sqlite3.Connection, tenant_id: str, email: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM users WHERE tenant_id = ? AND recipe_id = 'emailpassword' AND email = ?",
        (tenant_id, email),
    ).fetchone()
    return row is not None


# -- POST /recipe/signup ------------------------------------------------------------------


async def sign_up(call: Call) -> JsonObject:
    email = normalise_email(call.string("email"))
    password = _password(call)
    tenant_id = call.tenant()
    store = call.core.store

    # Checked before hashing so a duplicate costs no bcrypt round; the unique index
    # still decides races between concurrent sign-ups.
    if await store.run(lambda conn: _email_taken(conn, tenant_id, email)):
        return {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
    password_hash = await asyncio.to_thread(
        hash_password, password, call.core.settings.bcrypt_log_rounds
    )
    user_id = str(uuid.uuid4())

    def insert(conn: sqlite3.Connection) -> sqlite3.Row | None:
        try:
            conn.execute(
                "INSERT INTO users (user_id, tenant_id, recipe_id, time_joined, email, "
                "password_hash) VALUES (?, ?, 'emailpassword', ?, ?, ?)",
                (user_id, tenant_id, store.now_ms(), email, password_hash),
            )
        except sqlite3.IntegrityError:
            return None
        return get_user(conn, user_id)

    row = await store.run(insert)
    if row is None:
        return {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
    return {"status": "OK", "user": user_json(row), "recipeUserId": user_id}


# -- POST /recipe/signin ------------------------------------------------------------------


async def sign_in(call: Call) -> JsonObject:
    email = normalise_email(call.string("email"))
    password = call.string("password")
    tenant_id = call.tenant()

    def lookup(conn: sqlite3.Connection) -> tuple[sqlite3.Row, str] | None:
        where = "u.tenant_id = ? AND u.recipe_id = 'emailpassword' AND u.email = ?"
        row = find_user(conn, where, (tenant_id, email))
        if row is None:
            return None
        password_hash = conn.execute(
            "SELECT password_hash FROM users WHERE user_id = ?", (row["user_id"],)
        ).fetchone()[0]
        return row, password_hash

    found = await call.core.store.run(lookup)
    if found is None:
        return {"status": "WRONG_CREDENTIALS_ERROR"}
    row, password_hash = found
    if not await asyncio.to_thread(check_password, password, password_hash):
        return {"status": "WRONG_CREDENTIALS_ERROR"}
    return {"status": "OK", "user": user_json(row), "recipeUserId": row["user_id"]}


# -- PUT /recipe/user (rId: emailpassword) ------------------------------------------------


async def update_user(call: Call) -> JsonObject:
    user_id = call.string("recipeUserId")
    email = call.optional_string("email")
    password = call.optional_string("password")
    if email is None and password is None:
        raise BadRequest("You have to provide either email or password.")
    call.app_wide()
    password_hash = None
    if password is not None:
        password_hash = await asyncio.to_thread(
            hash_password, password, call.core.settings.bcrypt_log_rounds
        )

    def update(conn: sqlite3.Connection) -> str:
        row = conn.execute(
            "SELECT tenant_id FROM users WHERE user_id = ? AND recipe_id = 'emailpassword'",
            (user_id,),
        ).fetchone()
        if row is None:
            return "UNKNOWN_USER_ID_ERROR"
        if email is not None:
            try:
                conn.execute(
                    "UPDATE users SET email = ? WHERE user_id = ?",
                    (normalise_email(email), user_id),
                )
            except sqlite3.IntegrityError:
                return "EMAIL_ALREADY_EXISTS_ERROR"
        if password_hash is not None:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE user_id = ?",
                (password_hash, user_id),
            )
        return "OK"

    return {"status": await call.core.store.run(update)}


# -- POST /recipe/user/password/reset/token ----------------------------------------------


def new_reset_token() -> str:
    """A token of the real core's form: URL-safe, at most 128 characters."""
    hex_digits = secrets.token_bytes(RESET_TOKEN_RANDOM_BYTES).hex()
    encoded = base64.b64encode(hex_digits.encode("ascii")).decode("ascii")
    return encoded.replace("=", "").replace("/", "").replace("+", "")


def reset_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create_reset_token(call: Call) -> JsonObject:
    user_id = call.string("userId")
    call.tenant()
    store = call.core.store
    lifetime = call.core.settings.password_reset_token_lifetime

    def create(conn: sqlite3.Connection) -> str | None:
        user = conn.execute(
            "SELECT 1 FROM users WHERE user_id = ?", (user_id,)
        ).fetchone()
        if user is None:
            return None
        # As the real core: the email is read only once the user is known to exist.
        email = call.string("email")
        while True:
            token = new_reset_token()
            try:
                conn.execute(
                    "INSERT INTO password_reset_tokens (token_hash, user_id, email, expires_at) "
                    "VALUES (?, ?, ?, ?)",
                    (
                        reset_token_hash(token),
                        user_id,
                        email,
                        store.now_ms() + lifetime,
                    ),
                )
            except sqlite3.IntegrityError:  # the same 384 random bits twice: try again
                continue
            return token

    token = await store.run(create)
    if token is None:
        return {"status": "UNKNOWN_USER_ID_ERROR"}
    return {"status": "OK", "token": token}


# -- POST /recipe/user/password/reset/token/consume --------------------------------------


async def consume_reset_token(call: Call) -> JsonObject:
    token_hash = reset_token_hash(call.string("token"))
    call.tenant()
    store = call.core.store

    def consume(conn: sqlite3.Connection) -> JsonObject:
        row = conn.execute(
            "SELECT user_id, email, expires_at FROM password_reset_tokens WHERE token_hash = ?",
            (token_hash,),
        ).fetchone()
        if row is None:
            return {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}
        # Every token of the user goes, whether this one is still valid or not.
        conn.execute(
            "DELETE FROM password_reset_tokens WHERE user_id = ?", (row["user_id"],)
        )
        if row["expires_at"] < store.now_ms():
            return {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}
        return {"status": "OK", "userId": row["user_id"], "email": row["email"]}

    return await store.run(consume)


ROUTES = [
    Route("POST", "/recipe/signup", sign_up),
    Route("POST", "/recipe/signin", sign_in),
    Route("PUT", "/recipe/user", update_user, rid="emailpassword"),
    Route("POST", "/recipe/user/password/reset/token", create_reset_token),
    Route("POST", "/recipe/user/password/reset/token/consume", consume_reset_token),
]
