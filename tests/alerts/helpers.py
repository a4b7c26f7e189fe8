"""Keyword notifications as Naxon sends them, and the workspace's webhook URL."""

import json
from typing import Any

from accounts.vault import unseal
from dashboard.alerts.hooks import hook_path, working_hooks
from sandbox.naxon.credentials import API_TOKEN


def create_hook(client: Any) -> str:
    """The manager creates (or rotates) the webhook URL on /integrations/; its path."""
    response = client.post("/alerts/hook/rotate/", {"overlap": "1h"})
    assert response.status_code == 303, response.content.decode()[:500]
    return current_hook_path(tenant_of(client))


def tenant_of(client: Any) -> str:
    from accounts.models import User

    return User.objects.get(pk=client.session["_auth_user_id"]).tenant_id


def current_hook_path(tenant_id: str) -> str:
    current = [hook for hook in working_hooks(tenant_id) if hook.expires_at is None]
    return hook_path(unseal(current[0].sealed_secret))


def raw_conversations(platform: Any, **params: Any) -> list[dict]:
    answer = platform.http.get(
        "/naxon/conversations",
        params={"per_page": 20, **params},
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    )
    answer.raise_for_status()
    return answer.json()["data"]


def notification(conversation: dict, keyword: str = "refund", **changes: Any) -> dict:
    return {
        "event": "keyword-notification",
        "payload": {**conversation, "keyword": keyword, **changes},
    }


def body(value: Any) -> bytes:
    return json.dumps(value).encode()
