"""Passwordless recipe: codes sent by SMS or email, checked and consumed by the core.

A *device* is one sign-in attempt for one email or phone number; it may have several
codes (a resend creates a new code for the same device). The scheme is the real core's:

* ``deviceId`` is 32 random bytes (standard base64) held by the client; the core stores
  only ``preAuthSessionId = base64url(sha256(deviceId))``;
* each code's ``linkCode`` is ``HMAC-SHA256(deviceId + salt, userInputCode)``, and the
  core stores only its SHA-256, so a stolen database reveals no usable code;
* the user input code is six decimal digits;
* a wrong or expired code counts against the device; at the configured maximum
  (default 5) the device is deleted and the answer is ``RESTART_FLOW_ERROR``;
* a consumed code ends every device of that email/phone number, so codes are single-use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from .api import Call, JsonObject, Route
from .errors import BadRequest
from .users import (
    find_user,
    get_user,
    normalise_email,
    normalise_phone_number,
    user_json,
)

USER_INPUT_CODE_DIGITS = 6

_DEVICES = "SELECT * FROM passwordless_devices WHERE tenant_id = ? AND "
_DEVICES_BY = {
    "device_id_hash": _DEVICES + "device_id_hash = ?",
    "email": _DEVICES + "email = ?",
    "phone_number": _DEVICES + "phone_number = ?",
}
_DELETE_DEVICES_BY = {
    "email": "DELETE FROM passwordless_devices WHERE tenant_id = ? AND email = ?",
    "phone_number": "DELETE FROM passwordless_devices WHERE tenant_id = ? AND phone_number = ?",
}
_UPDATE_USER = {
    "email": "UPDATE users SET email = ? WHERE user_id = ?",
    "phone_number": "UPDATE users SET phone_number = ? WHERE user_id = ?",
}
_STD_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_URL_BASE64 = re.compile(r"[A-Za-z0-9_-]*={0,2}")


def _b64url(data: bytes, *, padded: bool = False) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if padded else text.rstrip("=")


def _decode(value: str, source: str, *, url_safe: bool) -> bytes:
    """Decode base64 (padding optional) or answer as the real core: an encoding error."""
    pattern = _URL_BASE64 if url_safe else _STD_BASE64
    try:
        if not pattern.fullmatch(value):
            raise ValueError(value)
        unpadded = value.rstrip("=")
        padded = unpadded + "=" * (-len(unpadded) % 4)
        if url_safe:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (ValueError, binascii.Error):
        raise BadRequest(f"Input encoding error in {source}") from None


def _device_id_hash(device_id: bytes) -> str:
    return _b64url(hashlib.sha256(device_id).digest())


def _link_code(device_id: bytes, salt: bytes, user_input_code: str) -> bytes:
    return hmac.new(
        device_id + salt, user_input_code.encode("utf-8"), hashlib.sha256
    ).digest()


def _link_code_hash(link_code: bytes) -> str:
    return _b64url(hashlib.sha256(link_code).digest(), padded=True)


def _generate_user_input_code() -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(USER_INPUT_CODE_DIGITS))


@dataclass(frozen=True)
class NewCode:
    code_id: str
    user_input_code: str
    link_code: str
    link_code_hash: str


def _new_code(device_id: bytes, salt: bytes, user_input_code: str | None) -> NewCode:
    code = (
        user_input_code if user_input_code is not None else _generate_user_input_code()
    )
    link_code = _link_code(device_id, salt, code)
    return NewCode(
        str(uuid.uuid4()), code, _b64url(link_code), _link_code_hash(link_code)
    )


def _device_json(device: sqlite3.Row) -> JsonObject:
    result: JsonObject = {
        "preAuthSessionId": device["device_id_hash"],
        "failedCodeInputAttemptCount": device["failed_attempts"],
    }
    if device["email"] is not None:
        result["email"] = device["email"]
    if device["phone_number"] is not None:
        result["phoneNumber"] = device["phone_number"]
    return result


def _get_device(
    conn: sqlite3.Connection, tenant_id: str, device_id_hash: str
) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        _DEVICES_BY["device_id_hash"], (tenant_id, device_id_hash)
    ).fetchone()
    return row


def _delete_devices_of(
    conn: sqlite3.Connection, tenant_id: str, device: sqlite3.Row
) -> None:
    column = "email" if device["email"] is not None else "phone_number"
    conn.execute(_DELETE_DEVICES_BY[column], (tenant_id, device[column]))


# -- POST /recipe/signinup/code -----------------------------------------------------------


async def create_code(call: Call) -> JsonObject:
    email = normalise_email(call.string("email")) if call.has("email") else None
    phone_number = call.optional_string("phoneNumber")
    if phone_number is not None:
        phone_number = normalise_phone_number(phone_number)
    device_id = call.optional_string("deviceId")
    if sum(v is not None for v in (email, phone_number, device_id)) != 1:
        raise BadRequest("Please provide exactly one of email, phoneNumber or deviceId")
    user_input_code = call.optional_string("userInputCode")
    if user_input_code == "":
        raise BadRequest("userInputCode cannot be an empty string.")
    tenant_id = call.tenant()
    store = call.core.store

    if device_id is None:
        device_bytes, salt = os.urandom(32), os.urandom(32)
        device_id = base64.b64encode(device_bytes).decode("ascii")
    else:
        device_bytes, salt = _decode(device_id, "deviceId", url_safe=False), b""
    device_id_hash = _device_id_hash(device_bytes)
    now_ms = store.now_ms()

    def create(conn: sqlite3.Connection) -> NewCode | str:
        if email is not None or phone_number is not None:
            conn.execute(
                "INSERT INTO passwordless_devices (device_id_hash, tenant_id, email, "
                "phone_number, link_code_salt) VALUES (?, ?, ?, ?, ?)",
                (
                    device_id_hash,
                    tenant_id,
                    email,
                    phone_number,
                    base64.b64encode(salt).decode(),
                ),
            )
            device_salt = salt
        else:
            device = _get_device(conn, tenant_id, device_id_hash)
            if device is None:
                return "RESTART_FLOW_ERROR"
            device_salt = base64.b64decode(device["link_code_salt"])
        while True:
            code = _new_code(device_bytes, device_salt, user_input_code)
            try:
                conn.execute(
                    "INSERT INTO passwordless_codes (code_id, device_id_hash, link_code_hash, "
                    "created_at) VALUES (?, ?, ?, ?)",
                    (code.code_id, device_id_hash, code.link_code_hash, now_ms),
                )
            except sqlite3.IntegrityError:
                # Only possible when this device already has a code with the same digits.
                if user_input_code is not None:
                    return "USER_INPUT_CODE_ALREADY_USED_ERROR"
                continue
            return code

    outcome = await store.run(create)
    if isinstance(outcome, str):
        return {"status": outcome}
    return {
        "status": "OK",
        "preAuthSessionId": device_id_hash,
        "codeId": outcome.code_id,
        "deviceId": device_id,
        "userInputCode": outcome.user_input_code,
        "linkCode": outcome.link_code,
        "timeCreated": now_ms,
        "codeLifetime": call.core.settings.passwordless_code_lifetime,
    }


# -- POST /recipe/signinup/code/check and /consume ----------------------------------------


@dataclass(frozen=True)
class _CodeInput:
    pre_auth_session_id: str
    device_id: bytes | None
    user_input_code: str | None
    link_code: bytes | None


def _read_code_input(call: Call) -> _CodeInput:
    pre_auth_session_id = call.string("preAuthSessionId")
    exactly_one = "Please provide exactly one of linkCode or deviceId+userInputCode"
    if call.has("linkCode"):
        if call.has("userInputCode") or call.has("deviceId"):
            raise BadRequest(exactly_one)
        link_code = _decode(call.string("linkCode"), "linkCode", url_safe=True)
        return _CodeInput(pre_auth_session_id, None, None, link_code)
    if call.has("userInputCode") and call.has("deviceId"):
        device_id = call.string("deviceId")
        user_input_code = call.string("userInputCode")
        return _CodeInput(
            pre_auth_session_id,
            _decode(device_id, "deviceId", url_safe=False),
            user_input_code,
            None,
        )
    raise BadRequest(exactly_one)


def _check_code(
    conn: sqlite3.Connection,
    call: Call,
    tenant_id: str,
    given: _CodeInput,
    consume: bool,
) -> JsonObject | sqlite3.Row:
    """Check a code inside a transaction: the device row on success, else the error answer."""
    settings = call.core.settings
    max_attempts = settings.passwordless_max_code_input_attempts
    now_ms = call.core.store.now_ms()
    lifetime = settings.passwordless_code_lifetime
    restart: JsonObject = {"status": "RESTART_FLOW_ERROR"}

    if given.link_code is not None:
        link_code_hash = _link_code_hash(given.link_code)
        code = conn.execute(
            "SELECT * FROM passwordless_codes WHERE link_code_hash = ?",
            (link_code_hash,),
        ).fetchone()
        if code is None or code["created_at"] < now_ms - lifetime:
            return restart
        device_id_hash = code["device_id_hash"]
    else:
        assert given.device_id is not None and given.user_input_code is not None
        device_id_hash = _device_id_hash(given.device_id)
        device = _get_device(conn, tenant_id, device_id_hash)
        if device is None:
            return restart
        salt = base64.b64decode(device["link_code_salt"])
        link_code_hash = _link_code_hash(
            _link_code(given.device_id, salt, given.user_input_code)
        )

    if device_id_hash != given.pre_auth_session_id.replace("=", ""):
        raise BadRequest("preAuthSessionId and deviceId doesn't match")

    device = _get_device(conn, tenant_id, device_id_hash)
    if device is None:
        return restart
    delete_device = "DELETE FROM passwordless_devices WHERE device_id_hash = ?"
    if device["failed_attempts"] >= max_attempts:
        conn.execute(delete_device, (device_id_hash,))
        return restart
    code = conn.execute(
        "SELECT * FROM passwordless_codes WHERE link_code_hash = ? AND device_id_hash = ?",
        (link_code_hash, device_id_hash),
    ).fetchone()
    if code is None or code["created_at"] < now_ms - lifetime:
        if given.link_code is not None:
            return restart
        failed = device["failed_attempts"] + 1
        if failed >= max_attempts:
            conn.execute(delete_device, (device_id_hash,))
            return restart
        conn.execute(
            "UPDATE passwordless_devices SET failed_attempts = ? WHERE device_id_hash = ?",
            (failed, device_id_hash),
        )
        status = (
            "INCORRECT_USER_INPUT_CODE_ERROR"
            if code is None
            else "EXPIRED_USER_INPUT_CODE_ERROR"
        )
        return {
            "status": status,
            "failedCodeInputAttemptCount": failed,
            "maximumCodeInputAttempts": max_attempts,
        }
    if consume:
        _delete_devices_of(conn, tenant_id, device)
    return device


async def check_code(call: Call) -> JsonObject:
    given = _read_code_input(call)
    tenant_id = call.tenant()
    outcome = await call.core.store.run(
        lambda conn: _check_code(conn, call, tenant_id, given, consume=False)
    )
    if isinstance(outcome, dict):
        return outcome
    return {"status": "OK", "consumedDevice": _device_json(outcome)}


async def consume_code(call: Call) -> JsonObject:
    given = _read_code_input(call)
    tenant_id = call.tenant()
    store = call.core.store

    def consume(conn: sqlite3.Connection) -> JsonObject:
        outcome = _check_code(conn, call, tenant_id, given, consume=True)
        if isinstance(outcome, dict):
            return outcome
        device = outcome
        column = "email" if device["email"] is not None else "phone_number"
        where = f"u.tenant_id = ? AND u.recipe_id = 'passwordless' AND u.{column} = ?"
        user = find_user(conn, where, (tenant_id, device[column]))
        created = user is None
        if user is None:
            user_id = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO users (user_id, tenant_id, recipe_id, time_joined, email, "
                "phone_number) VALUES (?, ?, 'passwordless', ?, ?, ?)",
                (
                    user_id,
                    tenant_id,
                    store.now_ms(),
                    device["email"],
                    device["phone_number"],
                ),
            )
            user = get_user(conn, user_id)
            assert user is not None
        return {
            "status": "OK",
            "createdNewUser": created,
            "user": user_json(user),
            "recipeUserId": user["user_id"],
            "consumedDevice": _device_json(device),
        }

    return await store.run(consume)


# -- GET /recipe/signinup/codes -----------------------------------------------------------


async def list_codes(call: Call) -> JsonObject:
    email = call.optional_param("email")
    phone_number = call.optional_param("phoneNumber")
    if phone_number is not None:
        phone_number = normalise_phone_number(phone_number)
    device_id = call.optional_param("deviceId")
    pre_auth_session_id = call.optional_param("preAuthSessionId")
    if (
        sum(
            v is not None for v in (email, phone_number, device_id, pre_auth_session_id)
        )
        != 1
    ):
        raise BadRequest(
            "Please provide exactly one of email, phoneNumber, deviceId or preAuthSessionId"
        )
    tenant_id = call.tenant()
    if device_id is not None:
        pre_auth_session_id = _device_id_hash(
            _decode(device_id, "deviceId", url_safe=False)
        )
    value: str | None
    if pre_auth_session_id is not None:
        column, value = "device_id_hash", pre_auth_session_id
    elif email is not None:
        column, value = "email", normalise_email(email)
    else:
        column, value = "phone_number", phone_number
    lifetime = call.core.settings.passwordless_code_lifetime

    def query(conn: sqlite3.Connection) -> list[JsonObject]:
        devices: list[JsonObject] = []
        for device in conn.execute(_DEVICES_BY[column], (tenant_id, value)).fetchall():
            codes = conn.execute(
                "SELECT code_id, created_at FROM passwordless_codes WHERE device_id_hash = ? "
                "ORDER BY created_at",
                (device["device_id_hash"],),
            ).fetchall()
            devices.append(
                {
                    **_device_json(device),
                    "codes": [
                        {
                            "codeId": c["code_id"],
                            "timeCreated": c["created_at"],
                            "codeLifetime": lifetime,
                        }
                        for c in codes
                    ],
                }
            )
        return devices

    return {"status": "OK", "devices": await call.core.store.run(query)}


# -- POST /recipe/signinup/code/remove and /codes/remove ----------------------------------


async def remove_code(call: Call) -> JsonObject:
    code_id = call.optional_string("codeId")
    pre_auth_session_id = call.optional_string("preAuthSessionId")
    if code_id is None and pre_auth_session_id is None:
        raise BadRequest("Please provide either 'codeId' or 'preAuthSessionId'")
    if code_id is not None and pre_auth_session_id is not None:
        raise BadRequest("Please provide only one of 'codeId' or 'preAuthSessionId'")
    tenant_id = call.tenant()

    def remove(conn: sqlite3.Connection) -> None:
        device_id_hash: Any = pre_auth_session_id
        if code_id is not None:
            row = conn.execute(
                "SELECT device_id_hash FROM passwordless_codes WHERE code_id = ?",
                (code_id,),
            ).fetchone()
            if row is None:
                return
            conn.execute("DELETE FROM passwordless_codes WHERE code_id = ?", (code_id,))
            device_id_hash = row[0]
            remaining = conn.execute(
                "SELECT 1 FROM passwordless_codes WHERE device_id_hash = ? LIMIT 1",
                (device_id_hash,),
            ).fetchone()
            if remaining is not None:
                return
        conn.execute(
            "DELETE FROM passwordless_devices WHERE tenant_id = ? AND device_id_hash = ?",
            (tenant_id, device_id_hash),
        )

    await call.core.store.run(remove)
    return {"status": "OK"}


async def remove_codes(call: Call) -> JsonObject:
    email = call.optional_string("email")
    phone_number = call.optional_string("phoneNumber")
    if (email is None) == (phone_number is None):
        raise BadRequest("Please provide exactly one of email or phoneNumber")
    tenant_id = call.tenant()
    if email is not None:
        sql, value = _DELETE_DEVICES_BY["email"], normalise_email(email)
    else:
        sql, value = (
            _DELETE_DEVICES_BY["phone_number"],
            normalise_phone_number(phone_number or ""),
        )
    await call.core.store.run(lambda conn: conn.execute(sql, (tenant_id, value)))
    return {"status": "OK"}


# -- PUT /recipe/user (rId: passwordless) -------------------------------------------------


async def update_user(call: Call) -> JsonObject:
    user_id = call.string("recipeUserId")
    body = call.body()
    updates: dict[str, str | None] = {}
    if "email" in body:
        email = call.optional_string("email", null_allowed=True)
        updates["email"] = normalise_email(email) if email is not None else None
    if "phoneNumber" in body:
        phone = call.optional_string("phoneNumber", null_allowed=True)
        updates["phone_number"] = (
            normalise_phone_number(phone) if phone is not None else None
        )
    call.app_wide()

    def update(conn: sqlite3.Connection) -> None:
        row = conn.execute(
            "SELECT email, phone_number FROM users WHERE user_id = ? "
            "AND recipe_id = 'passwordless'",
            (user_id,),
        ).fetchone()
        if row is None:
            raise _Refused("UNKNOWN_USER_ID_ERROR")
        merged = {"email": row["email"], "phone_number": row["phone_number"], **updates}
        if merged["email"] is None and merged["phone_number"] is None:
            raise BadRequest("You cannot clear both email and phone number of a user")
        for column, value in updates.items():
            try:
                conn.execute(_UPDATE_USER[column], (value, user_id))
            except sqlite3.IntegrityError:
                # Raising rolls back the whole update, including a column already changed.
                raise _Refused(
                    "EMAIL_ALREADY_EXISTS_ERROR"
                    if column == "email"
                    else "PHONE_NUMBER_ALREADY_EXISTS_ERROR"
                ) from None

    try:
        await call.core.store.run(update)
    except _Refused as refused:
        return {"status": refused.status}
    return {"status": "OK"}


class _Refused(Exception):
    """An update the core declines with a status answer (its transaction is rolled back)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


ROUTES = [
    Route("POST", "/recipe/signinup/code", create_code),
    Route("POST", "/recipe/signinup/code/check", check_code),
    Route("POST", "/recipe/signinup/code/consume", consume_code),
    Route("GET", "/recipe/signinup/codes", list_codes),
    Route("POST", "/recipe/signinup/code/remove", remove_code),
    Route("POST", "/recipe/signinup/codes/remove", remove_codes),
    Route("PUT", "/recipe/user", update_user, rid="passwordless"),
]
