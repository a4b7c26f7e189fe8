"""A manager broadcasts to a filtered audience in a real browser: composes the message (with its
live preview) for the waiting conversations, checks the audience, sends it, watches the progress
bar reach 100 % as a real worker sends, and downloads a report that names every recipient once.
All under the strict CSP, without a console error."""

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.broadcasts.models import Broadcast
from dashboard.integrations.models import Integration
from tests.accounts.helpers import platform_as
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures
from tests.jobs.fixtures import job_settings, worker  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SENDER_EMAIL = "priya@example.com"  # an agent of the demo workspace


def set_up_sender(tenant_id: str) -> None:
    kind = Integration.Kind.CONNEXTLIVE_SENDER
    sender = Integration(tenant_id=tenant_id, kind=kind, config={"email": SENDER_EMAIL})
    sender.store_secrets({"password": sandbox_fixtures.DEMO_PASSWORD})
    sender.save()


@pytest.mark.usefixtures("worker")
def test_a_broadcast_to_the_waiting_conversations_from_compose_to_report(
    page, live_console, sandbox
):
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    waiting = {c.id for c in truth.iter_conversations(status="WAITING")}
    set_up_sender(truth.get_workspace().tenant_id)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)

    # The conversations page's "Broadcast to these" link carries its filter.
    page.goto("/broadcasts/new/?audience=conversations&status=WAITING")
    expect(page.get_by_label("Conversation status")).to_have_value("WAITING")
    page.get_by_label("Name").fill("Waiting list update")
    page.get_by_label("Message").fill("Thanks for waiting <3\nAn agent is on the way.")
    expect(page.locator("#message-preview")).to_contain_text("Thanks for waiting <3")
    page.get_by_role("button", name="Check the audience").click()

    # The dry run: how many, and a few of them; nothing sent yet.
    expect(page.locator("#broadcast-count")).to_have_text(f"{len(waiting)} recipients")
    expect(page.locator("#broadcast-sample li").first).to_be_visible()
    sandbox.clear_requests()
    page.get_by_role("button", name="Send to everyone matching").click()

    expect(page.locator("#job-bar")).to_have_attribute("value", "100", timeout=60_000)
    expect(page.locator("#job-state")).to_have_text("Finished")
    expect(page.locator('#job-counts dd[data-state="done"]')).to_have_text(str(len(waiting)))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (CSV)").click()
    report = Path(download_info.value.path()).read_text()

    rows = list(csv.DictReader(report.splitlines()))
    assert sorted(row["key"] for row in rows) == sorted(waiting)
    assert {row["state"] for row in rows} == {"done"}
    sent = [
        r["path"].split("/")[-2]
        for r in sandbox.requests()
        if r["method"] == "POST" and re.search(r"/conversations/[^/]+/messages$", r["path"])
    ]
    assert sorted(sent) == sorted(waiting)
    assert Broadcast.objects.get().job.state == "done"
    assert page.console_problems == []
