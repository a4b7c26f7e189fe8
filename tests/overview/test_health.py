"""/healthz and /readyz: unauthenticated probes that say what is wrong without naming secrets."""

import pytest
from django.test import Client

from tests.accounts.helpers import closed_port_url

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_lives():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_broker_and_platform_answer(console_platform):
    response = Client().get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "platform"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["ms"], int | float)


def test_readyz_fails_when_the_platform_is_unreachable(console_platform, settings):
    settings.PLATFORM_URL = closed_port_url()

    response = Client().get("/readyz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["platform"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    assert settings.PLATFORM_URL.split("//")[1].split("/")[0] not in response.content.decode()


def test_readyz_fails_when_the_platform_answers_5xx(console_platform):
    console_platform.set_faults(errorRate=1.0, errorStatus=503, paths=r".*")

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["platform"]["status"] == "fail"


def test_readyz_fails_when_the_broker_is_unreachable(console_platform, settings, monkeypatch):
    from dashboard.celery import app

    # As settings configure a Redis broker: its URL, and no filesystem transport override.
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.conf, "broker_transport", None)

    response = Client().get("/readyz")

    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["broker"]["status"] == "fail"
    assert "127.0.0.1:1" not in response.content.decode()


def test_probes_carry_no_secrets_and_are_not_cached(console_platform, settings):
    for path in ("/healthz", "/readyz"):
        response = Client().get(path)
        assert settings.SECRET_KEY not in response.content.decode()
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
