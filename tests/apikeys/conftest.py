from typing import Any

import pytest
from django.test import Client

from tests.apikeys.helpers import confirm_password


@pytest.fixture
def keys_manager(manager_client: Client) -> Client:
    """The demo manager, signed in, who has just confirmed their password."""
    confirm_password(manager_client)
    return manager_client


@pytest.fixture
def other_keys_manager(other_client: Client) -> Client:
    """The manager of the second workspace, password confirmed."""
    confirm_password(other_client)
    return other_client


@pytest.fixture
def platform_url(console_platform: Any) -> str:
    return console_platform.connextlive_url
