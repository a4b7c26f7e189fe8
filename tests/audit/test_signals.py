"""Sign-ins, failed sign-ins and sign-outs become events through Django's auth signals. (The real
sign-in through /login/ is covered in test_views.py against the sandbox.)"""

import json

import pytest
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.test import RequestFactory

from accounts.models import User
from dashboard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def login_request():
    return RequestFactory().post("/login/", REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="Curl/8")


@pytest.fixture
def manager():
    return User.objects.create_user("usr_m", "boss@example.com", role="CUSTOMER", tenant_id="ten_a")


def test_a_sign_in_is_an_event_of_the_user(login_request, manager):
    user_logged_in.send(sender=User, request=login_request, user=manager)

    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.actor, event.tenant_id) == (
        "auth.sign_in",
        "success",
        manager,
        "ten_a",
    )
    assert (event.target_type, event.target_id, event.ip) == (
        "user",
        str(manager.pk),
        "198.51.100.9",
    )


def test_a_failed_sign_in_keeps_the_email_and_never_the_password(login_request):
    credentials = {"email": "Someone@Example.com", "password": "********", "otp": "123456"}

    user_login_failed.send(sender=None, credentials=credentials, request=login_request)

    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.actor) == ("auth.sign_in_failed", "failure", None)
    assert event.actor_email == "someone@example.com"
    stored = json.dumps([getattr(event, f.attname) for f in AuditEvent._meta.fields], default=str)
    assert "********" not in stored and "123456" not in stored
    assert event.tenant_id == ""  # an unknown email belongs to no workspace's log


def test_a_failed_sign_in_on_a_known_account_shows_in_its_workspace_log(login_request, manager):
    user_login_failed.send(
        sender=None,
        credentials={"email": "BOSS@example.com", "password": "x"},
        request=login_request,
    )

    event = AuditEvent.objects.get()
    assert (event.tenant_id, event.target_id) == ("ten_a", str(manager.pk))


def test_a_sign_out_is_an_event_and_signing_out_nobody_is_not(login_request, manager):
    user_logged_out.send(sender=User, request=login_request, user=manager)
    user_logged_out.send(sender=None, request=login_request, user=None)

    assert list(AuditEvent.objects.values_list("action", "actor_email")) == [
        ("auth.sign_out", "boss@example.com")
    ]
