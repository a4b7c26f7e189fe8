"""The OpenAPI document's UChat and LivePerson parts on their own: the documented endpoints, the
credentials each takes, what is labelled doc, obs or guess, and closed records."""

import subprocess
import sys
from typing import Any

import pytest

from sandbox import openapi
from sandbox.openapi import FIDELITY, build_spec
from tests.sandbox.test_openapi_spec import REPO, operations, resolve_pointer

# platforms.md's UChat endpoints (seeds/002), below the documented base /api.
UCHAT_ENDPOINTS = {
    "GET /api/flow/subflows", "GET /api/flow/tags", "POST /api/flow/create-tag",
    "DELETE /api/flow/delete-tag", "GET /api/flow/user-fields", "GET /api/subscribers",
    "GET /api/subscriber/get-info", "POST /api/subscriber/add-tag",
    "DELETE /api/subscriber/remove-tag", "PUT /api/subscriber/set-user-field",
    "POST /api/subscriber/send-sub-flow", "POST /api/subscriber/send-text",
    "POST /api/subscriber/broadcast-by-tag",
}  # fmt: skip
LIVEPERSON_ENDPOINTS = {
    "POST /sentinel/api/account/{accountId}/app/token",
    "POST /api/account/{accountId}/consumer",
    "POST /api/account/{accountId}/messaging/consumer/conversation",
    "POST /api/account/{accountId}/messaging/consumer/conversation/send",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec()


def endpoints(spec: dict[str, Any], server: str) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for where, path, method, operation in operations(spec)
        if where == server
    }


def test_uchat_operations_are_exactly_its_documented_endpoints(spec: dict[str, Any]) -> None:
    labels = {name: op[FIDELITY] for name, op in endpoints(spec, "/uchat").items()}

    assert labels == dict.fromkeys(UCHAT_ENDPOINTS, "doc")


def test_every_uchat_operation_needs_a_bearer_token_with_manage_flow(
    spec: dict[str, Any],
) -> None:
    scheme = spec["components"]["securitySchemes"][openapi.UCHAT_BEARER]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for name, operation in endpoints(spec, "/uchat").items():
        assert operation["security"] == [{openapi.UCHAT_BEARER: []}], name
        assert operation["x-required-scope"] == "Manage Flow", name
        assert {"401", "403", "429", "500"} <= set(operation["responses"]), name


def test_uchat_lists_answer_the_observed_envelope(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("UChatTagPage", "UChatSubFlowPage", "UChatUserFieldPage", "UChatSubscriberPage"):
        page = schemas[name]

        assert set(page["required"]) == {"data", "meta", "status"}, name
        assert page[FIDELITY] == "obs"
        assert set(page["properties"]["meta"]["required"]) == {"current_page", "per_page", "total"}
    assert schemas["UChatTag"]["required"] == ["tag_ns", "name"]
    assert set(schemas["UChatSubFlow"]["required"]) == {"name", "sub_flow_ns"}


def test_the_subscriber_search_takes_the_documented_filters(spec: dict[str, Any]) -> None:
    parameters = endpoints(spec, "/uchat")["GET /api/subscribers"]["parameters"]
    labels = {parameter["name"]: parameter[FIDELITY] for parameter in parameters}

    documented = {"page", "limit", "name", "phone", "email"}
    observed = {"tag_ns", "user_field_ns", "user_field_value"}
    assert labels == dict.fromkeys(documented, "doc") | dict.fromkeys(observed, "obs")
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}
    assert (by_name["limit"]["minimum"], by_name["limit"]["maximum"]) == (1, 100)
    assert (by_name["page"]["minimum"], by_name["page"]["maximum"]) == (1, 1000)


def test_liveperson_operations_are_its_documented_endpoints(spec: dict[str, Any]) -> None:
    labels = {name: op[FIDELITY] for name, op in endpoints(spec, "/liveperson").items()}

    assert labels == dict.fromkeys(LIVEPERSON_ENDPOINTS, "doc")


def test_liveperson_operations_name_the_tokens_they_take(spec: dict[str, Any]) -> None:
    both = [{openapi.LIVEPERSON_APP_JWT: [], openapi.LIVEPERSON_CONSUMER_JWS: []}]
    security = {name: op["security"] for name, op in endpoints(spec, "/liveperson").items()}
    schemes = spec["components"]["securitySchemes"]

    assert security == {
        "POST /sentinel/api/account/{accountId}/app/token": [],
        "POST /api/account/{accountId}/consumer": [{openapi.LIVEPERSON_APP_JWT: []}],
        "POST /api/account/{accountId}/messaging/consumer/conversation": both,
        "POST /api/account/{accountId}/messaging/consumer/conversation/send": both,
    }
    assert schemes[openapi.LIVEPERSON_APP_JWT]["name"] == "Authorization"
    assert schemes[openapi.LIVEPERSON_CONSUMER_JWS]["name"] == "X-LP-ON-BEHALF"


