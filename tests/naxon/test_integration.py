"""/integrations/ for Naxon AI: the base URL is allow-listed, the token sealed and write-only,
the connection testable, every change audited, managers only."""

import pytest

from dashboard.audit.models import AuditEvent
from dashboard.integrations.models import Integration
from sandbox.naxon.credentials import API_TOKEN
from tests.naxon.helpers import naxon_url, set_up_naxon

pytestmark = pytest.mark.django_db


def test_the_token_is_sealed_and_never_shown_back(manager_client, platform):
    set_up_naxon(manager_client, platform)

    stored = Integration.objects.get(kind=Integration.Kind.NAXON)
    page = manager_client.get("/integrations/").content.decode()
    assert stored.secrets() == {"api_token": API_TOKEN}
    assert API_TOKEN not in stored.sealed_secrets and API_TOKEN not in str(stored.config)
    assert API_TOKEN not in page and naxon_url(platform) in page
    assert stored.config == {"base_url": naxon_url(platform)}


def test_a_blank_token_keeps_the_stored_one(manager_client, platform):
    set_up_naxon(manager_client, platform)

    response = manager_client.post(
        "/integrations/naxon/", {"base_url": naxon_url(platform), "api_token": ""}
    )

    assert response.status_code == 303
    assert Integration.objects.get(kind="naxon").secrets() == {"api_token": API_TOKEN}


def test_a_token_is_required_the_first_time(manager_client, platform):
    response = manager_client.post("/integrations/naxon/", {"base_url": naxon_url(platform)})

    assert response.status_code == 422
    assert "The API token is required." in response.content.decode()
    assert not Integration.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "http://localhost.evil.example/naxon",
        "http://user:pw@127.0.0.1/naxon",
        "ftp://127.0.0.1/naxon",
        "http://10.0.0.1/naxon",
    ],
)
def test_a_host_outside_the_allow_list_is_refused(manager_client, platform, url):
    response = manager_client.post("/integrations/naxon/", {"base_url": url, "api_token": "x"})

    assert response.status_code == 422
    assert not Integration.objects.exists()


def test_an_allowed_host_can_be_configured(manager_client, platform, settings):
    settings.NAXON_ALLOWED_HOSTS = ["api.naxon.example"]

    response = manager_client.post(
        "/integrations/naxon/", {"base_url": "https://api.naxon.example/v1", "api_token": "t"}
    )

    assert response.status_code == 303


def test_test_connection_lists_the_models(manager_client, platform):
    set_up_naxon(manager_client, platform)

    response = manager_client.post("/integrations/naxon/test/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Connected: the account has 7 models." in response.content.decode()
    assert AuditEvent.objects.get(action="integration.test").outcome == "success"


def test_a_wrong_token_fails_the_test_and_the_manager_stays_signed_in(manager_client, platform):
    set_up_naxon(manager_client, platform, token="nxn_wrong")

    response = manager_client.post("/integrations/naxon/test/", headers={"HX-Request": "true"})

    assert "refused the API token" in response.content.decode()
    assert manager_client.get("/integrations/").status_code == 200
    assert AuditEvent.objects.get(action="integration.test").outcome == "failure"


def test_changes_are_audited_without_the_token(manager_client, platform):
    set_up_naxon(manager_client, platform)
    manager_client.post("/integrations/naxon/remove/")

    update = AuditEvent.objects.get(action="integration.update")
    assert API_TOKEN not in str(update.changes)
    assert "api_token" in update.changes  # named as changed, its value redacted
    assert update.changes["base_url"] == [None, naxon_url(platform)]
    assert AuditEvent.objects.filter(action="integration.remove").count() == 1
    assert not Integration.objects.exists()


def test_agents_cannot_change_it(agent_client, platform):
    response = agent_client.post(
        "/integrations/naxon/", {"base_url": naxon_url(platform), "api_token": API_TOKEN}
    )

    assert response.status_code == 403
    assert not Integration.objects.exists()


def test_an_htmx_save_with_errors_answers_the_card_alone(manager_client, platform):
    response = manager_client.post(
        "/integrations/naxon/",
        {"base_url": "http://169.254.169.254/", "api_token": "x"},
        headers={"HX-Request": "true", "HX-Target": "naxon-card"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<section id="naxon-card"') and "<html" not in html
    assert "not an allowed Naxon host" in html
