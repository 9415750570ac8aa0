"""Which client a request came from, as the per-client limit counts it.

The client is the peer of the connection, unless proxies stand in front of the app:
then the peer is the nearest proxy, and the client is in ``X-Forwarded-For``, to which
each proxy appends the address it was called from. A client can send that header
itself, with anything in it, so only the entries the app's own proxies appended are
believed: ``TRUSTED_PROXY_HOPS`` says how many proxies there are, and the client is
the entry that many from the right. With ``0`` (no proxy, the default) the header is
never read, so a forged one gets no fresh count. Should the entry be missing (fewer
entries than proxies) or not be an address, the peer is counted instead: a fault of
the proxies' setup shares one count, it never lets a client choose its own.

An IPv6 client is counted by its /64 network, which one subscriber is usually given
whole: each address in it would otherwise be a fresh client.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from supertokens_python.framework import BaseRequest

UNKNOWN = "unknown"
"""The client of requests whose server names no peer: they share one count."""


def client_address(request: BaseRequest, trusted_proxy_hops: int) -> str:
    """The client of ``request``, which the SDK wraps around the framework's own."""
    peer, forwarded_for = peer_and_forwarded_for(request.request)
    return counted_client(peer, forwarded_for, trusted_proxy_hops)


def peer_and_forwarded_for(framework_request: Any) -> tuple[str | None, list[str]]:
    """The peer address, and each ``X-Forwarded-For`` header line, as the framework
    has them: Django in ``META`` (under ASGI too), Flask and Starlette as attributes."""
    meta = getattr(framework_request, "META", None)
    if meta is not None:
        forwarded: str | None = meta.get("HTTP_X_FORWARDED_FOR")  # lines comma-joined
        peer: str | None = meta.get("REMOTE_ADDR")
        return peer, [] if forwarded is None else [forwarded]
    lines: list[str] = framework_request.headers.getlist("X-Forwarded-For")
    if hasattr(framework_request, "remote_addr"):  # Flask
        return framework_request.remote_addr, lines
    client = framework_request.client  # Starlette: None if the server names no peer
    return None if client is None else client.host, lines


def counted_client(
    peer: str | None, forwarded_for: list[str], trusted_proxy_hops: int
) -> str:
    """The header's entry the outermost of the app's proxies wrote, if it is an
    address; else the peer's: never one that the client alone chose."""
    entries = [entry.strip() for line in forwarded_for for entry in line.split(",")]
    if 0 < trusted_proxy_hops <= len(entries):
        believed = as_counted(entries[-trusted_proxy_hops])
        if believed is not None:
            return believed
    if not peer:
        return UNKNOWN
    return as_counted(peer) or peer  # not an address (a socket's path): as it is


def as_counted(address: str) -> str | None:
    """``address`` as one client: an IPv4 address or an IPv6 /64 (None: no address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
