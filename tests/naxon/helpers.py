"""Setting up the workspace's Naxon AI integration through the console, as a manager does."""

from typing import Any

from dashboard.platforms.base import ClientOptions
from dashboard.platforms.naxon import NaxonClient
from sandbox.naxon.credentials import API_TOKEN


def naxon_url(platform: Any) -> str:
    return platform.url + "/naxon"


def set_up_naxon(client: Any, platform: Any, token: str = API_TOKEN) -> None:
    response = client.post(
        "/integrations/naxon/", {"base_url": naxon_url(platform), "api_token": token}
    )
    assert response.status_code == 303, response.content.decode()[:800]


def direct_client(platform: Any) -> NaxonClient:
    """The bare platform client, to compare the pages with."""
    return NaxonClient(naxon_url(platform), API_TOKEN, options=ClientOptions())
