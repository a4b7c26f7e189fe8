"""Naxon's part of the sandbox's OpenAPI document: the six operations of seeds/001 at
platforms.md's paths, their documented parameters, closed records, the webhook's body, and the
control endpoints (tagged as such)."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from sandbox import openapi
from sandbox.openapi import CONTROL_TAG, FIDELITY, NAXON_API_TOKEN, build_spec

REPO = Path(__file__).resolve().parents[2]
OPERATIONS = {
    "GET /models": "naxon_list_models",
    "GET /models/{model_id}": "naxon_get_model",
    "GET /models/{model_id}/conversations": "naxon_list_model_conversations",
    "GET /conversations": "naxon_list_conversations",
    "GET /conversations/{conversation_id}": "naxon_get_conversation",
    "GET /conversations/{conversation_id}/messages": "naxon_list_messages",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec()


def naxon_operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": item[method]
        for path, item in spec["paths"].items()
        if item["servers"] == [{"url": "/naxon"}]
        for method in ("get", "post", "put", "patch", "delete")
        if method in item
    }


def test_the_operations_are_the_documents_six_at_platforms_md_paths(spec) -> None:
    operations = naxon_operations(spec)

    assert {name: op["operationId"] for name, op in operations.items()} == OPERATIONS
    assert all(op[FIDELITY] == "doc" for op in operations.values())
    assert all("path is a guess" in op["description"] for op in operations.values())
    assert all(op["security"] == [{NAXON_API_TOKEN: []}] for op in operations.values())


def test_the_api_token_is_a_bearer_scheme_labelled_a_guess(spec) -> None:
    scheme = spec["components"]["securitySchemes"][NAXON_API_TOKEN]

    assert (scheme["type"], scheme["scheme"], scheme[FIDELITY]) == ("http", "bearer", "guess")


def test_each_operation_takes_the_documented_parameters(spec) -> None:
    """And, on the conversation lists, the contact view's `platform_user_id`, labelled a guess."""
    names = {
        name: [p["name"] for p in op["parameters"] if p[FIDELITY] == "doc"]
        for name, op in naxon_operations(spec).items()
    }
    guesses = {
        name: [p["name"] for p in op["parameters"] if p[FIDELITY] != "doc"]
        for name, op in naxon_operations(spec).items()
    }
    assert {name: found for name, found in guesses.items() if found} == {
        "GET /models/{model_id}/conversations": ["platform_user_id"],
        "GET /conversations": ["platform_user_id"],
    }

    assert names == {
        "GET /models": ["page", "per_page", "since", "until"],
        "GET /models/{model_id}": ["model_id"],
        "GET /models/{model_id}/conversations": [
            "model_id", "page", "per_page", "since", "until", "sort",
        ],
        "GET /conversations": ["page", "per_page", "since", "until", "sort"],
        "GET /conversations/{conversation_id}": ["conversation_id"],
        "GET /conversations/{conversation_id}/messages": ["conversation_id", "page", "per_page"],
    }  # fmt: skip
    conversations = {
        p["name"]: p for p in naxon_operations(spec)["GET /conversations"]["parameters"]
    }
    assert conversations["sort"]["schema"]["enum"] == ["created_at", "updated_at"]
    assert conversations["sort"]["schema"]["default"] == "created_at"
    assert conversations["per_page"]["x-capped-at"] == 100
    assert conversations["page"]["schema"]["maximum"] == 2**31 - 1  # int32 (doc)


@pytest.mark.parametrize(
    "text",
    ["2025-05-05T05:05:05+0700", "2025-05-05T05:05:05+07:00", "2025-05-05T05:05:05Z",
     "2025-05-05T05:05:05.123-05:00"],
)  # fmt: skip
def test_since_takes_the_documents_spelling_and_rfc_3339(spec, text: str) -> None:
    since = next(
        p
        for p in naxon_operations(spec)["GET /conversations"]["parameters"]
        if p["name"] == "since"
    )

    assert jsonschema_rs.validator_for(since["schema"]).is_valid(text)
    assert not jsonschema_rs.validator_for(since["schema"]).is_valid(text[:19])  # no offset


def test_ids_are_int64_and_records_are_closed(spec) -> None:
    schemas = spec["components"]["schemas"]
    records = ["NaxonModel", "NaxonMessage", "NaxonConversation", "NaxonModelList",
               "NaxonConversationList", "NaxonMessageList", "NaxonError",
               "NaxonKeywordNotification"]  # fmt: skip

    for name in records:
        assert schemas[name]["additionalProperties"] is False, name
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name
    for name in ("NaxonModel", "NaxonMessage", "NaxonConversation"):
        assert schemas[name]["properties"]["id"]["format"] == "int64"
        assert schemas[name]["properties"]["id"]["maximum"] == 2**63 - 1
    assert schemas["NaxonConversation"]["properties"]["model_id"]["format"] == "int64"


def test_documented_shapes_are_doc_and_the_error_body_a_guess(spec) -> None:
    schemas = spec["components"]["schemas"]

    documented = [
        "NaxonModel", "NaxonMessage", "NaxonConversation", "NaxonModelList",
        "NaxonConversationList", "NaxonMessageList", "NaxonKeywordNotification",
    ]  # fmt: skip

    assert {name: schemas[name][FIDELITY] for name in documented} == dict.fromkeys(
        documented, "doc"
    )
    assert schemas["NaxonError"][FIDELITY] == "guess"
    unauthorized = spec["components"]["responses"]["NaxonUnauthorized"]
    message = unauthorized["content"]["application/json"]["schema"]["allOf"][1]["properties"]
    assert message["message"] == {"const": "Unauthorized"}


def test_the_webhook_is_described_with_its_body(spec) -> None:
    webhook = spec["webhooks"]["naxon-keyword-notification"]["post"]
    notification = spec["components"]["schemas"]["NaxonKeywordNotification"]

    assert webhook["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/NaxonKeywordNotification"
    }
    assert notification["properties"]["event"] == {"const": "keyword-notification", FIDELITY: "doc"}
    assert set(notification["properties"]["payload"]["properties"]) == {
        "id", "model_id", "model_name", "created_at", "updated_at", "most_recent_message",
        "recent_messages", "platform", "platform_user_id", "keyword",
    }  # fmt: skip


def test_the_control_endpoints_are_tagged_and_left_out_without_control() -> None:
    with_control = build_spec(control=True)["paths"]
    without = build_spec(control=False)["paths"]
    naxon_control = [path for path in with_control if path.startswith("/__sandbox__/naxon/")]

    assert len(naxon_control) == 5
    for path in naxon_control:
        assert path not in without
        for method, operation in with_control[path].items():
            if method != "servers":
                assert operation["tags"] == [CONTROL_TAG], (path, method)


def test_the_description_is_pure_python_and_may_come_first() -> None:
    """The console's tests build the document under the console's settings: describing Naxon
    must load none of the sandbox's Django code."""
    script = (
        "import sys\n"
        "import sandbox.naxon.openapi\n"
        "from sandbox.openapi import build_spec\n"
        "build_spec()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('django.db', 'sandbox.naxon.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['sandbox.naxon.openapi', 'sandbox.naxon.rules']"
    assert openapi.NAXON in openapi.PLATFORM_SPECS
