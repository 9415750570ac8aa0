"""Signing keys, access-token JWTs and sealed refresh tokens.

Access tokens are RS256 JWTs (PyJWT) whose ``kid`` says which key signed them: ``d-...``
for the dynamic key and ``s-...`` for the static one, which is how the SDK tells them
apart. The public halves are served as a JWKS so the SDK verifies tokens locally.

Refresh tokens are opaque to everyone but the core: a small JSON payload sealed with
AES-GCM (``cryptography``), so the core can read a token's session and parent without a
lookup table. Keys live in the store, so a ``--db`` restart keeps old tokens valid.
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
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


def _new_key(prefix: str) -> tuple[SigningKey, str]:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return SigningKey(f"{prefix}-{uuid.uuid4()}", private_key), pem


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
                key, pem = _new_key(prefix)
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
        """Check a v5 access token's signature and return its payload (expiry is not checked)."""
        try:
            header = jwt.get_unverified_header(token)
        except Exception as e:  # PyJWT's errors, or anything odd in a forged header
            raise InvalidToken(str(e)) from None
        kid = header.get("kid")
        key = self._by_kid.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise InvalidToken("Key not found")
        if header.get("version") != ACCESS_TOKEN_VERSION:
            raise InvalidToken("Access token version is not supported")
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key.public_key,
                algorithms=["RS256"],
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except Exception:
            raise InvalidToken("JWT verification failed") from None
        return payload

    # -- refresh tokens -----------------------------------------------------------------

    def seal(self, payload: dict[str, Any]) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, json.dumps(payload).encode("utf-8"), None)
        return f"{_b64url(sealed)}.{_b64url(nonce)}.V2"

    def unseal(self, token: str) -> dict[str, Any]:
        parts = token.split(".")
        if len(parts) != 3 or parts[2] != "V2":
            raise InvalidToken("Invalid refresh token")
        try:
            plain = self._aead.decrypt(_unb64url(parts[1]), _unb64url(parts[0]), None)
            payload = json.loads(plain)
        except Exception:  # any tampering or garbage reads as one thing: not ours
            raise InvalidToken("Invalid refresh token") from None
        if not isinstance(payload, dict):
            raise InvalidToken("Invalid refresh token")
        return payload
