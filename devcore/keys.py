"""Signing keys, access-token JWTs and sealed refresh tokens.

Access tokens are RS256 JWTs (PyJWT) whose ``kid`` says which key signed them: ``d-...``
for the dynamic key and ``s-...`` for the static one, which is how the SDK tells them
apart. As the real core names them: the dynamic key by the millisecond it was made, the
static one by a UUID. The public halves are served as a JWKS so the SDK verifies tokens
locally.

Refresh tokens are opaque to everyone but the core: a small JSON payload sealed with
AES-GCM (``cryptography``), so the core can read a token's session and parent without a
lookup table. Their form is the real core's, ``<standard base64>.<64 hex digits>.V2``
(the sealed payload with its IV, a nonce the payload repeats, a version), so ``+``,
``/`` and ``=`` appear in them as they do in the real core's: whatever carries a token
(a cookie, a header) must carry those. Keys live in the store, so a ``--db`` restart
keeps old tokens valid.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwt.algorithms import RSAAlgorithm

ACCESS_TOKEN_VERSION = "5"  # noqa: S105 - a format version, not a secret


class InvalidToken(Exception):
    """A token that is malformed, forged, or signed by an unknown key."""


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    def jwk(self) -> dict[str, Any]:
        """The public key as the real core's JWKS lists it (no ``key_ops``)."""
        numbers: dict[str, Any] = RSAAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {
            "kty": "RSA",
            "kid": self.kid,
            "n": numbers["n"],
            "e": numbers["e"],
            "alg": "RS256",
            "use": "sig",
        }


def _new_key(prefix: str, now_ms: int) -> tuple[SigningKey, str]:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    name = str(now_ms) if prefix == "d" else str(uuid.uuid4())
    return SigningKey(f"{prefix}-{name}", private_key), pem


def _load_key(kid: str, pem: str) -> SigningKey:
    private_key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    assert isinstance(private_key, rsa.RSAPrivateKey)
    return SigningKey(kid, private_key)


class Keys:
    """The keys of one devcore instance."""

    def __init__(
        self, dynamic: SigningKey, static: SigningKey, refresh_key: bytes
    ) -> None:
        self.dynamic = dynamic
        self.static = static
        self._by_kid = {dynamic.kid: dynamic, static.kid: static}
        self._aead = AESGCM(refresh_key)

    @classmethod
    def load_or_create(cls, conn: sqlite3.Connection, now_ms: int) -> Keys:
        """Read the keys from the store, creating (and saving) any that are missing."""
        found = {
            row["kid"][:1]: _load_key(row["kid"], row["private_pem"])
            for row in conn.execute("SELECT kid, private_pem FROM signing_keys")
        }
        for prefix in ("d", "s"):
            if prefix not in found:
                key, pem = _new_key(prefix, now_ms)
                conn.execute(
                    "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?)",
                    (key.kid, pem, now_ms),
                )
                found[prefix] = key
        row = conn.execute(
            "SELECT value FROM meta WHERE name = 'refresh_token_key'"
        ).fetchone()
        if row is None:
            refresh_key = AESGCM.generate_key(bit_length=256)
            conn.execute(
                "INSERT INTO meta (name, value) VALUES ('refresh_token_key', ?)",
                (_b64url(refresh_key),),
            )
        else:
            refresh_key = _unb64url(row["value"])
        return cls(found["d"], found["s"], refresh_key)

    # -- access tokens ------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.dynamic.jwk(), self.static.jwk()]}

    def sign(self, payload: dict[str, Any], *, static: bool) -> str:
        key = self.static if static else self.dynamic
        return jwt.encode(
            payload,
            key.private_key,
            algorithm="RS256",
            headers={"kid": key.kid, "version": ACCESS_TOKEN_VERSION},
        )

    def verify(self, token: str) -> dict[str, Any]:
        """Check a v5 access token's structure and signature and return its payload (expiry
        is not checked), refusing as the real core does and in its words."""
        header, _ = pre_parse(token)
        key = self._by_kid.get(header["kid"])
        if key is None:
            raise InvalidToken("Key not found")
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key.public_key,
                algorithms=["RS256"],
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except Exception:
            raise InvalidToken(_JWT_EXCEPTION + "JWT verification failed") from None
        if (
            header.get("version") != ACCESS_TOKEN_VERSION
        ):  # only reachable with our own key
            raise InvalidToken("Access token version is not supported")
        return payload

    # -- refresh tokens -----------------------------------------------------------------

    def seal(self, payload: dict[str, Any]) -> str:
        """A refresh token carrying ``payload`` (plus the nonce it is checked against)."""
        nonce = hashlib.sha256(str(uuid.uuid4()).encode("ascii")).hexdigest()
        iv = os.urandom(12)
        # Compact, nulls left out: the real core's tokens are as long for the same session.
        fields = {k: v for k, v in {**payload, "nonce": nonce}.items() if v is not None}
        plain = json.dumps(fields, separators=(",", ":")).encode("utf-8")
        sealed = base64.b64encode(iv + self._aead.encrypt(iv, plain, None)).decode(
            "ascii"
        )
        return f"{sealed}.{nonce}.V2"

    def unseal(self, token: str) -> dict[str, Any]:
        """The payload of a refresh token this core made, or InvalidToken in the words the
        real core uses for the same fault (the SDK logs them)."""
        parts = _split(token)
        if parts[-1].upper() not in ("V0", "V1", "V2"):
            raise InvalidToken(
                _REFRESH_FORMAT + "version of refresh token not recognised"
            )
        if len(parts) != 3:
            raise InvalidToken(
                _REFRESH_FORMAT
                + f"Refresh token split with dot yielded an array of length: "
                f"{len(parts)}"
            )
        sealed = _java_base64_decode(parts[0])
        if len(sealed) < 12:
            raise InvalidToken("java.nio.BufferUnderflowException")
        try:
            payload = json.loads(self._aead.decrypt(sealed[:12], sealed[12:], None))
        except Exception:  # any tampering or garbage reads as one thing: not ours
            raise InvalidToken(
                "javax.crypto.AEADBadTagException: Tag mismatch"
            ) from None
        if (
            not isinstance(payload, dict)
            or payload.get("nonce") != parts[1]
            or payload.get("sessionHandle") is None
            or payload.get("userId") is None
        ):
            raise InvalidToken("Invalid refresh token")
        return payload


