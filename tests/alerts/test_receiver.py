"""The keyword webhook receiver, `POST /hooks/naxon/<secret>/`: JSON of the documented shape only,
at most 256 KB, each notification stored once; garbage gets the right 4xx with a reason (and is
kept in the rejected deliveries), never a 500, and nothing valid is lost."""

import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dashboard.alerts.models import AlertHook, KeywordAlert, RejectedDelivery
from dashboard.alerts.receiver import _COLUMNS as INSERTED_COLUMNS
from dashboard.audit.models import AuditEvent
from tests.alerts.helpers import (
    body,
    create_hook,
    current_hook_path,
    notification,
    raw_conversations,
    tenant_of,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def hook(manager_client) -> str:
    return create_hook(manager_client)


@pytest.fixture
def conversations(platform) -> list[dict]:
    return raw_conversations(platform)


def post(path: str, data: bytes, content_type: str = JSON) -> "Client.response":
    """Content type sent even with an empty body (the test client leaves it out then)."""
    client = Client(enforce_csrf_checks=True)
    return client.generic("POST", path, data, content_type, CONTENT_TYPE=content_type)


def test_a_notification_is_stored_with_what_the_feed_shows(hook, conversations, manager_client):
    conversation = conversations[0]

    response = post(hook, body(notification(conversation, "refund")))

    assert response.status_code == 200
    assert response.json() == {"status": "accepted"}
    alert = KeywordAlert.objects.get()
    message = conversation["most_recent_message"]
    assert alert.tenant_id == tenant_of(manager_client)
    assert alert.keyword == "refund"
    assert alert.conversation_id == conversation["id"] > 2**53  # exact, not through a float
    assert alert.model_id == conversation["model_id"]
    assert alert.model_name == conversation["model_name"]
    assert alert.platform == conversation["platform"]
    assert alert.platform_user_id == conversation["platform_user_id"]
    assert (alert.message_id, alert.message) == (message["id"], message["message"])
    assert alert.message_at == datetime.strptime(message["created_at"], "%Y-%m-%dT%H:%M:%S%z")
    assert abs(alert.received_at - timezone.now()) < timedelta(minutes=1)
    assert alert.handled_at is None and alert.handled_by_email == ""


def test_the_insert_names_every_column_a_new_alert_has():
    """The receiver writes with plain SQL: a column added to the model must be added there."""
    columns = {field.column for field in KeywordAlert._meta.concrete_fields}
    assert set(INSERTED_COLUMNS) == columns - {"id", "handled_at", "handled_by_id"}


def test_a_redelivery_is_not_a_second_alert(hook, conversations):
    delivery = body(notification(conversations[0]))

    answers = [post(hook, delivery) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert KeywordAlert.objects.count() == 1


def test_another_keyword_or_message_is_another_alert(hook, conversations):
    first, second = conversations[:2]

    post(hook, body(notification(first, "refund")))
    post(hook, body(notification(first, "lawyer")))
    post(hook, body(notification(second, "refund")))

    assert KeywordAlert.objects.count() == 3


def test_the_same_keyword_in_other_case_is_the_same_alert(hook, conversations):
    post(hook, body(notification(conversations[0], "refund")))
    post(hook, body(notification(conversations[0], "REFUND")))

    assert KeywordAlert.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_only_post(hook, method):
    response = getattr(Client(), method)(hook)

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_an_unknown_secret_is_404_and_kept_nowhere(hook, conversations):
    response = post("/hooks/naxon/not-a-secret-anyone-has/", body(notification(conversations[0])))

    assert response.status_code == 404
    assert not KeywordAlert.objects.exists() and not RejectedDelivery.objects.exists()


def deep(levels: int) -> bytes:
    return b'{"event":"keyword-notification","payload":' + b"[" * levels + b"]" * levels + b"}"


GARBAGE = [
    pytest.param(
        b"event=keyword-notification", "application/x-www-form-urlencoded", 415, id="form"
    ),
    pytest.param(b"{}", "text/plain", 415, id="text/plain"),
    pytest.param(b"", JSON, 400, id="empty"),
    pytest.param(b"{not json", JSON, 400, id="invalid JSON"),
    pytest.param(b"\xff\xfe\x00{", JSON, 400, id="not UTF-8"),
    pytest.param(b"[]", JSON, 400, id="an array"),
    pytest.param(b'{"event":"keyword-notification"}', JSON, 400, id="no payload"),
    pytest.param(deep(100_000), JSON, 400, id="deep nesting"),
    pytest.param(
        b'{"event":"keyword-notification","payload":' + b'{"a":' * 5000 + b"1" + b"}" * 5001,
        JSON,
        400,
        id="deep objects",
    ),
    pytest.param(b" " * (256 * 1024 + 1), JSON, 413, id="huge body"),
]


@pytest.mark.parametrize(("data", "content_type", "status"), GARBAGE)
def test_garbage_gets_the_right_4xx_and_is_kept_with_its_reason(hook, data, content_type, status):
    response = post(hook, data, content_type)

    assert response.status_code == status
    assert response.json()["error"]
    rejected = RejectedDelivery.objects.get()
    assert rejected.status == status and rejected.reason == response.json()["error"]
    assert not KeywordAlert.objects.exists()


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"event": "conversation-closed"}, "event"),
        ({"payload": {"keyword": "refund"}}, "id"),
    ],
)
def test_another_event_or_shape_is_400(hook, conversations, change, why):
    response = post(hook, body({**notification(conversations[0]), **change}))

    assert response.status_code == 400
    assert why in response.json()["error"]


