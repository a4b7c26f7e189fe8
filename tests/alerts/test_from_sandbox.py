"""The sandbox's Naxon posts its keyword notifications to the running console over real HTTP:
each arrives as one alert, redeliveries included, and a burst with redeliveries is stored
exactly once per distinct notification."""

import time
from typing import Any

import pytest
from django.test import Client

from dashboard.alerts.models import KeywordAlert
from sandbox.naxon.credentials import API_TOKEN
from tests.alerts.helpers import create_hook
from tests.fixtures.console import sign_in
from tests.fixtures.sandbox import MANAGER_EMAIL

pytestmark = pytest.mark.django_db(transaction=True)

CONTROL = "/__sandbox__/naxon"


def control(sandbox: Any, path: str, **body: Any) -> dict:
    response = sandbox.http.post(CONTROL + path, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def wait_until(done, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def delivered(sandbox: Any, count: int) -> bool:
    summary = sandbox.http.get(CONTROL + "/deliveries").json()["summary"]
    return summary.get("delivered", 0) >= count


@pytest.fixture
def hooked(live_console, sandbox) -> str:
    manager = sign_in(Client(), MANAGER_EMAIL)
    url = live_console.url + create_hook(manager)
    control(sandbox, "/webhook", url=url, keywords=["refund", "lawyer"], maxAttempts=3)
    yield url
    sandbox.reset()  # stops whatever is still sending


def a_conversation(sandbox: Any) -> dict:
    answer = sandbox.http.get(
        "/naxon/conversations", headers={"Authorization": f"Bearer {API_TOKEN}"}
    )
    return answer.json()["data"][2]


def test_an_injected_message_becomes_one_alert(hooked, sandbox):
    conversation = a_conversation(sandbox)

    injected = control(
        sandbox, f"/conversations/{conversation['id']}/messages", message="I want a REFUND now"
    )
    wait_until(lambda: KeywordAlert.objects.exists(), "the alert")

    alert = KeywordAlert.objects.get()
    assert alert.conversation_id == conversation["id"]
    assert alert.message_id == injected["message"]["id"]
    assert alert.keyword == "refund"

    control(sandbox, "/webhook/send", messageId=str(alert.message_id), repeat=3)
    wait_until(lambda: delivered(sandbox, 4), "the redeliveries")
    assert KeywordAlert.objects.count() == 1


def test_a_burst_with_redeliveries_is_stored_once_each(hooked, sandbox):
    burst = control(sandbox, "/webhook/burst", count=60, redeliveryShare=0.25)

    wait_until(lambda: delivered(sandbox, 60), "the burst")

    summary = sandbox.http.get(CONTROL + "/deliveries").json()["summary"]
    assert summary.get("failed", 0) == 0
    assert KeywordAlert.objects.count() == burst["distinct"]
