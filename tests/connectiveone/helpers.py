"""The sandbox's ConnectiveOne as a workspace's integration, stored directly (browser tests,
which have no signed-in test client to post the integrations form with)."""

from accounts.models import User
from dashboard.integrations.models import Integration
from sandbox.connectiveone.credentials import API_KEY


def connect_connectiveone(email: str, sandbox_url: str) -> Integration:
    """The ConnectiveOne integration of `email`'s workspace (signed in once already)."""
    tenant_id = User.objects.get(email=email).tenant_id
    integration = Integration(
        tenant_id=tenant_id,
        kind=Integration.Kind.CONNECTIVEONE,
        config={"base_url": sandbox_url + "/connectiveone", "auth_mode": "api_key"},
    )
    integration.store_secrets({"api_key": API_KEY})
    integration.save()
    return integration
