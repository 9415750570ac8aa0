"""What each step of the flow must ask the core, and what every other call it makes is for.

The minimum is worked out from what the step has to achieve, whatever the code: a call
is in it only if the step cannot be done without it. Each call seen beyond the minimum
is explained by who makes it (the SDK or ``core/``) and why, from reading their source.
"""

from __future__ import annotations

from collections import Counter

from bench.flow import STEPS

SIGN_UP = "POST /public/recipe/signup"
SIGN_IN = "POST /public/recipe/signin"
NEW_SESSION = "POST /public/recipe/session"
REGENERATE = "POST /recipe/session/regenerate"
REFRESH = "POST /recipe/session/refresh"
VERIFY = "POST /recipe/session/verify"
REVOKE = "POST /recipe/session/remove"
CREATE_CODE = "POST /public/recipe/signinup/code"
CONSUME_CODE = "POST /public/recipe/signinup/code/consume"
LIST_CODES = "GET /public/recipe/signinup/codes"
READ_METADATA = "GET /recipe/user/metadata"
WRITE_METADATA = "PUT /recipe/user/metadata"
USER_BY_ID = "GET /user/id"
USERS_BY_ACCOUNT_INFO = "GET /public/users/by-accountinfo"
TENANT = "GET /public/recipe/multitenancy/tenant/v2"

METADATA_OR_USER_LOOKUPS = (READ_METADATA, USER_BY_ID, USERS_BY_ACCOUNT_INFO)
"""What the create-code target (after the guide's step 5) allows none of."""

MINIMUM: dict[str, tuple[Counter[str], str]] = {
    "sign up": (
        Counter([SIGN_UP, NEW_SESSION]),
        "create the user (the core refuses a taken email itself), then its session; "
        "a new user has no phone to look up",
    ),
    "create code (new user, guide step 4)": (
        Counter([READ_METADATA, CREATE_CODE, REGENERATE]),
        "no phone in the token, so read the enrolled one (none yet), create the code, "
        "record the OTP flow in the token",
    ),
    "resend code": (
        Counter([LIST_CODES, CREATE_CODE]),
        "read the device (its phone, and its flow for the same-session check), "
        "create a new code for it",
    ),
    "consume code (enrol the phone)": (
        Counter([CONSUME_CODE, REGENERATE, WRITE_METADATA]),
        "check the code, set the claim and phone in the token, "
        "link the phone's user to the account",
    ),
    "protected request": (
        Counter(),
        "the access token is checked with cached keys and the claim read from its payload",
    ),
    "refresh": (Counter([REFRESH]), "rotate the tokens"),
    "protected request, first after a refresh": (
        Counter([VERIFY]),
        "the core must see the new token once to retire the old refresh token "
        "(SuperTokens' token-theft detection)",
    ),
    "sign out": (Counter([REVOKE]), "revoke the session"),
    "sign in (returning user)": (
        Counter([SIGN_IN, READ_METADATA, USER_BY_ID, NEW_SESSION]),
        "check the password, read the enrolled phone (metadata, then the phone's user), "
        "create the session with it (guide step 5)",
    ),
    "create code (phone in token, guide step 5)": (
        Counter([CREATE_CODE, REGENERATE]),
        "the phone is in the token: create the code, record the OTP flow in the token",
    ),
    "consume code (returning user)": (
        Counter([CONSUME_CODE, REGENERATE]),
        "check the code, set the claim in the token; the account is already linked",
    ),
    "protected request (returning user)": (Counter(), "as above"),
}
assert tuple(MINIMUM) == STEPS

WHY_MORE: dict[str, str] = {
    TENANT: "SDK: is this login method enabled for the tenant (pre-auth check)",
    USERS_BY_ACCOUNT_INFO: "SDK: who already has this email or phone "
    "(sign-in or sign-up, and account-linking rules)",
    USER_BY_ID: "SDK: fetches the user object again (after the password check, or to build "
    "the new session)",
    READ_METADATA: "core/: the session override looks up the enrolled phone for every new "
    "session, a brand-new user's too",
    LIST_CODES: "SDK: reads the flow's codes before consuming, for its pre-auth checks",
    WRITE_METADATA: "core/: writes the link it already has (same value)",
    VERIFY: "core/: the OTP APIs check the session at the core (`check_database`), so that "
    "a token kept after sign-out cannot ask for codes",
}
"""Who makes a call beyond a step's minimum, and why (from reading their source)."""

WHY_MORE_IN_STEP: dict[tuple[str, str], str] = {
    (step, LIST_CODES): "one by the SDK, which reads the flow's codes before consuming "
    "(pre-auth checks); one by core/, which checks that the device belongs to this flow "
    "(the core would answer a mismatched pair with a 400, which the SDK turns into a 500)"
    for step in ("consume code (enrol the phone)", "consume code (returning user)")
}
"""Where a call has a different reason in one step, that step's reason."""


def why_more(step: str, call: str) -> str:
    return WHY_MORE_IN_STEP.get((step, call)) or WHY_MORE.get(call, "not explained yet")


def beyond_minimum(step: str, calls: Counter[str]) -> Counter[str]:
    return calls - MINIMUM[step][0]


def short_of_minimum(step: str, calls: Counter[str]) -> Counter[str]:
    """Calls the minimum has and the step did not make: the minimum would be wrong."""
    return MINIMUM[step][0] - calls
