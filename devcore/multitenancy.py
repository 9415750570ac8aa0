"""Multitenancy, read-only: devcore has exactly one app and one tenant, ``public``.

It serves the tenant's configuration (every login method enabled, no third-party
providers stored in the core, no core-config overrides) so the SDK's login-methods API
works. Creating or changing tenants is a paid real-core feature and out of scope.
"""

from __future__ import annotations

from .api import PUBLIC_TENANT, Call, JsonObject, Route


def _public_tenant() -> JsonObject:
    return {
        "tenantId": PUBLIC_TENANT,
        "thirdParty": {"providers": []},
        "coreConfig": {},
    }


async def get_tenant(call: Call) -> JsonObject:
    if call.tenant_id != PUBLIC_TENANT:
        return {"status": "TENANT_NOT_FOUND_ERROR"}
    return {"status": "OK", **_public_tenant()}


async def list_tenants(call: Call) -> JsonObject:
    call.app_wide()
    return {"status": "OK", "tenants": [_public_tenant()]}


ROUTES = [
    Route("GET", "/recipe/multitenancy/tenant/v2", get_tenant),
    Route("GET", "/recipe/multitenancy/tenant/list/v2", list_tenants),
]
