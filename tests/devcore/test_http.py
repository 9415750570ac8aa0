"""Raw CDI requests: bad input gets a 4xx with the real core's wording and changes nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devcore.testing import RunningDevcore, running_devcore

API_KEY = "test-api-key-0123456789"


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDevcore]:
    db = tmp_path_factory.mktemp("http") / "core.db"
    with running_devcore(db=db, bcrypt_log_rounds=4) as running:
        yield running


@pytest.fixture(scope="module")
def client(core: RunningDevcore) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=core.uri, headers={"cdi-version": "5.4"}) as http:
        yield http


def snapshot(core: RunningDevcore) -> dict[str, list[Any]]:
    """Every stored row, read from the database file by a second connection."""
    assert core.settings.db is not None
    with sqlite3.connect(core.settings.db) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")))  # noqa: S608
            for t in tables
        }


def refused(response: httpx.Response, status: int, message: str) -> None:
    assert (response.status_code, response.text.strip()) == (status, message)
    assert (
        response.headers["content-type"] == "text/html;charset=UTF-8"
    )  # as the real core


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'"text"',
        b"{",
        b'{"email": NaN}',
        b"\xff\xfe",
        # An unpaired surrogate could be neither stored nor sent back as UTF-8.
        b'{"email": "\\ud800@example.com", "password": "pw"}',
    ],
)
def test_malformed_json_is_invalid_json_input(
    client: httpx.Client, body: bytes
) -> None:
    response = client.post("/public/recipe/signup", content=body)

    refused(response, 400, "Invalid Json Input")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/public/recipe/signup", {"password": "pw"}, "email"),
        ("/public/recipe/signup", {"email": 42, "password": "pw"}, "email"),
        ("/public/recipe/signup", {"email": "a@b.c", "password": None}, "password"),
        (
            "/public/recipe/session",
            {"userId": "u", "enableAntiCsrf": "yes"},
            "enableAntiCsrf",
        ),
        (
            "/public/recipe/session",
            {"userId": "u", "enableAntiCsrf": False, "userDataInJWT": []},
            "userDataInJWT",
        ),
        ("/recipe/session/refresh", {"refreshToken": ["x"]}, "refreshToken"),
        (
            "/public/recipe/signinup/code/consume",
            {"preAuthSessionId": 1},
            "preAuthSessionId",
        ),
        ("/public/recipe/user/password/reset/token", {"email": "a@b.c"}, "userId"),
        (
            "/public/recipe/user/password/reset/token",
            {"userId": ["u"], "email": "a@b.c"},
            "userId",
        ),
        ("/public/recipe/user/password/reset/token/consume", {}, "token"),
        ("/public/recipe/user/password/reset/token/consume", {"token": 5}, "token"),
        ("/public/recipe/user/password/reset/token/consume", {"token": None}, "token"),
    ],
)
def test_missing_or_wrong_typed_fields_are_named(
    client: httpx.Client, path: str, body: dict[str, Any], field: str
) -> None:
    response = client.post(path, json=body)

    refused(response, 400, f"Field name '{field}' is invalid in JSON input")


def test_missing_query_parameter(client: httpx.Client) -> None:
    refused(
        client.get("/recipe/user/metadata"),
        400,
        "Field name 'userId' is missing in GET request",
    )


def test_unknown_tenant_or_app(client: httpx.Client) -> None:
    body = {"email": "a@b.c", "password": "pw"}
    not_found = (
        "AppId or tenantId not found => Tenant with the following connectionURIDomain, "
    )
    not_found += "appId and tenantId combination not found: "

    refused(
        client.post("/t1/recipe/signup", json=body), 400, not_found + "(, public, t1)"
    )
    refused(
        client.post("/appid-a1/recipe/signup", json=body),
        400,
        not_found + "(, a1, public)",
    )
    refused(
        client.get("/t1/recipe/user/metadata", params={"userId": "u"}),
        403,
        "Only public tenantId can call this app specific API",
    )


def test_unknown_path_and_method(client: httpx.Client) -> None:
    refused(client.get("/no/such/api"), 404, "Not found")
    refused(client.delete("/recipe/session"), 405, "Method not supported")


def test_unsupported_cdi_version(client: httpx.Client) -> None:
    response = client.get(
        "/user/id", params={"userId": "u"}, headers={"cdi-version": "9.9"}
    )

    refused(response, 400, "cdi-version 9.9 not supported")


def test_api_version_hello_and_tenant_paths(client: httpx.Client) -> None:
    assert client.get("/apiversion").json() == {"versions": ["5.4"]}
    assert client.get("/hello").text.strip() == "Hello"
    assert client.get("/").text.strip() == "Hello"
    tenant = client.get("/public/recipe/multitenancy/tenant/v2").json()
    assert tenant["status"] == "OK" and tenant["tenantId"] == "public"
    assert client.get("/t1/recipe/multitenancy/tenant/v2").json() == {
        "status": "TENANT_NOT_FOUND_ERROR"
    }


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/public/recipe/session",
            {
                "userId": "u",
                "enableAntiCsrf": False,
                "userDataInJWT": {"sub": "admin"},
                "userDataInDatabase": {},
            },
            "The user payload contains protected field",
        ),
        (
            "/public/recipe/signup",
            {"email": "a@b.c", "password": ""},
            "Password cannot be an empty string",
        ),
        (
            "/public/recipe/signinup/code",
            {"email": "a@b.c", "phoneNumber": "+14155552671"},
            "Please provide exactly one of email, phoneNumber or deviceId",
        ),
        (
            "/public/recipe/signinup/code",
            {"deviceId": "not*base64"},
            "Input encoding error in deviceId",
        ),
        (
            "/public/recipe/signinup/code/consume",
            {"preAuthSessionId": "x", "linkCode": "y", "userInputCode": "123456"},
            "Please provide exactly one of linkCode or deviceId+userInputCode",
        ),
    ],
)
def test_semantic_errors(
    core: RunningDevcore,
    client: httpx.Client,
    path: str,
    body: dict[str, Any],
    message: str,
) -> None:
    before = snapshot(core)

    refused(client.post(path, json=body), 400, message)

    assert snapshot(core) == before


@pytest.mark.parametrize("email", [None, 5, ["a@b.c"]])
def test_a_reset_token_needs_an_email_once_the_user_is_known(
    core: RunningDevcore, client: httpx.Client, email: Any
) -> None:
    """As the real core: an unknown user is answered first, then the email is checked."""
    user = client.post(
        "/public/recipe/signup", json={"email": "r@b.c", "password": "pw"}
    ).json()
    path = "/public/recipe/user/password/reset/token"
    body = {} if email is None else {"email": email}
    before = snapshot(core)

    unknown = client.post(path, json={"userId": "no-such-user", **body})
    known = client.post(path, json={"userId": user["user"]["id"], **body})

    assert unknown.json() == {"status": "UNKNOWN_USER_ID_ERROR"}
    refused(known, 400, "Field name 'email' is invalid in JSON input")
    assert snapshot(core) == before
    client.post("/user/remove", json={"userId": user["user"]["id"]})


def test_reset_tokens_are_tenant_specific_and_post_only(client: httpx.Client) -> None:
    not_found = (
        "AppId or tenantId not found => Tenant with the following connectionURIDomain, "
    )
    not_found += "appId and tenantId combination not found: (, public, t1)"
    token = "/recipe/user/password/reset/token"

    refused(
        client.post("/t1" + token, json={"userId": "u", "email": "a@b.c"}),
        400,
        not_found,
    )
    refused(
        client.post("/t1" + token + "/consume", json={"token": "x"}), 400, not_found
    )
    refused(client.get("/public" + token), 405, "Method not supported")
    refused(
        client.put("/public" + token + "/consume", json={"token": "x"}),
        405,
        "Method not supported",
    )


def test_a_reset_token_is_answered_once(client: httpx.Client) -> None:
    user = client.post(
        "/public/recipe/signup", json={"email": "t@b.c", "password": "pw"}
    ).json()
    user_id = user["user"]["id"]
    made = client.post(
        "/public/recipe/user/password/reset/token",
        json={"userId": user_id, "email": "t@b.c"},
    ).json()
    consume = "/public/recipe/user/password/reset/token/consume"

    first = client.post(consume, json={"token": made["token"]}).json()
    again = client.post(consume, json={"token": made["token"]}).json()

    assert first == {"status": "OK", "userId": user_id, "email": "t@b.c"}
    assert again == {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}
    client.post("/user/remove", json={"userId": user_id})


def test_a_code_entered_for_another_device_is_refused(client: httpx.Client) -> None:
    mine = client.post(
        "/public/recipe/signinup/code", json={"phoneNumber": "+14155550100"}
    ).json()
    other = client.post(
        "/public/recipe/signinup/code", json={"phoneNumber": "+14155550101"}
    ).json()

    response = client.post(
        "/public/recipe/signinup/code/consume",
        json={
            "preAuthSessionId": other["preAuthSessionId"],
            "deviceId": mine["deviceId"],
            "userInputCode": mine["userInputCode"],
        },
    )

    refused(response, 400, "preAuthSessionId and deviceId doesn't match")


FIELDS = [
    "userId", "recipeUserId", "email", "password", "phoneNumber", "deviceId", "userInputCode",
    "preAuthSessionId", "linkCode", "codeId", "enableAntiCsrf", "userDataInJWT",
    "userDataInDatabase", "useDynamicSigningKey", "accessToken", "antiCsrfToken",
    "doAntiCsrfCheck", "checkDatabase", "refreshToken", "sessionHandle", "sessionHandles",
    "revokeAcrossAllTenants", "thirdPartyId", "thirdPartyUserId", "metadataUpdate", "token",
]  # fmt: skip
WRITE_PATHS = [
    ("POST", "/public/recipe/signup"),
    ("POST", "/public/recipe/signin"),
    ("POST", "/public/recipe/signinup"),
    ("POST", "/public/recipe/session"),
    ("POST", "/recipe/session/verify"),
    ("POST", "/recipe/session/refresh"),
    ("POST", "/recipe/session/regenerate"),
    ("POST", "/recipe/session/remove"),
    ("PUT", "/recipe/session/data"),
    ("PUT", "/recipe/jwt/data"),
    ("POST", "/public/recipe/signinup/code"),
    ("POST", "/public/recipe/signinup/code/consume"),
    ("POST", "/public/recipe/signinup/code/check"),
    ("POST", "/public/recipe/signinup/code/remove"),
    ("POST", "/public/recipe/signinup/codes/remove"),
    ("PUT", "/recipe/user/metadata"),
    ("POST", "/recipe/user/metadata/remove"),
    ("PUT", "/recipe/user"),
    ("POST", "/public/recipe/user/password/reset/token"),
    ("POST", "/public/recipe/user/password/reset/token/consume"),
    ("POST", "/user/remove"),
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
    ),
    max_leaves=8,
)
bodies = (
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6).map(
        lambda d: json.dumps(d).encode()
    )
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=64)
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(route=st.sampled_from(WRITE_PATHS), body=bodies)
def test_fuzzed_bodies_never_crash_and_refusals_change_nothing(
    core: RunningDevcore, client: httpx.Client, route: tuple[str, str], body: bytes
) -> None:
    before = snapshot(core)

    response = client.request(route[0], route[1], content=body)

    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert snapshot(core) == before


READ_PATHS = [
    "/user/id",
    "/public/users",
    "/public/users/by-accountinfo",
    "/public/users/count",
    "/recipe/session",
    "/public/recipe/session/user",
    "/public/recipe/signinup/codes",
    "/recipe/user/metadata",
]
PARAMS = [
    *FIELDS,
    "limit",
    "paginationToken",
    "timeJoinedOrder",
    "includeRecipeIds",
    "doUnionOfAccountInfo",
    "fetchAcrossAllTenants",
]


@settings(max_examples=150, deadline=None)
@given(
    path=st.sampled_from(READ_PATHS),
    params=st.dictionaries(st.sampled_from(PARAMS), st.text(), max_size=4),
)
def test_fuzzed_queries_never_crash(
    client: httpx.Client, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params)

    assert response.status_code < 500, response.text


# -- API key ------------------------------------------------------------------------------


KEYED_PATHS = [
    ("GET", "/user/id?userId=u"),
    ("GET", "/apiversion"),
    ("POST", "/public/recipe/signup"),
    ("GET", "/_devcore/requests"),
]


@pytest.fixture(scope="module")
def keyed_core() -> Iterator[RunningDevcore]:
    with running_devcore(api_key=API_KEY) as running:
        yield running


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"api-key": "wrong-key-0123456789012"},
        {"api-key": API_KEY[:-1]},
        {"authorization": "x"},
    ],
)
def test_a_missing_or_wrong_api_key_is_refused(
    keyed_core: RunningDevcore, headers: dict[str, str]
) -> None:
    for method, path in KEYED_PATHS:
        response = httpx.request(
            method, keyed_core.uri + path, headers=headers, json={}
        )
        refused(response, 401, "Invalid API key")


@pytest.mark.parametrize(
    "headers", [{"api-key": API_KEY}, {"authorization": f"Bearer {API_KEY}"}]
)
def test_the_right_api_key_is_accepted(
    keyed_core: RunningDevcore, headers: dict[str, str]
) -> None:
    response = httpx.get(
        keyed_core.uri + "/user/id", params={"userId": "u"}, headers=headers
    )

    assert response.json() == {"status": "UNKNOWN_USER_ID_ERROR"}


def test_hello_and_public_keys_need_no_api_key(keyed_core: RunningDevcore) -> None:
    assert httpx.get(keyed_core.uri + "/hello").text.strip() == "Hello"
    assert len(httpx.get(keyed_core.uri + "/.well-known/jwks.json").json()["keys"]) == 2


def test_database_file_is_used(core: RunningDevcore) -> None:
    assert core.settings.db is not None and Path(core.settings.db).exists()
