"""Looking inside the core, as an operator would, to see what a flow left behind.

Only the Core Driver Interface is used, so this works against devcore and a real core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.harness.tls import shared_tls_context

CDI_VERSION = "5.4"


@dataclass
class CoreApi:
    uri: str
    api_key: str | None = None

    def get(self, path: str, **params: str) -> dict[str, Any]:
        headers = {"cdi-version": CDI_VERSION}
        if self.api_key:
            headers["api-key"] = self.api_key
        response = httpx.get(
            self.uri + path,
            params=params,
            headers=headers,
            timeout=10,
            verify=shared_tls_context(),
        )
        response.raise_for_status()
        return dict(response.json())

    def metadata(self, user_id: str) -> dict[str, Any]:
        return dict(self.get("/recipe/user/metadata", userId=user_id)["metadata"])

    def user(self, user_id: str) -> dict[str, Any] | None:
        body = self.get("/user/id", userId=user_id)
        return dict(body["user"]) if body.get("status") == "OK" else None

    def sessions_of(self, user_id: str) -> list[str]:
        return list(
            self.get("/public/recipe/session/user", userId=user_id)["sessionHandles"]
        )
