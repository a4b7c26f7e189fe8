"""Broadcasts on several channels reach each person once: a UChat tag and a LivePerson CSV that
share 30 people (sandbox/people.py: UChat's store bot has every person as its first subscribers,
LivePerson publishes every person as a consumer), through the console and a real worker, with
the sandbox's own records as the truth of who got what."""

from collections import Counter

import pytest

from dashboard.broadcasts.channels import NOT_ALLOWED
from dashboard.broadcasts.models import Broadcast
from dashboard.broadcasts.once import Deduplicator, person_keys
from dashboard.jobs.kinds import ItemSpec
from dashboard.jobs.models import Job, JobItem
from sandbox.liveperson.credentials import published
from sandbox.people import PEOPLE
from tests.broadcasts.channels import (
    liveperson_conversations,
    set_up_liveperson,
    set_up_uchat,
    uchat_sent,
)
from tests.broadcasts.helpers import broadcast_id_from, compose, set_up_sender
from tests.broadcasts.test_channels import compose_uchat, csv_file
from tests.broadcasts.test_sending import start
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished, item_states

CONSUMER_OF = {c["email"]: c["extConsumerId"] for c in published()["consumers"]}
# The Spring campaign tag is the store bot's first 40 subscribers: PEOPLE[:40]. The 25th of
# them does not allow messages (the seed: every 25th): skipped on UChat, never sent to.
NO_MESSAGES = PEOPLE[24]
SHARED = [p for p in PEOPLE[:31] if p != NO_MESSAGES]
LIVEPERSON_ONLY = list(PEOPLE[45:50])  # on LivePerson's CSV, not in the tag


def test_person_keys_are_normalised():
    assert person_keys(" Jane.Cooper@Example.NET ", "447700900101") == [
        "email:jane.cooper@example.net",
        "phone:+447700900101",
    ]
    assert person_keys("not an email", "+44 7700 900101") == ["phone:+447700900101"]
    assert person_keys(None, None) == [] and person_keys("", "12") == []


def test_the_first_channel_keeps_a_person_and_the_next_skips_them():
    uchat, liveperson = Broadcast(channel="uchat"), Broadcast(channel="liveperson")
    dedupe = Deduplicator()
    first = dedupe.wrap(uchat, 0, [ItemSpec("u1", "Jane", {"email": "JANE@example.net"})])
    by_phone = ItemSpec("c1", "J", {"email": "other@example.net", "phone": "+447700900101"})
    second = dedupe.wrap(
        liveperson,
        1,
        [
            ItemSpec("c0", "Jane again", {"email": "jane@example.net"}),
            ItemSpec("c2", "Nobody known"),  # no e-mail, no phone: never matched, always kept
            by_phone,
        ],
    )
    assert [i.skipped for i in first] == [""] and first[0].label == "Jane (UChat)"
    assert second[0].skipped == "LivePerson: skipped, already reached through UChat"
    assert second[1].skipped == "" and second[2].skipped == ""
    # Collected again after a kill: the items kept so far (read back from the job) decide alike.
    again = Deduplicator(dict(i.payload) for i in [*first, *second] if not i.skipped)
    (repeat,) = again.wrap(liveperson, 1, [ItemSpec("c0", "Jane again", {"email": "jane@x.net"})])
    (jane,) = again.wrap(
        liveperson, 1, [ItemSpec("c0", "Jane again", {"email": "jane@example.net"})]
    )
    assert repeat.skipped == "" and jane.skipped.endswith("through UChat")


def test_a_person_their_own_channel_skips_is_left_to_the_next():
    uchat, liveperson = Broadcast(channel="uchat"), Broadcast(channel="liveperson")
    dedupe = Deduplicator()
    refusing = ItemSpec("u1", "Jane", {"email": "jane@example.net"}, skipped=NOT_ALLOWED)
    (first,) = dedupe.wrap(uchat, 0, [refusing])
    (second,) = dedupe.wrap(liveperson, 1, [ItemSpec("c0", "Jane", {"email": "jane@example.net"})])
    assert first.skipped == NOT_ALLOWED and second.skipped == ""


def compose_two_channels(client) -> int:
    broadcast_id = broadcast_id_from(
        compose_uchat(client, message="Spring is here", send_text="on", sub_flow="")
    )
    page = client.get(f"/broadcasts/new/?part_of={broadcast_id}").content.decode()
    assert 'id="compose-part-of"' in page
    rows = "\n".join(
        f"{CONSUMER_OF[p.email]},{p.first_name},{p.email}" for p in [*SHARED, *LIVEPERSON_ONLY]
    )
    response = client.post(
        "/broadcasts/new/",
        {
            "name": "Spring news",
            "message": "Spring is here",
            "channel": "liveperson",
            "audience": "csv",
            "part_of": str(broadcast_id),
            "csv_file": csv_file(f"ext_consumer_id,first_name,email\n{rows}\n"),
        },
    )
    assert broadcast_id_from(response) == broadcast_id  # back to the first one's page
    return broadcast_id


