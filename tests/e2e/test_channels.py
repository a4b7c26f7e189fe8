"""UChat and LivePerson in a real browser, as a manager uses them: set up each integration on
the integrations page (and test it), tag a subscriber, send a UChat sub-flow to a tag, send a
LivePerson broadcast from a CSV, paste the webhook into "LivePerson" (the sandbox), and see a
consumer's reply arrive on the broadcast's report. Real worker, strict CSP, no console error."""

from collections import Counter

import pytest
from playwright.sync_api import expect

from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
from sandbox.uchat.credentials import BOT_TOKEN, FIRST_USER_NS
from tests.broadcasts.channels import consumer_reply, liveperson_conversations, set_webhook
from tests.broadcasts.test_channels import CONSUMERS
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures
from tests.jobs.fixtures import job_settings, worker  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPLY = "Thanks! Can I change the delivery address?"


def save_card(page, card: str, fields: dict[str, str]) -> None:
    section = page.locator(f"#{card}")
    for label, value in fields.items():
        section.get_by_label(label, exact=True).fill(value)
    section.get_by_role("button", name="Save").click()
    expect(page.locator(f"#{card}").get_by_role("button", name="Test connection")).to_be_visible()


@pytest.mark.usefixtures("worker")
def test_uchat_from_the_integration_to_a_sub_flow_broadcast_to_a_tag(page, live_console, sandbox):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/integrations/")
    save_card(
        page,
        "uchat-card",
        {"Partner API URL": sandbox.url + "/uchat/api", "Bot token": BOT_TOKEN},
    )
    page.locator("#uchat-card").get_by_role("button", name="Test connection").click()
    expect(page.locator("#uchat-check")).to_contain_text("Connected: the bot has 400 subscribers")
    expect(page.locator("#uchat-card")).not_to_contain_text(BOT_TOKEN)

    # Tag a subscriber from the subscribers page.
    page.get_by_role("link", name="UChat", exact=True).click()
    page.get_by_label("Search").press_sequentially("Jane", delay=20)
    page.locator("#subscriber-rows").get_by_role("link", name="Jane Cooper").click()
    expect(page).to_have_url(f"{live_console.url}/uchat/{FIRST_USER_NS}/")
    page.get_by_label("Add a tag").select_option(label="Lead")
    page.locator("#subscriber-tag-add").click()
    expect(page.locator("#subscriber-tags .tag", has_text="Lead")).to_be_visible()

    # A sub-flow broadcast to a tag, from the one compose page.
    page.goto("/broadcasts/new/")
    page.get_by_label("Name", exact=True).fill("Spring sale")
    page.get_by_label("konversation (UChat): a sub-flow, or the text").check()
    page.get_by_label("UChat subscribers with any of these tags").check()
    page.get_by_label("Sub-flow to send").select_option(label="Spring sale announcement")
    page.get_by_label("Spring campaign").check()
    page.get_by_role("button", name="Check the audience").click()
    expect(page.locator("#broadcast-count")).to_have_text("40 recipients")
    page.get_by_role("button", name="Send to everyone matching").click()

    expect(page.locator("#job-state")).to_have_text("Finished", timeout=60_000)
    done = int(page.locator('#job-counts dd[data-state="done"]').inner_text())
    # The one of the 40 that UChat lists as not allowing messages is skipped, never sent to.
    skipped = int(page.locator('#job-counts dd[data-state="skipped"]').inner_text())
    assert done + skipped == 40 and skipped == 1
    sent = sandbox.http.get("/__sandbox__/uchat/sent").json()["sent"]
    per_subscriber = Counter(s["userNs"] for s in sent if s["kind"] == "sub_flow")
    assert len(per_subscriber) == done and max(per_subscriber.values()) == 1
    assert page.console_problems == []


@pytest.mark.usefixtures("worker")
def test_liveperson_from_the_integration_to_a_reply_on_the_report(
    page, live_console, sandbox, tmp_path
):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/integrations/")
    save_card(
        page,
        "liveperson-card",
        {"Account id": ACCOUNT_ID, "Client id": CLIENT_ID, "Client secret": CLIENT_SECRET},
    )
    page.locator("#liveperson-card").get_by_role("button", name="Test connection").click()
    expect(page.locator("#liveperson-check")).to_contain_text("Connected")
    # The manager pastes the webhook URL and secret into LivePerson (here: the sandbox).
    hook_url = page.locator("#liveperson-webhook-url").inner_text()
    hook_secret = page.locator("#liveperson-webhook-secret").inner_text()
    set_webhook(sandbox, hook_url, hook_secret)

    recipients = tmp_path / "consumers.csv"
    rows = "".join(f"{consumer},Customer {n}\n" for n, consumer in enumerate(CONSUMERS[:3]))
    recipients.write_text("ext_consumer_id,first_name\n" + rows)
    page.goto("/broadcasts/new/")
    page.get_by_label("Name", exact=True).fill("Shipping update")
    page.get_by_label("Message", exact=True).fill("Your order has shipped <3")
    page.get_by_label("LivePerson: a conversation per consumer").check()
    page.get_by_label("An uploaded CSV of recipients").check()
    page.get_by_label("Recipients (CSV)").set_input_files(recipients)
    page.get_by_role("button", name="Check the audience").click()
    expect(page.locator("#broadcast-count")).to_have_text("3 recipients")
    page.get_by_role("button", name="Send to everyone matching").click()
    expect(page.locator("#job-state")).to_have_text("Finished", timeout=60_000)
    expect(page.locator('#job-counts dd[data-state="done"]')).to_have_text("3")

    (conversation,) = liveperson_conversations(sandbox, CONSUMERS[1])
    consumer_reply(sandbox, conversation["conversationId"], REPLY)

    def reply_shown() -> bool:
        page.reload()
        return page.locator("#broadcast-replies .sb-reply").count() == 1

    expect(page.locator("#broadcast-replies")).to_be_visible()
    deadline_poll(reply_shown)
    row = page.locator("#broadcast-replies .sb-reply")
    expect(row).to_contain_text("replied")
    expect(row).to_contain_text(REPLY)
    expect(row).to_contain_text("Customer 1")
    expect(row).to_contain_text(conversation["conversationId"])
    assert page.console_problems == []


def deadline_poll(condition, seconds: float = 20) -> None:
    import time

    give_up = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > give_up:
            pytest.fail("the reply did not arrive on the report")
        time.sleep(0.25)
