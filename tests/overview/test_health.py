"""/healthz and /readyz: unauthenticated probes that say what is wrong without naming secrets,
and only to those who may know; /readyz does not call the platform for every probe."""

import pytest
from django.test import Client

from dashboard.jobs import liveness
from dashboard.overview import health
from tests.accounts.helpers import closed_port_url

pytestmark = pytest.mark.django_db

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture(autouse=True)
def _a_worker_ran_a_task():
    """A worker's heartbeat, fresh: these tests are about the other checks (a real worker's
    heartbeat, and its absence, are tests/jobs/test_liveness.py's)."""
    liveness.record("celery@health-tests")


@pytest.fixture(autouse=True)
def _fresh_platform_check():
    health.PLATFORM_CHECK.forget()
    yield
    health.PLATFORM_CHECK.forget()


def platform_probes(platform) -> int:
    return sum(1 for r in platform.requests() if r["path"].endswith("/api/tenant/workspace"))


def test_healthz_answers_while_the_process_lives():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_stays_trivial_when_the_platform_is_down(settings, django_assert_num_queries):
    settings.PLATFORM_URL = closed_port_url()

    with django_assert_num_queries(0):
        response = Client().get("/healthz", **OUTSIDE)

    assert response.status_code == 200


def test_readyz_is_ok_when_database_broker_and_platform_answer(console_platform):
    response = Client().get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "platform", "worker"}
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


def test_readyz_reuses_its_platform_check_for_a_few_seconds(console_platform, settings):
    settings.READYZ_PLATFORM_CHECK_SECONDS = 60
    console_platform.clear_requests()

    first = Client().get("/readyz").json()
    later = [Client().get("/readyz").json() for _ in range(4)]

    assert platform_probes(console_platform) == 1
    assert "cached" not in first["checks"]["platform"]
    assert all(body["checks"]["platform"]["cached"] for body in later)


def test_readyz_checks_the_platform_again_once_the_result_is_old(console_platform, settings):
    settings.READYZ_PLATFORM_CHECK_SECONDS = 0
    console_platform.clear_requests()

    for _ in range(3):
        Client().get("/readyz")

    assert platform_probes(console_platform) == 3


def test_readyz_tells_callers_from_elsewhere_the_status_alone(console_platform, settings):
    settings.PLATFORM_URL = closed_port_url()

    response = Client().get("/readyz", **OUTSIDE)

    assert response.status_code == 503
    assert response.json() == {"status": "fail"}


def test_readyz_tells_the_details_to_a_caller_with_the_token(console_platform, settings):
    settings.READYZ_TOKEN = "probe-token-of-this-deployment"

    wrong = Client().get("/readyz", headers={"Authorization": "Bearer nope"}, **OUTSIDE)
    right = Client().get(
        "/readyz", headers={"Authorization": "Bearer probe-token-of-this-deployment"}, **OUTSIDE
    )

    assert wrong.json() == {"status": "ok"}
    assert set(right.json()["checks"]) == {"database", "broker", "platform", "worker"}


def test_readyz_behind_a_proxy_judges_the_client_address_not_the_proxys(console_platform, settings):
    settings.AUDIT_TRUSTED_PROXIES = 1

    outside = Client().get("/readyz", HTTP_X_FORWARDED_FOR="203.0.113.9")
    inside = Client().get("/readyz", HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert "checks" not in outside.json()
    assert "checks" in inside.json()