@pytest.mark.django_db(transaction=True)
def test_a_two_channel_broadcast_reaches_each_shared_person_once(manager_client, platform, worker):
    set_up_uchat(manager_client, platform)
    set_up_liveperson(manager_client)
    broadcast_id = compose_two_channels(manager_client)

    page = manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()
    # 44: the 40 of the tag less the one UChat would refuse, and the 5 only on LivePerson.
    assert "44 recipients" in page and "30 duplicates removed" in page
    assert 'id="broadcast-parts"' in page
    assert uchat_sent(platform) == [] and liveperson_conversations(platform) == []
    listed = manager_client.get("/broadcasts/").content.decode()
    assert listed.count(f'/broadcasts/{broadcast_id + 1}/"') == 0  # the part is not listed alone

    job = start(manager_client, broadcast_id)
    wait_until(lambda: finished(job.pk), "the two-channel broadcast to finish")

    assert Job.objects.get(pk=job.pk).kind == "broadcast.multi"
    assert item_states(job.pk) == {"done": 44, "skipped": 31}
    sent = Counter(s["userNs"] for s in uchat_sent(platform) if s["kind"] == "text")
    assert len(sent) == 39 and max(sent.values()) == 1
    for person in SHARED:
        assert liveperson_conversations(platform, CONSUMER_OF[person.email]) == []
        (item,) = JobItem.objects.filter(job=job, key__startswith="0/", payload__email=person.email)
        assert item.state == "done" and item.key[2:] in sent
        assert item.label.endswith("(UChat)") and item.result.startswith("UChat: ")
        (skipped,) = JobItem.objects.filter(job=job, key=f"1/{CONSUMER_OF[person.email]}")
        assert skipped.error == "LivePerson: skipped, already reached through UChat"
    for person in LIVEPERSON_ONLY:
        (conversation,) = liveperson_conversations(platform, CONSUMER_OF[person.email])
        assert [m["message"] for m in conversation["messages"]] == ["Spring is here"]
        item = JobItem.objects.get(job=job, key=f"1/{CONSUMER_OF[person.email]}")
        assert item.result.startswith("LivePerson: conversation ")
    (refused,) = JobItem.objects.filter(job=job, key__startswith="0/", state="skipped")
    assert refused.payload["email"] == NO_MESSAGES.email and refused.error == NOT_ALLOWED
    assert not uchat_sent(platform, refused.key[2:])
    assert liveperson_conversations(platform, CONSUMER_OF[NO_MESSAGES.email]) == []

    # The per-recipient report: each line names the channel that reached the person, or why not.
    response = manager_client.get(f"/jobs/{job.pk}/report.csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    jane = [line for line in lines if line.startswith(("0/", "1/")) and "Jane" in line]
    assert len(jane) == 2
    assert any("(UChat),done" in line and "UChat: text sent" in line for line in jane)
    assert any("already reached through UChat" in line for line in jane)


@pytest.mark.django_db(transaction=True)
def test_the_part_alone_sends_nothing_and_a_csv_first_cannot_take_another_channel(
    manager_client, platform
):
    set_up_uchat(manager_client, platform)
    set_up_liveperson(manager_client)
    broadcast_id = compose_two_channels(manager_client)
    part = Broadcast.objects.get(part_of_id=broadcast_id)
    assert part.job.kind == "broadcast.part"
    assert manager_client.get(f"/broadcasts/{part.pk}/")["Location"].endswith(
        f"/broadcasts/{broadcast_id}/"
    )

    refused = manager_client.post(
        "/broadcasts/new/",
        {
            "name": "x",
            "message": "x",
            "channel": "uchat",
            "audience": "uchat_search",
            "send_text": "on",
            "uchat_search": "jane",
            "part_of": str(part.pk),  # a part cannot take a part
        },
    )
    assert refused.status_code == 422
    assert Broadcast.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_connextlive_conversation_and_a_uchat_subscriber_of_one_person(
    manager_client, platform, worker
):
    """Jane Cooper is the Connextlive workspace's first visitor and a UChat subscriber: her
    conversations (matched by the visitor's e-mail) are kept, her UChat subscriber skipped."""
    set_up_sender(manager_client)
    set_up_uchat(manager_client, platform)
    jane = PEOPLE[0]
    broadcast_id = broadcast_id_from(
        compose(manager_client, conversation_status="all", conversation_search=jane.name)
    )
    conversations = Broadcast.objects.get(pk=broadcast_id).audience_estimate
    assert conversations and conversations >= 1
    response = manager_client.post(
        "/broadcasts/new/",
        {
            "name": "Spring news",
            "message": "Hello from the spring sale!",
            "channel": "uchat",
            "audience": "uchat_search",
            "send_text": "on",
            "uchat_search": jane.email,
            "part_of": str(broadcast_id),
        },
    )
    assert broadcast_id_from(response) == broadcast_id
    page = manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()
    assert f"{conversations} recipient" in page and "1 duplicate removed" in page
    # The count is both channels': the assignment is said without one.
    assert "Every conversation it sends into will be assigned to <strong>Priya" in page

    job = start(manager_client, broadcast_id)
    wait_until(lambda: finished(job.pk), "the broadcast to finish")

    assert uchat_sent(platform) == []
    (skipped,) = JobItem.objects.filter(job=job, state="skipped")
    assert skipped.error == "UChat: skipped, already reached through Connextlive"
    assert item_states(job.pk) == {"done": conversations, "skipped": 1}
