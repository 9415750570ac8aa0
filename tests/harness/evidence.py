"""What an attack could have changed, read before it, so a test can say nothing did.

An attack that fails with the right status but leaves an SMS on the attacker's phone,
the claim set, or a phone linked in UserMetadata has still succeeded in part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.harness.core_api import CoreApi
from tests.harness.frontend import Frontend
from tests.harness.outbox import Outbox

CLAIM = "2fa-completed"


@dataclass
class Evidence:
    outbox: Outbox
    core_api: CoreApi
    sessions: Sequence[Frontend]
    """Sessions that must still be held at the second factor afterwards."""
    phones: Sequence[str]
    """The attacker's phones: no SMS may reach them."""
    sms_before: dict[str, int] = field(init=False)
    metadata_before: dict[str, dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.sms_before = {
            phone: len(self.outbox.sent_to(phone)) for phone in self.phones
        }
        self.metadata_before = {
            user_id: self.core_api.metadata(user_id) for user_id in self._user_ids()
        }

    def assert_no_trace(self) -> None:
        for phone, before in self.sms_before.items():
            assert len(self.outbox.sent_to(phone)) == before, f"an SMS reached {phone}"
        for session in self.sessions:
            assert session.me().status_code == 403, (
                "the session got past the second factor"
            )
            assert session.payload[CLAIM]["v"] is False
        for user_id, before in self.metadata_before.items():
            assert self.core_api.metadata(user_id) == before, (
                f"metadata of {user_id} changed"
            )

    def _user_ids(self) -> list[str]:
        return [str(session.payload["sub"]) for session in self.sessions]


def left_untouched(
    outbox: Outbox,
    core_api: CoreApi,
    *,
    sessions: Sequence[Frontend],
    phones: Sequence[str] = (),
) -> Evidence:
    """Take the evidence now; call ``assert_no_trace()`` after the attack."""
    return Evidence(outbox, core_api, sessions, phones)
