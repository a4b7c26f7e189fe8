"""Whose language a page is in: the user's own choice wins over the workspace's, the workspace's
over English; blank means the workspace's again. Agents take the language a manager's session
last read (they cannot read the workspace settings)."""

import pytest
from django.test import Client

from accounts.models import User, WorkspaceLanguage
from dashboard.audit.models import AuditEvent
from tests.accounts.helpers import platform_as
from tests.fixtures.console import sign_in
from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL

pytestmark = pytest.mark.django_db


def language_of(client: Client, path: str = "/audit/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response["Content-Language"]


def set_workspace_language(platform, code: str) -> None:
    platform_as(platform, MANAGER_EMAIL).tenant.update_workspace(language=code)


def test_without_a_choice_pages_are_in_english(manager_client):
    assert language_of(manager_client) == "en"


def test_the_workspace_language_wins_over_the_default(console_platform):
    set_workspace_language(console_platform, "de")

    client = sign_in(Client(), MANAGER_EMAIL)

    assert language_of(client) == "de"
    assert 'lang="de"' in client.get("/visitors/").content.decode()


def test_the_users_choice_wins_over_the_workspaces_and_blank_goes_back(console_platform):
    set_workspace_language(console_platform, "de")
    client = sign_in(Client(), MANAGER_EMAIL)

    response = client.post("/preferences/", {"language": "tr", "time_zone": ""})

    assert response.status_code == 303
    # The confirmation is said in the language just chosen.
    assert "Kaydedildi." in client.get("/preferences/").content.decode()
    assert User.objects.get(email=MANAGER_EMAIL).language == "tr"
    assert language_of(client) == "tr"
    event = AuditEvent.objects.get(action="user.preferences")
    assert event.changes == {"language": ["", "tr"]}

    client.post("/preferences/", {"language": "", "time_zone": ""})
    assert language_of(client) == "de"


def test_a_language_the_console_does_not_speak_is_refused(manager_client):
    response = manager_client.post("/preferences/", {"language": "fr", "time_zone": ""})

    assert response.status_code == 422
    assert User.objects.get(email=MANAGER_EMAIL).language == ""


def test_the_browser_does_not_override_a_signed_in_users_language(manager_client):
    response = manager_client.get("/audit/", headers={"Accept-Language": "es"})

    assert response["Content-Language"] == "en"


def test_an_agent_takes_the_language_a_manager_last_read(console_platform):
    set_workspace_language(console_platform, "es")
    sign_in(Client(), MANAGER_EMAIL)  # reads the workspace: its language is now known here

    agent = sign_in(Client(), AGENT_EMAIL)

    assert WorkspaceLanguage.objects.get().language == "es"
    assert language_of(agent, "/conversations/") == "es"


def test_a_language_changed_elsewhere_is_followed_after_the_next_revalidation(
    manager_client, console_platform, settings
):
    settings.SESSION_REVALIDATE_SECONDS = 0  # every page asks the platform
    set_workspace_language(console_platform, "tr")

    manager_client.get("/audit/")  # the check that reads the workspace again

    assert language_of(manager_client) == "tr"


def test_after_signing_out_the_sign_in_page_stays_in_the_users_language(manager_client):
    User.objects.filter(email=MANAGER_EMAIL).update(language="tr")
    manager_client.get("/audit/")  # a signed-in page sets the language cookie

    manager_client.post("/logout/")
    page = manager_client.get("/login/", headers={"Accept-Language": "de"})

    assert 'lang="tr"' in page.content.decode()
    cookie = manager_client.cookies["django_language"]
    assert cookie.value == "tr" and cookie["httponly"] and cookie["samesite"] == "Lax"
