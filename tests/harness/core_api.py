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

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        """One CDI request, answered whatever its status."""
        headers = {"cdi-version": CDI_VERSION}
        if self.api_key:
            headers["api-key"] = self.api_key
        return httpx.request(
            method,
            self.uri + path,
            headers=headers,
            timeout=10,
            verify=shared_tls_context(),
            **options,
        )

    def get(self, path: str, **params: str) -> dict[str, Any]:
        response = self.request("GET", path, params=params)
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

    def runs_on_in_memory_storage(self) -> bool:
        """Whether this is a real core on its in-memory development database: with no
        licence key, that is the one storage on which the core reports its paid features
        enabled (devcore has neither API)."""
        features = self.request("GET", "/ee/featureflag")
        licence = self.request("GET", "/ee/license")
        if features.status_code != 200 or licence.status_code != 200:
            return False
        unlicensed = licence.json().get("status") == "NO_LICENSE_KEY_FOUND_ERROR"
        return unlicensed and bool(features.json().get("features"))
