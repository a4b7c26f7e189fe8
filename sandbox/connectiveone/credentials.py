"""The sandbox's published ConnectiveOne credentials and seed ids. Pure Python, no Django:
tests and benchmarks of the console import them without loading the sandbox's models."""

API_KEY = "kw_sandbox_api_key_4f1c2a9e7b3d5c8a"
EXTERNAL_TOKEN = "kw_sandbox_external_token_9d2e6b1f"
OPERATOR_EMAIL = "operator@example.com"
OPERATOR_PASSWORD = "switchboard-demo"
MAIN_BOT_ID = 1
OTHER_BOT_ID = 2
ENTRY_ALIAS = "entry_point_alias"
ENTRY_NODE_ID = 101


def published() -> dict:
    return {
        "baseUrl": "/connectiveone",
        "apiKey": API_KEY,
        "externalToken": EXTERNAL_TOKEN,
        "operator": {"email": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD},
        "bots": {"main": MAIN_BOT_ID, "other": OTHER_BOT_ID},
        "entry": {"alias": ENTRY_ALIAS, "nodeId": ENTRY_NODE_ID},
    }
