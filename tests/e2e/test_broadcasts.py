"""A manager broadcasts to a filtered audience in a real browser: composes the message (with its
live preview) for the waiting conversations, checks the audience, sends it, watches the progress
bar reach 100 % as a real worker sends, and downloads a report that names every recipient once.
All under the strict CSP, without a console error."""

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from dashboard.broadcasts.models import Broadcast
from dashboard.integrations.models import Integration
from tests.accounts.helpers import platform_as
from tests.e2e.test_every_page import LAPTOP, PHONE, survey
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures
from tests.i18n.catalogues import fresh_catalogues
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
    # What sending does to the conversations is said right at the button, with who gets them.
    sender = next(a for a in truth.list_agents().agents if a.email == SENDER_EMAIL)
    expect(page.locator("#broadcast-assignment")).to_contain_text(
        f"{len(waiting)} conversations will be assigned to {sender.name} and set ACTIVE."
    )
    expect(page.get_by_role("button", name="Send to everyone matching")).to_have_attribute(
        "aria-describedby", "broadcast-assignment"
    )
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


def test_the_compose_page_shows_only_the_chosen_channels_and_audiences_fields(
    page, live_console, sandbox
):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/broadcasts/new/")
    audience = page.locator("#compose-audience")

    # Connextlive, its conversations: their filters and the sender's claim; nothing of the others.
    expect(page.get_by_label("Connextlive (as the sender agent)")).to_be_checked()
    expect(page.locator("#compose-connextlive-hint")).to_be_visible()
    expect(page.get_by_label("Conversation status")).to_be_visible()
    expect(
        page.get_by_label("Only conversations already assigned to the sender, or unassigned")
    ).to_be_visible()
    for hidden in ("#compose-visitors", "#compose-connectiveone", "#compose-chats", "#compose-csv"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(audience.get_by_label("ConnectiveOne chats created in a date range")).to_be_hidden()
    expect(audience.get_by_label("UChat subscribers matching a search")).to_be_hidden()

    page.get_by_label("Connextlive visitors matching a filter").check()
    expect(page.get_by_label("Search visitors")).to_be_visible()
    expect(page.locator("#compose-conversations")).to_be_hidden()

    # ConnectiveOne: its bot and entry, its chats (the Connextlive audiences no longer fit).
    page.get_by_label("ConnectiveOne (call_node)").check()
    expect(audience.get_by_label("ConnectiveOne chats created in a date range")).to_be_checked()
    expect(audience.get_by_label("Connextlive visitors matching a filter")).to_be_hidden()
    expect(audience.get_by_label("Connextlive visitors matching a filter")).to_be_disabled()
    expect(page.get_by_label("Bot id")).to_be_visible()
    expect(page.locator("#compose-chats")).to_be_visible()
    expect(page.locator("#compose-connextlive-hint")).to_be_hidden()
    expect(page.locator("#compose-visitors")).to_be_hidden()

    # LivePerson: a CSV only, with its own columns named.
    page.get_by_label("LivePerson: a conversation per consumer").check()
    expect(audience.get_by_label("An uploaded CSV of recipients")).to_be_checked()
    expect(audience.locator("[data-compose-channels]:visible")).to_have_count(1)
    expect(page.get_by_label("Recipients (CSV)")).to_be_visible()
    expect(page.locator("#compose-csv-columns li:visible")).to_have_text(
        [
            "LivePerson: a column ext_consumer_id (and first_name, last_name for the "
            "consumer’s profile)."
        ]
    )
    expect(page.get_by_label("Close each conversation after sending")).to_be_visible()
    expect(page.locator("#compose-chats")).to_be_hidden()
    expect(page.locator("#compose-connectiveone")).to_be_hidden()

    # A channel whose form comes back with an error keeps showing only its own fields.
    page.get_by_label("Name", exact=True).fill("Shipping")
    page.get_by_label("Message", exact=True).fill("Shipped")
    page.get_by_role("button", name="Check the audience").click()
    expect(page.get_by_text("Choose the CSV file of recipients.")).to_be_visible()
    expect(page.get_by_label("LivePerson: a conversation per consumer")).to_be_checked()
    expect(page.locator("#compose-conversations")).to_be_hidden()
    assert page.console_problems == []


def test_without_javascript_every_field_shows(browser, live_console, sandbox):
    context = browser.new_context(java_script_enabled=False, base_url=live_console.url)
    page = context.new_page()
    try:
        sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
        page.goto("/broadcasts/new/")
        for group in (
            "#compose-conversations",
            "#compose-visitors",
            "#compose-connectiveone",
            "#compose-chats",
            "#compose-liveperson",
            "#compose-csv",
        ):
            expect(page.locator(group)).to_be_visible()
        expect(page.get_by_label("ConnectiveOne chats created in a date range")).to_be_enabled()
    finally:
        context.close()


@pytest.mark.parametrize("code", ["tr", "de"])
def test_a_draft_in_turkish_and_german_is_accessible_at_both_widths(
    page, live_console, sandbox, code
):
    """The longest translations, the assignment warning, the test send's choices: no serious
    axe violation and no sideways scroll, at 1366 px and 390 px."""
    fresh_catalogues()
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    set_up_sender(truth.get_workspace().tenant_id)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    User.objects.filter(email=sandbox_fixtures.MANAGER_EMAIL).update(language=code)
    page.goto("/broadcasts/new/?audience=conversations&status=WAITING")
    expect(page.locator("html")).to_have_attribute("lang", code)
    page.locator("#id_name").fill("Holiday hours")
    page.locator("#id_message").fill("We are closed on Monday.")
    page.locator("#compose-submit").click()
    expect(page.locator("#broadcast-assignment")).to_be_visible()
    draft = {"broadcast": Broadcast.objects.get().pk}
    paths = ["/broadcasts/", "/broadcasts/new/", "/broadcasts/{broadcast}/"]

    problems = []
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        problems += survey(page, paths, draft)

    assert not problems, "\n".join(problems)
    assert page.console_problems == []
