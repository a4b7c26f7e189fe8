"""/alerts/: newest first, with the keyword, model, platform, matched message and a link to the
conversation; filters by keyword and model; "mark handled" with who and when (managers, audited);
agents read only; the overview's card."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.alerts.models import KeywordAlert
from dashboard.audit.models import AuditEvent
from tests.alerts.helpers import body, create_hook, notification, raw_conversations
from tests.fixtures.sandbox import MANAGER_EMAIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(manager_client, platform) -> list[dict]:
    """Three alerts received in this order: refund, lawyer, cancel (each in its own
    conversation)."""
    hook = create_hook(manager_client)
    conversations = raw_conversations(platform)[:3]
    for conversation, keyword in zip(conversations, ("refund", "lawyer", "cancel"), strict=True):
        response = manager_client.post(
            hook, body(notification(conversation, keyword)), content_type="application/json"
        )
        assert response.status_code == 200
    return conversations


def alert_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="alert-\d+">.*?</tr>', html, re.S)


def test_newest_first_with_everything_the_manager_needs(manager_client, alerts):
    page = manager_client.get("/alerts/").content.decode()

    rows = alert_rows(page)
    assert [re.search(r"bg-red-lt\">(\w+)<", row).group(1) for row in rows] == [
        "cancel",
        "lawyer",
        "refund",
    ]
    newest, conversation = rows[0], alerts[2]
    assert f'href="/naxon/conversations/{conversation["id"]}/"' in newest
    assert f'href="/naxon/models/{conversation["model_id"]}/"' in newest
    assert conversation["platform"] in newest
    assert conversation["platform_user_id"] in newest
    assert "3 unhandled" in page


def test_filters_by_keyword_and_model(manager_client, alerts):
    by_keyword = manager_client.get("/alerts/?keyword=lawyer").content.decode()
    model_id = alerts[0]["model_id"]
    by_model = manager_client.get(f"/alerts/?model={model_id}").content.decode()

    assert len(alert_rows(by_keyword)) == 1 and "lawyer" in alert_rows(by_keyword)[0]
    expected = sum(1 for c in alerts if c["model_id"] == model_id)
    assert len(alert_rows(by_model)) == expected
    assert '<option value="lawyer"' in by_keyword
    assert len(alert_rows(manager_client.get("/alerts/?model=nonsense").content.decode())) == 0


def test_mark_handled_says_who_and_when_and_is_audited(manager_client, alerts):
    alert = KeywordAlert.objects.get(keyword="lawyer")

    response = manager_client.post(f"/alerts/{alert.pk}/handle/", {"next": "/alerts/?state=all"})

    assert response.status_code == 303 and response["Location"] == "/alerts/?state=all"
    alert.refresh_from_db()
    assert alert.handled_by_email == MANAGER_EMAIL and alert.handled_at is not None
    row = [r for r in alert_rows(manager_client.get("/alerts/").content.decode()) if "lawyer" in r]
    assert f"by {MANAGER_EMAIL}" in row[0] and "Mark handled" not in row[0]
    event = AuditEvent.objects.get(action="alert.handle")
    assert event.target_id == str(alert.pk)
    unhandled = manager_client.get("/alerts/?state=unhandled").content.decode()
    assert len(alert_rows(unhandled)) == 2


def test_marking_twice_changes_nothing(manager_client, alerts):
    alert = KeywordAlert.objects.get(keyword="refund")
    manager_client.post(f"/alerts/{alert.pk}/handle/")
    first = KeywordAlert.objects.get(pk=alert.pk).handled_at

    manager_client.post(f"/alerts/{alert.pk}/handle/")

    assert KeywordAlert.objects.get(pk=alert.pk).handled_at == first
    assert AuditEvent.objects.filter(action="alert.handle").count() == 1


def test_the_next_url_stays_on_the_alerts_page(manager_client, alerts):
    alert = KeywordAlert.objects.first()

    response = manager_client.post(f"/alerts/{alert.pk}/handle/", {"next": "//evil.example/"})

    assert response["Location"] == "/alerts/"


def test_agents_read_alerts_but_cannot_handle_them(agent_client, alerts):
    page = agent_client.get("/alerts/").content.decode()
    alert = KeywordAlert.objects.first()

    assert len(alert_rows(page)) == 3 and "Mark handled" not in page
    assert agent_client.post(f"/alerts/{alert.pk}/handle/").status_code == 403
    assert not KeywordAlert.objects.filter(handled_at__isnull=False).exists()


def test_another_workspaces_alert_cannot_be_handled(other_client, alerts):
    alert = KeywordAlert.objects.first()

    assert other_client.post(f"/alerts/{alert.pk}/handle/").status_code == 404


def test_the_live_refresh_is_the_rows_with_the_counts(manager_client, alerts):
    response = manager_client.get(
        "/alerts/", headers={"HX-Request": "true", "HX-Target": "alert-rows"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<tbody id="alert-rows"')
    assert len(alert_rows(html)) == 3 and 'id="alert-table-title" hx-swap-oob="true"' in html
    assert "HX-Push-Url" not in response.headers


def test_garbage_filters_are_never_an_error(manager_client, alerts):
    response = manager_client.get("/alerts/?keyword=%00&model=-1&state=maybe&page=-3&limit=9999")

    assert response.status_code == 200


def test_the_overview_card_counts_the_last_24_hours_and_the_unhandled(manager_client, alerts):
    old = KeywordAlert.objects.get(keyword="refund")
    old.received_at = timezone.now() - timedelta(hours=30)
    old.save()
    KeywordAlert.objects.filter(keyword="lawyer").update(handled_at=timezone.now())

    page = manager_client.get("/").content.decode()

    assert re.search(r'id="figure-alerts-24h">2<', page)
    assert re.search(r'id="figure-alerts-unhandled">2<', page)
    assert 'href="/alerts/"' in page


def test_mark_handled_with_htmx_answers_the_rows_in_place(manager_client, alerts):
    alert = KeywordAlert.objects.get(keyword="cancel")

    response = manager_client.post(
        f"/alerts/{alert.pk}/handle/",
        {"next": "/alerts/?state=unhandled"},
        headers={"HX-Request": "true", "HX-Target": "alert-rows"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<tbody id="alert-rows"')
    assert len(alert_rows(html)) == 2 and "cancel" not in "".join(alert_rows(html))
    assert "2 unhandled" in html  # the count, out of band
