"""/integrations/: credentials are encrypted at rest, never shown back, tested on demand, and
every change is audited without the secret."""

import pytest

from dashboard.audit.models import AuditEvent
from dashboard.integrations.models import Integration
from sandbox.connectiveone.credentials import API_KEY
from tests.broadcasts.helpers import SENDER_EMAIL, set_up_connectiveone, set_up_sender
from tests.fixtures.sandbox import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_saved_password_is_sealed_and_never_shown_back(manager_client, platform):
    set_up_sender(manager_client)

    stored = Integration.objects.get(kind=Integration.Kind.CONNEXTLIVE_SENDER)
    page = manager_client.get("/integrations/").content.decode()
    assert DEMO_PASSWORD not in stored.sealed_secrets and DEMO_PASSWORD not in str(stored.config)
    assert stored.secrets() == {"password": DEMO_PASSWORD}
    assert DEMO_PASSWORD not in page and SENDER_EMAIL in page
    assert "Leave blank to keep the one stored." in page


def test_test_connection_signs_in_as_the_sender(manager_client, platform):
    set_up_sender(manager_client)

    response = manager_client.post(
        "/integrations/connextlive/test/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "Signed in as Priya Patel" in response.content.decode()


def test_a_wrong_password_fails_the_test_without_signing_the_manager_out(manager_client, platform):
    manager_client.post(
        "/integrations/connextlive/", {"email": SENDER_EMAIL, "password": "not-the-password"}
    )

    response = manager_client.post(
        "/integrations/connextlive/test/", headers={"HX-Request": "true"}
    )

    assert "Failed" in response.content.decode()
    assert manager_client.get("/integrations/").status_code == 200  # still signed in


def test_connectiveone_test_connection(manager_client, platform):
    set_up_connectiveone(manager_client, platform)

    response = manager_client.post(
        "/integrations/connectiveone/test/", headers={"HX-Request": "true"}
    )

    assert "Connected: the instance lists" in response.content.decode()
    assert API_KEY not in manager_client.get("/integrations/").content.decode()


def test_a_url_outside_connectiveone_is_refused(manager_client, platform):
    response = manager_client.post(
        "/integrations/connectiveone/",
        {"base_url": "http://169.254.169.254/latest", "auth_mode": "api_key", "api_key": "x"},
    )

    assert response.status_code == 422
    assert not Integration.objects.exists()


def test_changes_are_audited_without_the_secret(manager_client, platform):
    set_up_connectiveone(manager_client, platform)

    event = AuditEvent.objects.get(action="integration.update")
    assert API_KEY not in str(event.changes)
    assert "api_key" in event.changes


def test_agents_cannot_open_it(agent_client, platform):
    assert agent_client.get("/integrations/").status_code == 403


def test_another_workspace_does_not_see_it(manager_client, other_client, platform):
    set_up_sender(manager_client)

    page = other_client.get("/integrations/").content.decode()

    assert SENDER_EMAIL not in page


def test_remove_asks_first_and_says_what_stops(manager_client, platform):
    set_up_connectiveone(manager_client, platform)

    page = manager_client.get("/integrations/").content.decode()
    asked = manager_client.get("/integrations/connectiveone/remove/")

    # The integrations page links to the question; the question removes nothing by itself.
    assert 'href="/integrations/connectiveone/remove/"' in page
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Remove ConnectiveOne?" in html
    assert "ConnectiveOne broadcasts, chats and tickets stop working here." in html
    assert 'action="/integrations/connectiveone/remove/"' in html
    assert Integration.objects.filter(kind=Integration.Kind.CONNECTIVEONE).exists()


def test_remove_after_the_question_deletes_it_and_audits_it(manager_client, platform):
    set_up_connectiveone(manager_client, platform)

    response = manager_client.post("/integrations/connectiveone/remove/")

    assert response.status_code in (302, 303)
    assert not Integration.objects.filter(kind=Integration.Kind.CONNECTIVEONE).exists()
    assert AuditEvent.objects.filter(action="integration.remove").count() == 1


def test_removing_what_is_not_set_up_offers_nothing_to_press(manager_client, platform):
    html = manager_client.get("/integrations/uchat/remove/").content.decode()

    assert "not set up: there is nothing to remove" in html
    assert 'action="/integrations/uchat/remove/"' not in html


def test_agents_cannot_reach_the_question(agent_client, platform):
    assert agent_client.get("/integrations/connectiveone/remove/").status_code == 403


def test_a_wrong_api_key_is_said_when_saved_and_names_connectiveone(manager_client, platform):
    response = manager_client.post(
        "/integrations/connectiveone/",
        {"base_url": platform.url + "/connectiveone", "auth_mode": "api_key", "api_key": "wrong"},
        follow=True,
    )

    html = response.content.decode()
    assert "ConnectiveOne saved, but the connection check failed" in html
    assert "ConnectiveOne refused these credentials" in html
    assert "platform sign-in" not in html
    stored = Integration.objects.get(kind=Integration.Kind.CONNECTIVEONE)
    assert stored.last_check_ok is False


def test_right_credentials_are_confirmed_when_saved(manager_client, platform):
    set_up_connectiveone(manager_client, platform)

    html = manager_client.get("/integrations/").content.decode()

    assert "ConnectiveOne saved. Connected: the instance lists" in html
    assert Integration.objects.get(kind=Integration.Kind.CONNECTIVEONE).last_check_ok is True
