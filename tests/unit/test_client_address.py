"""The client address the per-client limit counts: the peer, unless the app's own
proxies say otherwise, and never what a client wrote in a header itself."""

from __future__ import annotations

import pytest
from starlette.requests import Request
from supertokens_python.framework.fastapi.fastapi_request import FastApiRequest

from core.additions.send_limits.client_address import (
    UNKNOWN,
    client_address,
    counted_client,
)

PEER = "192.0.2.10"


@pytest.mark.parametrize(
    ("hops", "forwarded_for", "counted"),
    [
        (0, [], PEER),
        (0, ["198.51.100.7"], PEER),  # no proxy: a header is a client's own words
        (1, ["198.51.100.7"], "198.51.100.7"),
        (1, ["203.0.113.66, 198.51.100.7"], "198.51.100.7"),  # the client wrote one
        (2, ["203.0.113.66, 198.51.100.7, 192.0.2.99"], "198.51.100.7"),
        (2, ["203.0.113.66", "198.51.100.7, 192.0.2.99"], "198.51.100.7"),  # 2 lines
        (1, [], PEER),  # reached without the proxy
        (2, ["198.51.100.7"], PEER),  # fewer entries than proxies
    ],
)
def test_the_client_is_the_entry_as_many_hops_from_the_right_as_there_are_proxies(
    hops: int, forwarded_for: list[str], counted: str
) -> None:
    assert counted_client(PEER, forwarded_for, hops) == counted


@pytest.mark.parametrize(
    "forwarded_for",
    [
        "not an address",
        "",
        ",,,",
        "198.51.100.7:4711",
        "198.51.100.7, 999.1.1.1",
        "x" * 10_000,
        "\u0661\u0669\u0668.51.100.7",  # digits of another script
    ],
)
def test_a_malformed_entry_counts_the_peer(forwarded_for: str) -> None:
    assert counted_client(PEER, [forwarded_for], 1) == PEER


def test_an_ipv6_client_is_counted_by_its_64_network() -> None:
    one, other = "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"

    assert counted_client(one, [], 0) == "2001:db8:1:2::/64"
    assert counted_client(other, [], 0) == counted_client(one, [], 0)
    assert counted_client(PEER, [other], 1) == "2001:db8:1:2::/64"
    assert counted_client("::ffff:198.51.100.7", [], 0) == "198.51.100.7"


@pytest.mark.parametrize("peer", [None, ""])
def test_requests_without_a_peer_share_one_count(peer: str | None) -> None:
    assert counted_client(peer, ["198.51.100.7"], 0) == UNKNOWN


def test_a_peer_that_is_not_an_address_is_counted_as_it_is() -> None:
    assert counted_client("/run/app.sock", [], 0) == "/run/app.sock"


def starlette_request(
    client: tuple[str, int] | None, *forwarded: str
) -> FastApiRequest:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return FastApiRequest(
        Request({"type": "http", "headers": headers, "client": client})
    )


def test_the_peer_and_every_header_line_are_read_from_the_framework() -> None:
    request = starlette_request((PEER, 5000), "203.0.113.66", "198.51.100.7")

    assert client_address(request, 0) == PEER
    assert client_address(request, 1) == "198.51.100.7"
    assert client_address(request, 2) == "203.0.113.66"


def test_a_server_that_names_no_peer_counts_as_unknown() -> None:
    assert client_address(starlette_request(None, "198.51.100.7"), 0) == UNKNOWN
