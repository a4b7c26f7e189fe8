"""Shared steps of the conversation tests: the platform's truth, found by what a test needs."""

from collections.abc import Callable
from typing import Any

from dashboard.platforms.connextlive_records import ConversationSummary
from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures


def tenant(platform: Any):
    return platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant


def agent_api(platform: Any):
    return platform_as(platform, sandbox_fixtures.AGENT_EMAIL).agent


def agent_user_id(platform: Any) -> str:
    return agent_api(platform).profile().id


def find_conversation(
    platform: Any, matches: Callable[[ConversationSummary], bool]
) -> ConversationSummary:
    for conversation in tenant(platform).iter_conversations(status="all"):
        if matches(conversation):
            return conversation
    raise AssertionError("the seed has no such conversation")


def counts_on_platform(platform: Any, **filters: Any) -> dict[str, int]:
    api = tenant(platform)
    return {
        status: api.list_conversations(status=status, limit=1, **filters).total
        for status in ("ACTIVE", "WAITING", "CLOSED", "all")
    }