def test_each_liveperson_url_carries_its_documented_version(spec: dict[str, Any]) -> None:
    versions = {
        name: next(p["schema"]["const"] for p in op["parameters"] if p["name"] == "v")
        for name, op in endpoints(spec, "/liveperson").items()
    }

    assert sorted(versions.values()) == ["1.0", "1.0", "3", "3"]


def test_the_liveperson_401_is_the_documented_body_with_its_codes(spec: dict[str, Any]) -> None:
    response = spec["components"]["responses"]["LivePersonUnauthorized"]
    error = spec["components"]["schemas"]["LivePersonError"]

    assert "40102" in response["description"] and "40105" in response["description"]
    assert error[FIDELITY] == "doc"
    assert error["properties"]["type"]["const"] == ".ReqBody$ErrorResp"
    assert error["properties"]["body"]["properties"]["errorCode"]["enum"] == [
        40102, 40103, 40104, 40105,
    ]  # fmt: skip
    for name, operation in endpoints(spec, "/liveperson").items():
        if operation["security"]:
            assert operation["responses"]["401"] == {
                "$ref": "#/components/responses/LivePersonUnauthorized"
            }, name


def test_the_consumer_token_is_created_with_a_201(spec: dict[str, Any]) -> None:
    operation = endpoints(spec, "/liveperson")["POST /api/account/{accountId}/consumer"]

    assert "201" in operation["responses"] and "200" not in operation["responses"]


def test_the_conversation_batch_is_the_profile_then_the_request(spec: dict[str, Any]) -> None:
    operation = endpoints(spec, "/liveperson")[
        "POST /api/account/{accountId}/messaging/consumer/conversation"
    ]
    batch = operation["requestBody"]["content"]["application/json"]["schema"]

    types = [item["properties"]["type"]["const"] for item in batch["prefixItems"]]
    assert types == ["userprofile.SetUserProfile", "cm.ConsumerRequestConversation"]
    assert (batch["minItems"], batch["maxItems"]) == (2, 2)


@pytest.mark.parametrize("prefix", ["UChat", "LivePerson"])
def test_their_records_refuse_other_fields(prefix: str, spec: dict[str, Any]) -> None:
    schemas = {
        name: s for name, s in spec["components"]["schemas"].items() if name.startswith(prefix)
    }

    assert schemas
    for name, schema in schemas.items():
        if schema.get("type") == "object":
            assert schema["additionalProperties"] is False, name


def test_their_failures_answer_their_own_error_shapes(spec: dict[str, Any]) -> None:
    """Each platform's errors are its own; 429 and 500 come from the sandbox's fault layer."""
    expected = {
        "/uchat": {"#/components/schemas/UChatError"},
        "/liveperson": {
            "#/components/schemas/LivePersonError",
            "#/components/schemas/LivePersonOAuthError",
        },
    }
    for server, shapes in expected.items():
        for name, operation in endpoints(spec, server).items():
            for status, response in operation["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                schema = resolve_pointer(spec, response["$ref"])["content"]["application/json"][
                    "schema"
                ]
                refs = {schema.get("$ref"), *(part.get("$ref") for part in schema.get("allOf", []))}
                wanted = {"#/components/schemas/Error"} if status in ("429", "500") else shapes
                assert refs & wanted, (name, status)


def test_their_control_endpoints_are_described_only_with_control() -> None:
    with_control = {path for path in build_spec()["paths"] if path.startswith("/__sandbox__/")}
    without = {path for path in build_spec(control=False)["paths"] if "__sandbox__" in path}

    assert {"/__sandbox__/uchat/sent", "/__sandbox__/liveperson/webhook",
            "/__sandbox__/liveperson/consumer-reply",
            "/__sandbox__/liveperson/conversations"} <= with_control  # fmt: skip
    assert without == set()


@pytest.mark.parametrize("module", ["sandbox.uchat.openapi", "sandbox.liveperson.openapi"])
def test_each_description_may_be_imported_before_the_document(module: str) -> None:
    script = (
        f"import {module}\n"
        "from sandbox.openapi import build_spec\n"
        "print(len(build_spec()['paths']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(build_spec()["paths"])
