"""Signed-in tokens for the raw-HTTP tests of the sandbox (a fresh sign-in per test: cheap)."""

import pytest

from tests.fixtures.sandbox import (
    AGENT_EMAIL,
    MANAGER_EMAIL,
    OTHER_AGENT_EMAIL,
    OTHER_EMAIL,
    Sandbox,
)


@pytest.fixture
def manager(sandbox: Sandbox) -> str:
    return sandbox.login(MANAGER_EMAIL)


@pytest.fixture
def agent(sandbox: Sandbox) -> str:
    return sandbox.login(AGENT_EMAIL)


@pytest.fixture
def other_manager(sandbox: Sandbox) -> str:
    return sandbox.login(OTHER_EMAIL)


@pytest.fixture
def other_agent(sandbox: Sandbox) -> str:
    return sandbox.login(OTHER_AGENT_EMAIL)
