"""/integrations/ for UChat and LivePerson: sealed, write-only secrets, an allow-listed partner
URL, test-connection buttons, the webhook URL and secret to paste into LivePerson, audited."""

import pytest

from dashboard.audit.models import AuditEvent
from dashboard.integrations.models import Integration
from sandbox.liveperson.credentials import CLIENT_SECRET
from sandbox.uchat.credentials import BOT_TOKEN, TEAM_ONLY_TOKEN
from tests.broadcasts.channels import set_up_liveperson, set_up_uchat

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def test_the_bot_token_is_sealed_and_never_shown_back(manager_client, platform):
    set_up_uchat(manager_client, platform)

    stored = Integration.objects.get(kind=Integration.Kind.UCHAT)
    page = manager_client.get("/integrations/").content.decode()
    assert BOT_TOKEN not in stored.sealed_secrets and BOT_TOKEN not in str(stored.config)
    assert stored.secrets() == {"bot_token": BOT_TOKEN}
    assert BOT_TOKEN not in page and platform.url + "/uchat/api" in page


def test_uchat_test_connection_counts_the_bots_subscribers(manager_client, platform):
    set_up_uchat(manager_client, platform)

    response = manager_client.post("/integrations/uchat/test/", headers=HX)

    assert "Connected: the bot has 400 subscribers" in response.content.decode()


def test_a_token_without_the_scope_fails_the_test_without_signing_the_manager_out(
    manager_client, platform
):
    set_up_uchat(manager_client, platform, token=TEAM_ONLY_TOKEN)

    response = manager_client.post("/integrations/uchat/test/", headers=HX)

    assert "Failed" in response.content.decode()
    assert manager_client.get("/integrations/").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest", "https://evil.example.com/api", "file:///etc/passwd"],
)
def test_a_partner_url_outside_the_allow_list_is_refused(manager_client, platform, url):
    response = manager_client.post(
        "/integrations/uchat/", {"base_url": url, "bot_token": BOT_TOKEN}
    )

    assert response.status_code == 422
    assert not Integration.objects.exists()


def test_uchat_domains_are_allowed(manager_client, platform):
    response = manager_client.post(
        "/integrations/uchat/",
        {"base_url": "https://www.uchat.com.au/api", "bot_token": BOT_TOKEN},
    )

    assert response.status_code == 303


def test_liveperson_secret_is_sealed_and_the_webhook_is_shown(manager_client, platform):
    set_up_liveperson(manager_client)

    stored = Integration.objects.get(kind=Integration.Kind.LIVEPERSON)
    page = manager_client.get("/integrations/").content.decode()
    secret = stored.secrets()["webhook_secret"]
    assert stored.secrets()["client_secret"] == CLIENT_SECRET
    assert CLIENT_SECRET not in page and CLIENT_SECRET not in stored.sealed_secrets
    assert f"/hooks/liveperson/{stored.setting('hook_id')}/" in page
    assert secret in page and len(secret) >= 32


def test_saving_again_keeps_the_webhook_url_and_secret(manager_client, platform):
    set_up_liveperson(manager_client)
    before = Integration.objects.get(kind=Integration.Kind.LIVEPERSON)

    set_up_liveperson(manager_client, rate_limit=50, secret="")  # blank: keep the stored one

    after = Integration.objects.get(kind=Integration.Kind.LIVEPERSON)
    assert after.setting("hook_id") == before.setting("hook_id")
    assert after.secrets() == before.secrets()
    assert after.setting("rate_limit") == 50


def test_liveperson_test_connection_gets_an_app_token(manager_client, platform):
    set_up_liveperson(manager_client)

    response = manager_client.post("/integrations/liveperson/test/", headers=HX)

    assert "Connected: account" in response.content.decode()


def test_a_wrong_client_secret_fails_the_test(manager_client, platform):
    set_up_liveperson(manager_client, secret="not-the-secret")

    response = manager_client.post("/integrations/liveperson/test/", headers=HX)

    assert "Failed" in response.content.decode()
    assert manager_client.get("/integrations/").status_code == 200


def test_changes_are_audited_without_the_secrets(manager_client, platform):
    set_up_uchat(manager_client, platform)
    set_up_liveperson(manager_client)

    events = AuditEvent.objects.filter(action="integration.update")
    text = " ".join(str(e.changes) for e in events)
    assert events.count() == 2
    assert BOT_TOKEN not in text and CLIENT_SECRET not in text
    assert "bot_token" in text and "client_secret" in text


def test_agents_cannot_change_them(agent_client, platform):
    response = agent_client.post("/integrations/uchat/", {"base_url": "x", "bot_token": "y"})

    assert response.status_code == 403
    assert not Integration.objects.exists()


def test_consumer_tokens_are_kept_sealed_and_a_busy_database_costs_no_message(monkeypatch):
    from django.db import OperationalError

    from dashboard.integrations.models import ConsumerToken, SealedConsumerTokens

    store = SealedConsumerTokens()
    store.put("90233546", "acme-1", "consumer-jws")
    assert store.get("90233546", "acme-1") == "consumer-jws"
    assert "consumer-jws" not in ConsumerToken.objects.get().sealed_token
    assert store.get("90233546", "acme-2") is None

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ConsumerToken.objects, "update_or_create", locked)
    store.put("90233546", "acme-2", "another")  # logged, not raised
    assert store.get("90233546", "acme-2") is None