_JWT_EXCEPTION = "io.supertokens.session.jwt.JWT$JWTException: "


def _split(token: str) -> list[str]:
    """``token.split(".")`` as Java's String.split does it: trailing empty parts dropped."""
    parts = token.split(".")
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return parts


def _json_segment(segment: str) -> dict[str, Any]:
    """A JWT segment as a JSON object (either base64 alphabet, as the real core reads it)."""
    try:
        decoded = base64.b64decode(
            segment.replace("-", "+").replace("_", "/") + "=" * (-len(segment) % 4),
            validate=True,
        )
        value = json.loads(decoded)
    except ValueError:  # binascii.Error and JSONDecodeError are ValueErrors
        value = None
    if not isinstance(value, dict):
        # The real core answers 500 here (an exception it does not catch); devcore keeps
        # to a refusal, as it never answers 500 to input.
        raise InvalidToken(_JWT_EXCEPTION + "Invalid JWT")
    return value


def pre_parse(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload of a v3+ access token, structure checked but not its
    signature (what the real core checks first, in its order and words)."""
    parts = _split(token)
    if len(parts) != 3:
        raise InvalidToken(_JWT_EXCEPTION + "Invalid JWT")
    header = _json_segment(parts[0])
    expected = {"typ": "JWT", "alg": "RS256"}
    for name, value in expected.items():
        if name not in header:
            raise InvalidToken(_JWT_EXCEPTION + f"JWT header missing - {name}")
        if header[name] != value:
            raise InvalidToken(_JWT_EXCEPTION + f"JWT header mismatch - {name}")
    version = header.get("version", ACCESS_TOKEN_VERSION)
    if not isinstance(version, str) or version in ("1", "2"):
        raise InvalidToken(_JWT_EXCEPTION + "JWT header mismatch - version")
    if "kid" not in header:
        raise InvalidToken(_JWT_EXCEPTION + "JWT header missing - kid")
    if not isinstance(header["kid"], str):
        raise InvalidToken(_JWT_EXCEPTION + "JWT header mismatch - kid")
    return header, _json_segment(parts[1])


_REFRESH_FORMAT = "io.supertokens.session.refreshToken.RefreshToken$InvalidRefreshTokenFormatException: "
_ILLEGAL_ARGUMENT = "java.lang.IllegalArgumentException: "
_BASE64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _java_base64_decode(text: str) -> bytes:
    """Standard base64 as the real core (Java) decodes it, padding optional; its message
    for a character outside the alphabet, such as the ``%`` of a percent-encoded token."""
    unpadded = text.rstrip("=")
    for char in unpadded:
        if char not in _BASE64:
            raise InvalidToken(
                _ILLEGAL_ARGUMENT + f"Illegal base64 character {ord(char):x}"
            )
    if len(unpadded) == 1:
        raise InvalidToken(
            _ILLEGAL_ARGUMENT
            + "Input byte[] should at least have 2 bytes for base64 bytes"
        )
    if len(unpadded) % 4 == 1:
        raise InvalidToken(
            _ILLEGAL_ARGUMENT + "Last unit does not have enough valid bits"
        )
    return base64.b64decode(unpadded + "=" * (-len(unpadded) % 4))