@pytest.mark.parametrize(
    "payload_change",
    [
        {"keyword": ""},
        {"id": 1.4774425647841295e18},  # an id read as a float by someone
        {"id": "1477442564784129500"},
        {"id": 2**64},
        {"model_id": None},
        {"created_at": "yesterday"},
    ],
)
def test_a_bad_field_is_400(hook, conversations, payload_change):
    response = post(hook, body(notification(conversations[0], **payload_change)))

    assert response.status_code == 400
    assert not KeywordAlert.objects.exists()


def test_a_body_declaring_a_huge_length_is_refused_before_it_is_read(hook):
    response = Client().generic(
        "POST", hook, b"{}", content_type=JSON, CONTENT_LENGTH=str(10 * 1024 * 1024)
    )

    assert response.status_code == 413


def test_a_body_of_exactly_256_kb_is_accepted(hook, conversations):
    delivery = body(notification(conversations[0]))
    padded = delivery + b" " * (256 * 1024 - len(delivery))

    assert post(hook, padded).status_code == 200


def test_a_charset_in_the_content_type_is_fine(hook, conversations):
    response = post(hook, body(notification(conversations[0])), "application/json; charset=utf-8")

    assert response.status_code == 200


def test_nul_and_markup_in_a_message_are_kept_as_text(hook, conversations):
    conversation = conversations[0]
    message = {**conversation["most_recent_message"], "message": "<script>x</script>\x00 refund"}

    response = post(hook, body(notification(conversation, most_recent_message=message)))

    assert response.status_code == 200
    assert KeywordAlert.objects.get().message == "<script>x</script>\ufffd refund"


def test_nothing_valid_is_lost_among_garbage(hook, conversations):
    valid = [body(notification(c)) for c in conversations[:10]]
    sent = []
    for index, delivery in enumerate(valid):
        sent.append(post(hook, delivery).status_code)
        sent.append(post(hook, b"{oops", JSON).status_code)
        sent.append(post(hook, delivery).status_code)  # a redelivery
        sent.append(post(hook, delivery, "text/plain").status_code)
        del index

    assert sent.count(200) == 20 and sent.count(400) == 10 and sent.count(415) == 10
    assert set(KeywordAlert.objects.values_list("conversation_id", flat=True)) == {
        c["id"] for c in conversations[:10]
    }
    assert KeywordAlert.objects.count() == 10


def test_the_rejected_list_keeps_the_newest_50(hook):
    for index in range(55):
        post(hook, f"bad {index}".encode(), JSON)

    assert RejectedDelivery.objects.count() == 50
    assert not RejectedDelivery.objects.filter(excerpt="bad 0").exists()
    assert RejectedDelivery.objects.filter(excerpt="bad 54").exists()


def test_the_rejected_list_is_shown_to_managers_escaped(hook, manager_client, agent_client):
    post(hook, b"<img src=x onerror=alert(1)>", JSON)

    page = manager_client.get("/alerts/rejected/").content.decode()

    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "not JSON" in page
    assert agent_client.get("/alerts/rejected/").status_code == 403


# --- the URL: created, rotated with an overlap, audited ------------------------------------


def test_the_integrations_page_shows_the_url_with_a_copy_button(hook, manager_client):
    page = manager_client.get("/integrations/").content.decode()

    assert f'value="http://testserver{hook}"' in page
    assert 'data-copy-target="alert-hook-url"' in page
    assert AuditEvent.objects.filter(action="alert_hook.create").count() == 1


def test_the_secret_is_long_and_stored_sealed(hook):
    secret = hook.rstrip("/").rsplit("/", 1)[1]
    stored = AlertHook.objects.get()

    assert len(secret) >= 43
    assert secret not in stored.sealed_secret and secret not in stored.secret_hash


def test_rotating_keeps_the_old_url_for_the_overlap_then_it_stops(
    hook, manager_client, conversations
):
    old = hook
    manager_client.post("/alerts/hook/rotate/", {"overlap": "1h"})
    new = current_hook_path(tenant_of(manager_client))

    assert new != old
    assert post(old, body(notification(conversations[0]))).status_code == 200
    assert post(new, body(notification(conversations[1]))).status_code == 200
    page = manager_client.get("/integrations/").content.decode()
    assert f"http://testserver{old}" in page and "works until" in page

    AlertHook.objects.filter(expires_at__isnull=False).update(expires_at="2000-01-01T00:00Z")

    assert post(old, body(notification(conversations[2]))).status_code == 404
    assert post(new, body(notification(conversations[2]))).status_code == 200
    assert AuditEvent.objects.get(action="alert_hook.rotate").changes["overlap"] == [None, "1 hour"]


def test_rotating_with_no_overlap_ends_the_old_url_at_once(hook, manager_client, conversations):
    manager_client.post("/alerts/hook/rotate/", {"overlap": "now"})

    assert post(hook, body(notification(conversations[0]))).status_code == 404


def test_agents_cannot_rotate(agent_client, hook):
    assert agent_client.post("/alerts/hook/rotate/", {"overlap": "now"}).status_code == 403
    assert AlertHook.objects.count() == 1


def test_each_workspace_gets_its_own_alerts(hook, other_client, conversations, manager_client):
    other = create_hook(other_client)

    post(other, body(notification(conversations[0], "lawyer")))

    assert KeywordAlert.objects.get().tenant_id == tenant_of(other_client)
    assert "lawyer" not in manager_client.get("/alerts/").content.decode()
    assert "lawyer" in other_client.get("/alerts/").content.decode()


def test_the_answer_is_json(hook, conversations):
    response = post(hook, body(notification(conversations[0])))

    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "accepted"}
