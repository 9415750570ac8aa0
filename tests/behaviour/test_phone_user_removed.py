"""An operator removes a person's phone user (lost phone, support request): they enrol again."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.behaviour.conftest import CoreUnderTest
from tests.harness.accounts import Account
from tests.harness.core_api import CDI_VERSION, CoreApi
from tests.harness.flows import enrol, pass_second_factor, sign_in
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone


def remove_user(core: CoreUnderTest, user_id: str) -> None:
    headers = {
        "cdi-version": CDI_VERSION,
        **({"api-key": core.api_key} if core.api_key else {}),
    }
    response = httpx.post(
        f"{core.uri}/user/remove", json={"userId": user_id}, headers=headers, timeout=10
    )
    assert response.json() == {"status": "OK"}


def test_a_removed_phone_user_leaves_no_phone_and_a_new_one_can_be_enrolled(
    new_frontend: Callable[..., Frontend],
    outbox: Outbox,
    account: Account,
    phone: str,
    core: CoreUnderTest,
    core_api: CoreApi,
) -> None:
    first_visit = new_frontend()
    enrol(first_visit, outbox, account, phone)
    user_id = first_visit.payload["sub"]
    remove_user(core, core_api.metadata(user_id)["passwordlessUserId"])

    later = new_frontend()
    sign_in(later, account)
    assert "phoneNumber" not in later.payload
    new = new_phone()
    pass_second_factor(later, outbox, new)

    assert later.me().json()["phoneNumber"] == new
    assert core_api.user(core_api.metadata(user_id)["passwordlessUserId"])[
        "phoneNumbers"
    ] == [new]
