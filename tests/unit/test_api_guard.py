"""The request guard's decisions, on requests and responses that need no server."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from supertokens_python.exceptions import GeneralError
from supertokens_python.recipe.session.exceptions import UnauthorisedError

from core.additions.outage import UNAVAILABLE_MESSAGE, is_outage
from core.additions.request_guard.bodies import body_problem
from core.additions.request_guard.guard import (
    INTERNAL_ERROR_MESSAGE,
    Refusal,
    check_request,
    guard,
    media_type,
)


class FakeRequest:
    def __init__(self, headers: dict[str, str], body: Any = None) -> None:
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.body = body

    def get_header(self, key: str) -> str | None:
        return self.headers.get(key.lower())

    async def json(self) -> Any:
        return self.body


class FakeResponse:
    status: int | None = None
    content: Any = None

    def set_status_code(self, status: int) -> None:
        self.status = status

    def set_json_content(self, content: Any) -> None:
        self.content = content


class FakeRecipe:
    recipe_id = "passwordless"

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def handle_api_request(self, *_args: Any) -> Any:
        raise self.error


def refusal(
    headers: dict[str, str], body: Any = None, api: str = "/signinup/code"
) -> Refusal:
    with pytest.raises(Refusal) as raised:
        asyncio.run(check_request("passwordless", api, FakeRequest(headers, body), 100))  # type: ignore[arg-type]
    return raised.value


def test_a_content_length_that_is_not_a_number_is_refused() -> None:
    assert refusal({"content-length": "ten"}).status == 400


def test_the_body_limit_applies_to_apis_that_read_no_body_too() -> None:
    assert refusal({"content-length": "101"}, api="/session/refresh").status == 413


def test_a_body_within_the_limit_and_well_formed_passes() -> None:
    request = FakeRequest(
        {"content-length": "30", "content-type": "application/json; charset=utf-8"},
        {"phoneNumber": "+14155550100"},
    )
    asyncio.run(check_request("passwordless", "/signinup/code", request, 100))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("Application/JSON; charset=utf-8", "application/json"),
        (None, ""),
        (" text/plain ", "text/plain"),
    ],
)
def test_media_type_ignores_case_parameters_and_spaces(
    content_type: str | None, expected: str
) -> None:
    assert media_type(content_type) == expected


def test_an_outage_while_the_api_runs_is_answered_503() -> None:
    recipe = FakeRecipe(Exception("No SuperTokens core available to query"))
    guard(recipe, 100)  # type: ignore[arg-type]
    response = FakeResponse()
    request = FakeRequest({})

    answer = asyncio.run(
        recipe.handle_api_request(
            "/phonenumber/exists", "public", request, None, "get", response, {}
        )
    )

    assert answer is response
    assert (response.status, response.content) == (
        503,
        {"message": UNAVAILABLE_MESSAGE},
    )


def test_any_other_error_is_a_500_in_json_and_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recipe = FakeRecipe(KeyError("a bug"))
    guard(recipe, 100)  # type: ignore[arg-type]
    response = FakeResponse()

    asyncio.run(
        recipe.handle_api_request(
            "/phonenumber/exists", "public", FakeRequest({}), None, "get", response, {}
        )
    )

    assert response.status == 500
    assert response.content == {"message": INTERNAL_ERROR_MESSAGE}
    [logged] = caplog.records
    assert logged.exc_info is not None and logged.exc_info[0] is KeyError


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("core too slow"),
        httpx.ConnectError("refused"),
        ConnectionRefusedError(),
        Exception("No SuperTokens core available to query"),
        Exception(
            "SuperTokens core threw an error for a POST request to path:"
            " '/recipe/signup' with status code: 503 and message: down"
        ),
    ],
)
def test_what_counts_as_an_outage(error: Exception) -> None:
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        Exception("SuperTokens core threw an error"),
        Exception(
            "SuperTokens core threw an error for a GET request to path:"
            " '/recipe/user' with status code: 400 and message: bad"
        ),
        ValueError(),
    ],
)
def test_what_does_not(error: Exception) -> None:
    assert not is_outage(error)


def answer_to(error: Exception) -> FakeResponse:
    recipe = FakeRecipe(error)
    guard(recipe, 100)  # type: ignore[arg-type]
    response = FakeResponse()
    asyncio.run(
        recipe.handle_api_request(
            "/signup", "public", FakeRequest({}), None, "post", response, {}
        )
    )
    return response


def test_an_error_the_sdk_would_leave_to_the_framework_is_a_500_in_json() -> None:
    response = answer_to(GeneralError("misconfigured"))

    assert (response.status, response.content) == (
        500,
        {"message": INTERNAL_ERROR_MESSAGE},
    )


def test_the_sdks_own_answers_are_left_to_the_sdk() -> None:
    with pytest.raises(UnauthorisedError):
        answer_to(UnauthorisedError("no session"))


def test_a_recipe_is_guarded_once_however_often_it_is_asked() -> None:
    recipe = FakeRecipe(KeyError("a bug"))
    guard(recipe, 100)  # type: ignore[arg-type]
    guarded_once = recipe.handle_api_request

    guard(recipe, 100)  # type: ignore[arg-type]

    assert recipe.handle_api_request is guarded_once


@pytest.mark.parametrize(
    ("linking", "refused"), [(False, False), (True, True), (0, True), ("false", True)]
)
def test_a_first_factor_may_not_ask_to_link_accounts(
    linking: object, refused: bool
) -> None:
    body = {"formFields": [], "shouldTryLinkingWithSessionUser": linking}

    problem = body_problem("emailpassword", "/signin", body)

    assert (problem is not None) == refused
    if refused:
        assert problem is not None and "does not link accounts" in problem


def test_the_second_factor_may_ask_to_link_to_its_session() -> None:
    body = {"phoneNumber": "+14155550100", "shouldTryLinkingWithSessionUser": True}

    assert body_problem("passwordless", "/signinup/code", body) is None
