"""The Frontend Driver Interface's OpenAPI spec, as the examples serve it.

The spec (``../shared/reference/fdi-api-spec.yaml`` from the project's root) writes its
paths as ``/{apiBasePath}/<tenantId>/signin``: the base path as a parameter and the
tenant as optional text. Here each path is given twice, under ``/auth`` for the default
tenant and under ``/auth/{tenantId}`` with the tenant a parameter a fuzzer fills, and
only the APIs this app offers are kept.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.harness.examples import ROOT

SPEC = ROOT.parent / "shared" / "reference" / "fdi-api-spec.yaml"

SERVED = (
    "/signup",
    "/signin",
    "/signup/email/exists",
    "/emailpassword/email/exists",
    "/user/password/reset/token",
    "/user/password/reset",
    "/signinup",
    "/authorisationurl",
    "/loginmethods",
    "/callback/apple",
    "/signinup/code",
    "/signinup/code/resend",
    "/signinup/code/consume",
    "/signout",
    "/session/refresh",
    "/jwt/jwks.json",
    "/.well-known/openid-configuration",
)
"""The paths (below the base path and tenant) of the APIs the examples serve."""

BASE = "/{apiBasePath}"
TENANT = "/<tenantId>"
TENANT_PARAMETER = {
    "name": "tenantId",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "pattern": "^[a-zA-Z0-9-]+$"},
}


def served_spec(spec: Path = SPEC) -> dict[str, Any]:
    raw = yaml.safe_load(spec.read_text())
    paths: dict[str, Any] = {}
    for path, operations in raw["paths"].items():
        if not path.startswith(BASE):
            continue
        rest = path.removeprefix(BASE)
        tenanted = rest.startswith(TENANT)
        rest = rest.removeprefix(TENANT)
        if rest not in SERVED:
            continue
        paths[f"/auth{rest}"] = _without_base_path(operations, raw)
        if tenanted:
            with_tenant = _without_base_path(operations, raw)
            for operation in _operations(with_tenant):
                operation["parameters"].append(TENANT_PARAMETER)
                operation["operationId"] = operation.get("operationId", rest) + "Tenant"
            paths[f"/auth/{{tenantId}}{rest}"] = with_tenant
    return {**raw, "paths": paths}


def _without_base_path(
    operations: dict[str, Any], raw: dict[str, Any]
) -> dict[str, Any]:
    operations = copy.deepcopy(operations)
    for operation in _operations(operations):
        operation["parameters"] = [
            parameter
            for parameter in operation.get("parameters", [])
            if _resolved(parameter, raw).get("name") != "apiBasePath"
        ]
    return operations


def _operations(operations: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for method, operation in operations.items()
        if method in ("get", "post", "put", "delete")
    ]


def _resolved(node: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = raw
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def statuses_of_200(spec: dict[str, Any], path: str, method: str) -> set[str]:
    """Every ``status`` the spec allows a 200 answer of this API (empty: it has none)."""
    operation = spec["paths"][path].get(method.lower(), {})
    answer = _resolved(operation.get("responses", {}).get("200", {}), spec)
    found: set[str] = set()
    pending = [answer.get("content", {}).get("application/json", {}).get("schema", {})]
    while pending:
        node = _resolved(pending.pop(), spec)
        status = node.get("properties", {}).get("status")
        if status is not None:
            found.update(_resolved(status, spec).get("enum", []))
        for key in ("oneOf", "anyOf", "allOf"):
            pending.extend(node.get(key, []))
    return found
