"""The audit log's API (record, recording) and the immutability of its rows."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from accounts.models import User
from dashboard.audit import Target, record, recording
from dashboard.audit.log import REDACTED, USER_AGENT_MAX, client_ip
from dashboard.audit.models import AuditEvent, ImmutableAuditEvent
from dashboard.platforms.errors import PlatformUnavailable

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return User.objects.create_user(
        "usr_manager", "boss@example.com", role="CUSTOMER", tenant_id="ten_a"
    )


@pytest.fixture
def request_by(manager):
    request = RequestFactory().post(
        "/workspace/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox/140"
    )
    request.user = manager
    return request


def test_record_writes_who_what_target_changes_and_where(request_by, manager):
    event = record(
        request_by,
        "workspace.update",
        target=Target("workspace", "wsp_1", "Acme"),
        changes={"timezone": ["UTC", "Europe/Berlin"]},
    )

    event.refresh_from_db()
    assert event.actor == manager
    assert event.actor_email == "boss@example.com"
    assert event.tenant_id == "ten_a"
    assert (event.action, event.target_type, event.target_id, event.target_label) == (
        "workspace.update",
        "workspace",
        "wsp_1",
        "Acme",
    )
    assert event.changes == {"timezone": ["UTC", "Europe/Berlin"]}
    assert event.outcome == "success"
    assert event.ip == "203.0.113.7"
    assert event.user_agent == "Firefox/140"
    assert timezone.now() - event.created_at < timedelta(minutes=1)


def test_an_anonymous_request_takes_the_actor_email_from_the_argument():
    request = RequestFactory().post("/login/")
    request.user = _anonymous()

    event = record(request, "auth.sign_in_failed", outcome="failure", actor_email="x@example.com")

    assert event.actor is None
    assert event.actor_email == "x@example.com"
    assert event.outcome == "failure"


def test_secret_looking_fields_never_reach_the_event(request_by):
    event = record(
        request_by,
        "apikey.create",
        changes={"plainKey": [None, "cxl_live_abc"], "password": "hunter2", "name": [None, "Web"]},
    )

    assert event.changes == {
        "plainKey": [REDACTED, REDACTED],
        "password": [REDACTED, REDACTED],
        "name": [None, "Web"],
    }


def test_a_long_user_agent_is_truncated(request_by):
    request_by.META["HTTP_USER_AGENT"] = "x" * 5000

    event = record(request_by, "workspace.update")

    assert len(event.user_agent) == USER_AGENT_MAX


def test_recording_records_success_with_what_the_block_filled_in(request_by):
    with recording(request_by, "agent.invite", target=Target("invitation")) as event:
        event.changes = {"email": [None, "a@example.com"]}
        event.target = Target("invitation", "inv_1", "A <a@example.com>")

    saved = AuditEvent.objects.get()
    assert (saved.outcome, saved.target_id, saved.error) == ("success", "inv_1", "")
    assert saved.changes == {"email": [None, "a@example.com"]}


def test_recording_records_a_platform_failure_with_its_message_and_reraises(request_by):
    with pytest.raises(PlatformUnavailable):
        with recording(request_by, "workspace.update", target=Target("workspace", "wsp_1")):
            raise PlatformUnavailable("timeout")

    saved = AuditEvent.objects.get()
    assert saved.outcome == "failure"
    assert saved.error == "The platform is unavailable right now (timeout)"


def test_a_platform_failure_is_logged_in_english_whatever_the_managers_language(request_by):
    with translation.override("tr"), pytest.raises(PlatformUnavailable) as caught:
        with recording(request_by, "workspace.update", target=Target("workspace", "wsp_1")):
            raise PlatformUnavailable("timeout")

    with translation.override("tr"):
        assert str(caught.value) == "Platform şu anda kullanılamıyor (zaman aşımı)"  # as shown
    assert AuditEvent.objects.get().error == "The platform is unavailable right now (timeout)"


def test_recording_names_only_the_class_of_an_unexpected_exception(request_by):
    with pytest.raises(ValueError):
        with recording(request_by, "workspace.update"):
            raise ValueError("token=abc123 leaked in a message")

    saved = AuditEvent.objects.get()
    assert saved.outcome == "failure"
    assert saved.error == "Unexpected error (ValueError)"
    assert "abc123" not in saved.error


def test_a_refusal_inside_recording_is_a_failure_without_an_exception(request_by):
    with recording(request_by, "agent.invite") as event:
        event.fail("Invitation limit reached")

    saved = AuditEvent.objects.get()
    assert (saved.outcome, saved.error) == ("failure", "Invitation limit reached")


def test_an_event_cannot_be_saved_again(request_by):
    event = record(request_by, "workspace.update")
    event.action = "something.else"

    with pytest.raises(ImmutableAuditEvent):
        event.save()
    assert AuditEvent.objects.get().action == "workspace.update"


def test_an_event_cannot_be_deleted_one_by_one_or_in_bulk(request_by):
    event = record(request_by, "workspace.update")

    with pytest.raises(ImmutableAuditEvent):
        event.delete()
    with pytest.raises(ImmutableAuditEvent):
        AuditEvent.objects.all().delete()
    with pytest.raises(ImmutableAuditEvent):
        AuditEvent.objects.update(action="x")
    assert AuditEvent.objects.count() == 1


def test_deleting_the_user_keeps_their_events_with_the_email(request_by, manager):
    record(request_by, "workspace.update")

    manager.delete()

    event = AuditEvent.objects.get()
    assert event.actor is None
    assert event.actor_email == "boss@example.com"


def test_the_ip_is_remote_addr_unless_proxies_are_declared(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    assert client_ip(request) == "10.0.0.2"  # a client-written header is not trusted by default

    settings.AUDIT_TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.4"  # the address our one proxy saw

    request.META["REMOTE_ADDR"] = "not an address"
    request.META.pop("HTTP_X_FORWARDED_FOR")
    assert client_ip(request) is None


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
