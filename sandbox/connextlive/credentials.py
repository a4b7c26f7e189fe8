"""The sandbox's published Connextlive accounts. Pure Python, no Django: tests, benchmarks and
`GET /__sandbox__/credentials` read them without loading the sandbox's models."""

DEMO_PASSWORD = "switchboard-demo"
MANAGER_EMAIL = "manager@example.com"
AGENT_EMAIL = "agent@example.com"
OTHER_EMAIL = "other@example.com"
OTHER_AGENT_EMAIL = "globex-agent@example.com"
NEWCOMER_EMAIL = "new@example.com"  # a tenant with no workspace yet: GET auto-creates one


def published() -> dict:
    account = {"password": DEMO_PASSWORD}
    return {
        "baseUrl": "/connextlive",
        "accounts": [
            {"email": MANAGER_EMAIL, "role": "CUSTOMER", "workspace": "demo", **account},
            {"email": AGENT_EMAIL, "role": "AGENT", "workspace": "demo", **account},
            {"email": OTHER_EMAIL, "role": "CUSTOMER", "workspace": "other", **account},
            {"email": OTHER_AGENT_EMAIL, "role": "AGENT", "workspace": "other", **account},
            {"email": NEWCOMER_EMAIL, "role": "CUSTOMER", "workspace": None, **account},
        ],
    }
