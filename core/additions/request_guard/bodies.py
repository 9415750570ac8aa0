"""What the JSON body of each SuperTokens API must look like before the SDK reads it.

The SDK's API handlers index into the body as if it were an object whose fields have
the types the Frontend Driver Interface documents. A list, a string, or a number where
a string belongs ends in a ``TypeError`` or ``AttributeError``, which the framework
answers with a 500 (and uvicorn then drops the connection). This table says, once,
what the APIs our recipes expose accept; ``body_problem`` names what is wrong.

Only the *types* are checked, but for one value: ``shouldTryLinkingWithSessionUser``
must be false on the first-factor APIs, since this app links no accounts (the SDK
would raise, asking for its account-linking recipe). On the OTP APIs it may be true:
there the code always completes the session's own user. Whether a field is present,
and what its value means, is left to the SDK, which answers with the statuses
SuperTokens frontends already handle (400 with a message, ``FIELD_ERROR``,
``GENERAL_ERROR``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from supertokens_python.recipe.emailpassword.constants import (
    SIGNIN,
    SIGNUP,
    USER_PASSWORD_RESET,
    USER_PASSWORD_RESET_TOKEN,
)
from supertokens_python.recipe.passwordless.constants import (
    CONSUME_CODE_API,
    CREATE_CODE_API,
    RESEND_CODE_API,
)
from supertokens_python.recipe.thirdparty.constants import SIGNINUP

NOT_AN_OBJECT = "The request body must be a JSON object"
NOT_UNICODE = "The request body holds text that is not valid Unicode"


class Shape(ABC):
    """A JSON type a field must have."""

    description: str

    @abstractmethod
    def problem(self, value: object, where: str) -> str | None:
        """What is wrong with ``value`` (found at ``where``), or None if nothing is."""


@dataclass(frozen=True)
class Scalar(Shape):
    description: str
    python_type: type

    def problem(self, value: object, where: str) -> str | None:
        # Parsed JSON holds exact types; ``type`` also stops true passing for a number.
        if type(value) is self.python_type:
            return None
        return f"{where} must be {self.description}"


@dataclass(frozen=True)
class Exactly(Shape):
    """One value and no other (of the same JSON type: ``0`` is not ``false``)."""

    value: object
    description: str

    def problem(self, value: object, where: str) -> str | None:
        if type(value) is type(self.value) and value == self.value:
            return None
        return f"{where} must be {self.description}"


@dataclass(frozen=True)
class Object(Shape):
    """An object whose listed fields, where present, have their shapes; others pass."""

    fields: Mapping[str, Shape]
    description: str = "an object"

    def problem(self, value: object, where: str) -> str | None:
        if not isinstance(value, dict):
            return f"{where} must be {self.description}"
        for name, shape in self.fields.items():
            if name in value:
                found = shape.problem(
                    value[name], name if where == "body" else f"{where}.{name}"
                )
                if found is not None:
                    return found
        return None


@dataclass(frozen=True)
class Array(Shape):
    items: Shape
    description: str

    def problem(self, value: object, where: str) -> str | None:
        if not isinstance(value, list):
            return f"{where} must be {self.description}"
        for index, item in enumerate(value):
            found = self.items.problem(item, f"{where}[{index}]")
            if found is not None:
                return found
        return None


STRING = Scalar("a string", str)
BOOLEAN = Scalar("true or false", bool)
FORM_FIELDS = Array(
    Object({"id": STRING}, "an object with an id and a value"),
    "an array of {id, value} objects",
)
LINKING = {"shouldTryLinkingWithSessionUser": BOOLEAN}
NO_LINKING = {
    "shouldTryLinkingWithSessionUser": Exactly(
        False,
        "false: this app does not link accounts (only a phone's code is a"
        " second factor, and only of the session it was asked for in)",
    )
}

JSON_BODIES: dict[tuple[str, str], Object] = {
    ("emailpassword", SIGNUP): Object({"formFields": FORM_FIELDS, **NO_LINKING}),
    ("emailpassword", SIGNIN): Object({"formFields": FORM_FIELDS, **NO_LINKING}),
    ("emailpassword", USER_PASSWORD_RESET_TOKEN): Object({"formFields": FORM_FIELDS}),
    ("emailpassword", USER_PASSWORD_RESET): Object(
        {"formFields": FORM_FIELDS, "token": STRING, "method": STRING}
    ),
    ("thirdparty", SIGNINUP): Object(
        {
            "thirdPartyId": STRING,
            "clientType": STRING,
            "redirectURIInfo": Object(
                {
                    "redirectURIOnProviderDashboard": STRING,
                    # The provider's redirect: whatever else it holds, a code is text.
                    "redirectURIQueryParams": Object({"code": STRING}),
                    "pkceCodeVerifier": STRING,
                }
            ),
            "oAuthTokens": Object({"access_token": STRING, "id_token": STRING}),
            **NO_LINKING,
        }
    ),
    ("passwordless", CREATE_CODE_API): Object(
        {"email": STRING, "phoneNumber": STRING, **LINKING}
    ),
    ("passwordless", RESEND_CODE_API): Object(
        {"deviceId": STRING, "preAuthSessionId": STRING, **LINKING}
    ),
    ("passwordless", CONSUME_CODE_API): Object(
        {
            "preAuthSessionId": STRING,
            "deviceId": STRING,
            "userInputCode": STRING,
            "linkCode": STRING,
            **LINKING,
        }
    ),
}
"""The APIs that read a JSON body, by (recipe id, API id), and the body each accepts."""


def reads_json_body(recipe_id: str, api_id: str) -> bool:
    return (recipe_id, api_id) in JSON_BODIES


def body_problem(recipe_id: str, api_id: str, body: object) -> str | None:
    """Why the SDK must not be handed ``body`` (as parsed), or None if it may.

    A missing body (``None``) is let through: the SDK answers it with a 400 itself.
    """
    if body is None:
        return None
    if not isinstance(body, dict):
        return NOT_AN_OBJECT
    if not _all_text_is_unicode(body):
        return NOT_UNICODE
    return JSON_BODIES[(recipe_id, api_id)].problem(body, "body")


def _all_text_is_unicode(body: object) -> bool:
    """False if any key or string holds a lone surrogate (``"\\ud800"`` parses in Python
    but cannot be stored or sent on as UTF-8). Iterative: bodies may nest deeply."""
    pending = [body]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True
