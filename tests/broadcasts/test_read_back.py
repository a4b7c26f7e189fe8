"""Unknown Connextlive sends settled by reading the conversation back through the sender agent,
against the sandbox's own request log as the truth: what is absent is sent again (once), what
cannot be read stays for a person, and nothing is sent twice."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.broadcasts.models import Broadcast
from dashboard.broadcasts.sending import ConnextliveBroadcast
from dashboard.jobs.kinds import Answer, ItemSpec
from dashboard.jobs.models import JobItem
from tests.broadcasts.helpers import broadcast_id_from, compose, set_up_sender
from tests.broadcasts.test_sending import start
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished, manager_api

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = re.compile(r"/connextlive/api/agent/conversations/([^/]+)/messages$")


def received(platform) -> Counter:
    counts: Counter = Counter()
    for r in platform.requests():
        match = MESSAGES.search(r["path"])
        if r["method"] == "POST" and match and r["status"] == 200:
            counts[match.group(1)] += 1
    return counts


def test_dropped_sends_are_read_back_and_sent_again_once(
    manager_client, platform, worker, job_settings
):
    job_settings.JOBS_AUTO_PAUSE_AFTER = 1000  # the drops are the point, not a reason to pause
    set_up_sender(manager_client)
    broadcast_id = broadcast_id_from(compose(manager_client, conversation_status="all"))
    # A third of the requests to the messages path are dropped: sends (which may or may not
    # have arrived: unknown) and reads back alike (which then cannot tell).
    platform.set_faults(dropRate=0.3, paths="/messages$")
    platform.clear_requests()

    job = start(manager_client, broadcast_id)
    wait_until(lambda: finished(job.pk), "the broadcast to finish", deadline=120)

    platform.clear_faults()
    items = {i.key: i for i in JobItem.objects.filter(job_id=job.pk)}
    sent = received(platform)
    assert max(sent.values()) == 1, "a conversation got the message twice"
    resent = [i for i in items.values() if i.read_back == JobItem.ReadBack.RESENT]
    unclear = [i for i in items.values() if i.read_back == JobItem.ReadBack.UNCLEAR]
    assert resent, "no dropped send was found absent and sent again"
    for item in items.values():
        if item.state == JobItem.State.DONE:
            assert sent[item.key] == 1, f"{item.key} is done but never arrived"
        else:
            # Only what reading back could not settle is left for a person, and says why.
            assert item.state == JobItem.State.UNKNOWN, (item.key, item.state, item.error)
            assert item.read_back == JobItem.ReadBack.UNCLEAR
            assert "Reading back could not tell" in item.error
    assert {i.state for i in resent} == {JobItem.State.DONE}
    assert len(unclear) == sum(1 for i in items.values() if i.state == JobItem.State.UNKNOWN)

    page = manager_client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"{len(resent)} not found and sent again" in page


def test_read_back_finds_a_message_sent_after_the_claim_and_only_that(manager_client, platform):
    set_up_sender(manager_client)
    broadcast = Broadcast.objects.get(
        pk=broadcast_id_from(compose(manager_client, conversation_status="all"))
    )
    performer = ConnextliveBroadcast(broadcast.job, broadcast)
    conversations = [c.id for c in manager_api(platform).tenant.iter_conversations(status="all")]
    target, other = conversations[0], conversations[1]
    claimed = timezone.now() - timedelta(seconds=1)
    performer.perform(ItemSpec(target))

    assert performer.read_back(ItemSpec(target), claimed).answer is Answer.FOUND
    assert performer.read_back(ItemSpec(other), claimed).answer is Answer.ABSENT
    # Sent just before a (later) claim: clocks may disagree, so it cannot say.
    later = timezone.now() + timedelta(seconds=1)
    assert performer.read_back(ItemSpec(target), later).answer is Answer.UNCLEAR
    # Long before the claim: that was another send; this one is certainly absent.
    much_later = timezone.now() + timedelta(minutes=5)
    assert performer.read_back(ItemSpec(target), much_later).answer is Answer.ABSENT

    platform.set_faults(errorRate=1.0, errorStatus=500, paths="/messages$")
    answer = performer.read_back(ItemSpec(target), claimed)
    assert answer.answer is Answer.UNCLEAR and "reading the conversation failed" in answer.note
