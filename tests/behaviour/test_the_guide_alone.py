"""Every addition lifts off: deleted from a copy of ``core/``, the guide's flow works."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from core.phone import PHONE_NOT_ENROLLED
from tests.behaviour.conftest import CoreUnderTest
from tests.harness.accounts import Account
from tests.harness.core_api import CoreApi
from tests.harness.examples import running_example
from tests.harness.flows import enrol, sign_in
from tests.harness.frontend import Frontend
from tests.harness.guide_alone import additions, copy_without
from tests.harness.outbox import Outbox
from tests.harness.phones import new_phone


def test_with_every_addition_deleted_the_guides_flow_still_works(
    framework: str,
    core: CoreUnderTest,
    core_api: CoreApi,
    outbox: Outbox,
    new_frontend: Callable[..., Frontend],
    account: Account,
    phone: str,
    tmp_path: Path,
) -> None:
    assert additions(), "recipe_list puts no additions on the guide's recipes"
    folder = copy_without(framework, additions(), tmp_path)
    env = {"PYTHONPATH": str(tmp_path)}
    imported = subprocess.run(
        [sys.executable, "-c", "import core; print(core.__file__)"],
        cwd=folder,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(imported.stdout.strip()).is_relative_to(tmp_path)  # the copy runs

    with running_example(
        framework,
        core_uri=core.uri,
        outbox=outbox.path,
        api_key=core.api_key,
        extra_env=env,
        folder=folder,
    ) as guide_alone:
        alice = new_frontend(to=guide_alone)
        enrol(
            alice, outbox, account, phone
        )  # sign up, code, code entered, same session
        me = alice.me()
        assert me.status_code == 200, me.text
        assert me.json()["secondFactorCompleted"] is True
        assert core_api.metadata(me.json()["userId"])["passwordlessUserId"]

        mallory = new_frontend(to=guide_alone)
        sign_in(mallory, account)
        assert mallory.payload["phoneNumber"] == phone  # step 5
        attackers_phone = new_phone()
        refused = mallory.send_code(attackers_phone)  # step 4
        assert refused.json() == {
            "status": "GENERAL_ERROR",
            "message": PHONE_NOT_ENROLLED,
        }
        assert outbox.sent_to(attackers_phone) == []
