"""The sandbox's published Naxon AI credentials and seed ids. Pure Python, no Django: tests and
benchmarks of the console import them without loading the sandbox's models."""

API_TOKEN = "nxn_sandbox_api_token_7c1e94b2d8a6f305"
# The document's example model (`{"id": 123, "name": "Acme Web Chat"}`), and a model whose id
# exceeds 2**53: read as a float it becomes 9007199254740992, another id.
WEB_CHAT_MODEL_ID = 123
BIG_ID_MODEL_ID = 2**53 + 1
# A model created days ago that has no conversation yet.
EMPTY_MODEL_ID = 150
# The words the seed's conversations use that a support team would watch (issue 15's examples).
WATCHED_KEYWORDS = ("refund", "lawyer", "cancel")


def published() -> dict:
    return {
        "baseUrl": "/naxon",
        "apiToken": API_TOKEN,
        "models": {
            "webChat": WEB_CHAT_MODEL_ID,
            "bigId": BIG_ID_MODEL_ID,
            "empty": EMPTY_MODEL_ID,
        },
        "keywords": list(WATCHED_KEYWORDS),
    }
