"""The compose page and the draft's page without dead ends: each group of fields says which
channel or audience it belongs to (the page's script shows only those; without it all show), the
Connextlive assignment is stated with its count and the sender's name at the start button, an
audience can leave other agents' conversations alone, and the test send picks a recipient of the
audience's sample. Against the sandbox over HTTP."""

import re
from collections import Counter
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboard.broadcasts.models import Broadcast
from tests.broadcasts.helpers import (
    SENDER_EMAIL,
    broadcast_id_from,
    compose,
    compose_to_chats,
    sample_keys,
    set_up_connectiveone,
    set_up_sender,
)
from tests.broadcasts.test_sending import start
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished, item_states, manager_api

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = re.compile(r"/conversations/([^/]+)/messages$")


def messages_sent(platform) -> Counter:
    """Messages the platform accepted, by conversation: the sandbox's own log."""
    return Counter(
        match.group(1)
        for r in platform.requests()
        if r["method"] == "POST" and r["status"] == 200 and (match := MESSAGES.search(r["path"]))
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def test_the_compose_page_marks_each_group_with_its_channel_or_audience(manager_client, platform):
    page = manager_client.get("/broadcasts/new/").content.decode()

    # Every field is in the page (no script: all of them show, the server checks the rest).
    for name in ("conversation_status", "visitor_search", "bot_id", "chats_from", "csv_file"):
        assert f'name="{name}"' in page, name
    assert re.search(r'data-compose-channel="connextlive" id="compose-connextlive-hint"', page)
    assert re.search(r'data-compose-audience="conversations" id="compose-conversations"', page)
    assert re.search(r'data-compose-channel="connectiveone" id="compose-connectiveone"', page)
    assert re.search(r'data-compose-audience="chats" id="compose-chats"', page)
    assert re.search(r'data-compose-audience="csv" id="compose-csv"', page)
    # Each audience says which channels can send to it.
    radio = r'data-compose-channels="([^"]+)"><label[^>]*><input[^>]*value="(\w+)"'
    radios = re.findall(radio, page)
    fits = {audience: channels for channels, audience in radios}
    assert len(fits) == len(Broadcast.Audience.values)
    assert fits["conversations"] == "connextlive"
    assert fits["chats"] == "connectiveone"
    assert set(fits["csv"].split()) == {"connextlive", "connectiveone", "uchat", "liveperson"}
    assert '<script src="/static/js/broadcasts.js" defer></script>' in page


def test_the_start_button_says_how_many_conversations_go_to_which_agent(manager_client, platform):
    set_up_sender(manager_client)
    api = manager_api(platform)
    waiting = api.tenant.list_conversations(status="WAITING", limit=1).total
    sender = next(a for a in api.tenant.list_agents().agents if a.email == SENDER_EMAIL)
    broadcast_id = broadcast_id_from(compose(manager_client, conversation_status="WAITING"))

    page = manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()

    warning = re.search(
        r'<div class="alert alert-warning[^"]*" id="broadcast-assignment">(.*?)</div>', page, re.S
    )
    assert warning, "no assignment warning at the start button"
    assert (
        text_of(warning.group(1))
        .strip()
        .startswith(f"{waiting} conversations will be assigned to {sender.name} and set ACTIVE.")
    )
    assert 'id="broadcast-start" aria-describedby="broadcast-assignment"' in page


def test_one_conversation_is_said_in_the_singular(manager_client, platform):
    set_up_sender(manager_client)
    api = manager_api(platform)
    one = api.tenant.list_conversations(status="WAITING", limit=1).items[0]
    csv = f"conversation_id\n{one.id}\n".encode()
    upload = SimpleUploadedFile("one.csv", csv, content_type="text/csv")
    broadcast_id = broadcast_id_from(compose(manager_client, audience="csv", csv_file=upload))

    page = text_of(manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode())

    assert "1 conversation will be assigned to Priya" in page


def test_another_channel_says_nothing_of_an_assignment(manager_client, platform):
    set_up_connectiveone(manager_client, platform)
    broadcast_id = broadcast_id_from(compose_to_chats(manager_client))

    page = manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()

    assert 'id="broadcast-assignment"' not in page


def test_sparing_other_agents_leaves_their_conversations_alone(manager_client, platform, worker):
    set_up_sender(manager_client)
    api = manager_api(platform)
    agents = {a.email: a for a in api.tenant.list_agents().agents}
    sender = agents[SENDER_EMAIL]
    other = next(a for email, a in agents.items() if email != SENDER_EMAIL and a.role == "AGENT")
    waiting = list(api.tenant.iter_conversations(status="WAITING"))
    unassigned = [c for c in waiting if c.agent_id is None]
    assert len(unassigned) >= 3
    # One waiting conversation is the sender's, one another agent's.
    api.tenant.assign_conversation(unassigned[0].id, sender.id)
    api.tenant.assign_conversation(unassigned[1].id, other.id)
    waiting = list(api.tenant.iter_conversations(status="WAITING"))
    others = {c.id for c in waiting if c.agent_id not in (None, sender.id)}
    kept = {c.id for c in waiting if c.agent_id in (None, sender.id)}
    assert unassigned[1].id in others and unassigned[0].id in kept

    broadcast_id = broadcast_id_from(
        compose(manager_client, conversation_status="WAITING", spare_other_agents="on")
    )
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    assert broadcast.spare_other_agents
    assert broadcast.audience_estimate == len(kept)
    page = text_of(manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode())
    assert f"{len(kept)} conversations will be assigned to {sender.name}" in page
    assert "left alone" in page
    platform.clear_requests()

    job = start(manager_client, broadcast_id)
    wait_until(lambda: finished(job.pk), "the broadcast to finish")

    assert item_states(job.pk) == {"done": len(kept)}
    assert set(messages_sent(platform)) == kept
    for conversation_id in others:  # not messaged, and still the other agent's
        assert api.tenant.get_conversation(conversation_id).agent_id not in (None, sender.id)
    assert api.tenant.get_conversation(unassigned[1].id).agent_id == other.id


def test_the_option_is_only_kept_for_connextlive_conversations(manager_client, platform):
    set_up_sender(manager_client)
    broadcast_id = broadcast_id_from(
        compose(manager_client, audience="visitors", spare_other_agents="on")
    )

    assert not Broadcast.objects.get(pk=broadcast_id).spare_other_agents


def test_the_test_send_offers_the_samples_recipients_by_name(manager_client, platform):
    set_up_sender(manager_client)
    broadcast_id = broadcast_id_from(compose(manager_client, conversation_status="WAITING"))
    broadcast = Broadcast.objects.get(pk=broadcast_id)

    page = manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()

    select = re.search(r'<select name="recipient"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no recipient select"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert options[0][0] == ""  # "Choose a recipient…"
    assert [(key, unescape(label)) for key, label in options[1:]] == [
        (entry["key"], entry["label"]) for entry in broadcast.sample
    ]
    assert all(label != key for key, label in options[1:])  # named, not bare ids
    assert re.search(r'<label class="form-label required" for="id_recipient">', page)


def test_a_test_send_reaches_the_chosen_conversation_only(manager_client, platform):
    set_up_sender(manager_client)
    broadcast_id = broadcast_id_from(compose(manager_client, conversation_status="WAITING"))
    chosen = sample_keys(broadcast_id)[1]
    platform.clear_requests()

    response = manager_client.post(
        f"/broadcasts/{broadcast_id}/test/", {"recipient": chosen}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200, response.content.decode()
    assert "Test sent" in response.content.decode()
    assert messages_sent(platform) == Counter({chosen: 1})
    assert not Broadcast.objects.get(pk=broadcast_id).job.items.exists()


@pytest.mark.parametrize("garbage", ["cnv_not_in_the_sample", "", "<script>alert(1)</script>"])
def test_a_recipient_outside_the_sample_gets_a_clear_error(manager_client, platform, garbage):
    set_up_sender(manager_client)
    broadcast_id = broadcast_id_from(compose(manager_client, conversation_status="WAITING"))
    platform.clear_requests()

    response = manager_client.post(
        f"/broadcasts/{broadcast_id}/test/", {"recipient": garbage}, headers={"HX-Request": "true"}
    )

    body = unescape(response.content.decode())
    assert response.status_code == 422
    assert "Choose who gets the test." in body or "recipients from the list" in body
    assert "<script>alert" not in response.content.decode()
    assert not messages_sent(platform)


def test_a_visitors_test_send_goes_into_the_visitors_newest_conversation(manager_client, platform):
    set_up_sender(manager_client)
    api = manager_api(platform)
    broadcast_id = broadcast_id_from(compose(manager_client, audience="visitors"))
    conversations = list(api.tenant.iter_conversations(status="all"))
    with_one = [
        key for key in sample_keys(broadcast_id) if any(c.visitor_id == key for c in conversations)
    ]
    assert with_one
    visitor = with_one[0]
    newest = next(c.id for c in conversations if c.visitor_id == visitor)
    platform.clear_requests()

    response = manager_client.post(f"/broadcasts/{broadcast_id}/test/", {"recipient": visitor})

    assert response.status_code == 200, response.content.decode()
    assert messages_sent(platform) == Counter({newest: 1})


def test_without_javascript_a_test_send_comes_back_to_the_broadcasts_page(manager_client, platform):
    set_up_sender(manager_client)
    broadcast_id = broadcast_id_from(compose(manager_client, conversation_status="WAITING"))
    chosen = sample_keys(broadcast_id)[0]
    platform.clear_requests()

    refused = manager_client.post(f"/broadcasts/{broadcast_id}/test/", {"recipient": "cnv_x"})
    sent = manager_client.post(f"/broadcasts/{broadcast_id}/test/", {"recipient": chosen})

    page = refused.content.decode()
    assert refused.status_code == 422
    assert '<h1 class="page-title">Spring news</h1>' in page  # the whole page, not a fragment
    assert re.search(r'<select name="recipient"[^>]*aria-invalid="true"', page)
    assert "recipients from the list" in unescape(page)
    assert sent.status_code == 200
    assert "Test sent: sent as message" in sent.content.decode()
    assert messages_sent(platform) == Counter({chosen: 1})


def test_a_draft_broadcasts_job_page_leads_to_the_broadcast(manager_client, platform):
    """Its start button is the broadcast's, with the assignment said beside it."""
    set_up_sender(manager_client)
    broadcast_id = broadcast_id_from(compose(manager_client, conversation_status="WAITING"))
    job = Broadcast.objects.get(pk=broadcast_id).job

    response = manager_client.get(f"/jobs/{job.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/broadcasts/{broadcast_id}/"
