"""A broadcast on two channels in a real browser: a UChat sub-flow to a tag, with a LivePerson CSV
added as another channel's audience; 30 people are on both, and each gets one message (the
sandbox's own records say so). Real worker, strict CSP, no console error."""

from collections import Counter

import pytest
from playwright.sync_api import expect

from dashboard.jobs.models import JobItem
from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
from sandbox.uchat.credentials import BOT_TOKEN
from tests.broadcasts.channels import liveperson_conversations
from tests.broadcasts.test_once import CONSUMER_OF, LIVEPERSON_ONLY, NO_MESSAGES, SHARED
from tests.e2e.test_channels import save_card
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures
from tests.jobs.fixtures import job_settings, worker  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("worker")
def test_a_two_channel_broadcast_sends_each_shared_person_one_message(
    page, live_console, sandbox, tmp_path
):
    assert len(SHARED) == 30
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/integrations/")
    save_card(
        page,
        "uchat-card",
        {"Partner API URL": sandbox.url + "/uchat/api", "Bot token": BOT_TOKEN},
    )
    save_card(
        page,
        "liveperson-card",
        {"Account id": ACCOUNT_ID, "Client id": CLIENT_ID, "Client secret": CLIENT_SECRET},
    )

    # The first channel: UChat's "Spring campaign" tag (40 subscribers, the first 40 people).
    page.goto("/broadcasts/new/")
    page.get_by_label("Name", exact=True).fill("Spring news")
    page.get_by_label("Message", exact=True).fill("Spring is here")
    page.get_by_label("konversation (UChat): a sub-flow, or the text").check()
    page.get_by_label("UChat subscribers with any of these tags").check()
    page.get_by_label("Send the text above instead of a sub-flow").check()
    page.get_by_label("Spring campaign").check()
    page.get_by_role("button", name="Check the audience").click()
    expect(page.locator("#broadcast-count")).to_have_text("40 recipients")

    # Another channel: a LivePerson CSV of 30 of them and 5 others, with their e-mails.
    recipients = tmp_path / "consumers.csv"
    rows = "".join(
        f"{CONSUMER_OF[p.email]},{p.first_name},{p.email}\n" for p in [*SHARED, *LIVEPERSON_ONLY]
    )
    recipients.write_text("ext_consumer_id,first_name,email\n" + rows)
    page.locator("#broadcast-add-channel").click()
    expect(page.locator("#compose-part-of")).to_contain_text("Spring news")
    page.get_by_label("LivePerson: a conversation per consumer").check()
    page.get_by_label("An uploaded CSV of recipients").check()
    page.get_by_label("Recipients (CSV)").set_input_files(recipients)
    page.get_by_role("button", name="Check the audience").click()
    # 44: the tag's 40 less the one UChat would refuse (not allowing messages), and 5 others.
    expect(page.locator("#broadcast-count")).to_have_text("44 recipients")
    expect(page.get_by_text("30 duplicates removed")).to_be_visible()
    expect(page.locator("#broadcast-parts")).to_contain_text("LivePerson")

    page.get_by_role("button", name="Send to everyone matching").click()
    expect(page.locator("#job-state")).to_have_text("Finished", timeout=90_000)
    expect(page.locator('#job-counts dd[data-state="done"]')).to_have_text("44")
    expect(page.locator('#job-counts dd[data-state="skipped"]')).to_have_text("31")

    texts = sandbox.http.get("/__sandbox__/uchat/sent").json()["sent"]
    per_subscriber = Counter(s["userNs"] for s in texts if s["kind"] == "text")
    assert max(per_subscriber.values()) == 1
    for person in SHARED:
        (reached,) = JobItem.objects.filter(key__startswith="0/", payload__email=person.email)
        assert per_subscriber[reached.key[2:]] == 1  # one message, through UChat
        assert liveperson_conversations(sandbox, CONSUMER_OF[person.email]) == []
    for person in LIVEPERSON_ONLY:
        (conversation,) = liveperson_conversations(sandbox, CONSUMER_OF[person.email])
        assert [m["message"] for m in conversation["messages"]] == ["Spring is here"]
    assert liveperson_conversations(sandbox, CONSUMER_OF[NO_MESSAGES.email]) == []
    assert page.console_problems == []
