"""UChat and LivePerson broadcasts end to end: compose (one page for every channel), dry run,
test send, start, a real worker, and the sandbox's own records as the truth of who got what."""

import re
from collections import Counter
from io import BytesIO

import pytest

from dashboard.broadcasts.channels import NOT_ALLOWED
from dashboard.broadcasts.models import Broadcast, BroadcastConversation
from dashboard.integrations.models import ConsumerToken
from dashboard.jobs.models import Job, JobItem
from sandbox.liveperson.credentials import ACCOUNT_ID, published
from sandbox.uchat.credentials import FIRST_USER_NS, SPRING_SUB_FLOW_NS
from tests.broadcasts.channels import (
    liveperson_conversations,
    set_up_liveperson,
    set_up_uchat,
    uchat_sent,
)
from tests.broadcasts.helpers import broadcast_id_from, compose, sample_keys
from tests.broadcasts.test_sending import start
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished, fresh, in_state, item_states

pytestmark = pytest.mark.django_db(transaction=True)

SPRING_TAG = "f190385t7215006"  # "Spring campaign": the first 40 subscribers at the test size
CONSUMERS = [c["extConsumerId"] for c in published()["consumers"]][:5]


def csv_file(text: str, name: str = "recipients.csv") -> BytesIO:
    upload = BytesIO(text.encode())
    upload.name = name
    return upload


def compose_uchat(client, **fields):
    data = {
        "channel": "uchat",
        "audience": "uchat_tags",
        "message": "",
        "sub_flow": SPRING_SUB_FLOW_NS,
        "uchat_tags": [SPRING_TAG],
    }
    return compose(client, **(data | fields))


def compose_liveperson(client, consumers=CONSUMERS, **fields):
    rows = "\n".join(f"{c},Person {i}" for i, c in enumerate(consumers))
    return compose(
        client,
        channel="liveperson",
        audience="csv",
        message="Your order has shipped",
        csv_file=csv_file(f"ext_consumer_id,first_name\n{rows}\n"),
        **fields,
    )


def sub_flows_sent(platform) -> Counter:
    return Counter(s["userNs"] for s in uchat_sent(platform) if s["kind"] == "sub_flow")


# --- UChat ---------------------------------------------------------------------------------


def test_the_compose_page_offers_the_bots_sub_flows_and_tags(manager_client, platform):
    set_up_uchat(manager_client, platform)

    html = manager_client.get("/broadcasts/new/").content.decode()

    assert "Spring sale announcement" in html and "Spring campaign" in html
    assert 'value="uchat"' in html and 'value="liveperson"' in html


def test_a_sub_flow_broadcast_to_a_tag_reaches_each_subscriber_once(
    manager_client, platform, worker
):
    set_up_uchat(manager_client, platform)
    broadcast_id = broadcast_id_from(compose_uchat(manager_client))
    page = manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()
    assert "40 recipients" in page and "Spring sale announcement" in page
    assert uchat_sent(platform) == []  # the draft sent nothing
    platform.clear_requests()

    job = start(manager_client, broadcast_id)

    wait_until(lambda: finished(job.pk), "the UChat broadcast to finish")
    states = item_states(job.pk)
    sent = sub_flows_sent(platform)
    assert sum(states.values()) == 40
    assert max(sent.values()) == 1 and len(sent) == states["done"]
    # Those UChat lists as not allowing messages are skipped, with the reason, and never sent
    # to: no request is spent on a refusal (it would count against the bot's rate limit).
    skipped = JobItem.objects.filter(job=job, state="skipped")
    assert skipped.count() == states["skipped"] == 1 and "failed" not in states  # the 25th
    assert {i.error for i in skipped} == {NOT_ALLOWED}
    sends = [r for r in platform.requests() if r["path"].endswith("/send-sub-flow")]
    assert len(sends) == states["done"] == 39 and {r["status"] for r in sends} == {200}
    assert Job.objects.get(pk=job.pk).kind == "broadcast.uchat"


def test_the_text_instead_to_a_search(manager_client, platform, worker):
    set_up_uchat(manager_client, platform)
    response = compose(
        manager_client,
        channel="uchat",
        audience="uchat_search",
        message="Hello Jane",
        send_text="on",
        uchat_search="jane.cooper@example.net",
    )
    job = start(manager_client, broadcast_id_from(response))

    wait_until(lambda: finished(job.pk), "the broadcast to finish")
    (sent,) = uchat_sent(platform)
    assert sent["userNs"] == FIRST_USER_NS and sent["kind"] == "text"
    assert sent["content"] == "Hello Jane"


def test_a_csv_of_user_ns(manager_client, platform, worker):
    set_up_uchat(manager_client, platform)
    upload = csv_file(f"user_ns,name\n{FIRST_USER_NS},Jane\nnot-a-subscriber,X\n")
    refused = compose(
        manager_client, channel="uchat", audience="csv", sub_flow=SPRING_SUB_FLOW_NS,
        message="", csv_file=upload,
    )  # fmt: skip
    assert refused.status_code == 422 and "Line 3" in refused.content.decode()

    upload = csv_file(f"user_ns,name\n{FIRST_USER_NS},Jane\n")
    response = compose(
        manager_client, channel="uchat", audience="csv", sub_flow=SPRING_SUB_FLOW_NS,
        message="", csv_file=upload,
    )  # fmt: skip
    job = start(manager_client, broadcast_id_from(response))

    wait_until(lambda: finished(job.pk), "the broadcast to finish")
    assert sub_flows_sent(platform) == Counter({FIRST_USER_NS: 1})


def test_a_uchat_broadcast_needs_a_sub_flow_or_the_text(manager_client, platform):
    set_up_uchat(manager_client, platform)

    response = compose_uchat(manager_client, sub_flow="")

    assert response.status_code == 422
    assert "Choose the sub-flow to send" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_a_uchat_test_send_reaches_one_subscriber_and_is_not_an_item(manager_client, platform):
    set_up_uchat(manager_client, platform)
    broadcast_id = broadcast_id_from(compose_uchat(manager_client))

    chosen = sample_keys(broadcast_id)[0]  # picked from the audience's sample

    response = manager_client.post(f"/broadcasts/{broadcast_id}/test/", {"recipient": chosen})

    assert response.status_code == 200, response.content.decode()
    assert sub_flows_sent(platform) == Counter({chosen: 1})
    assert not JobItem.objects.filter(key=chosen).exists()


def test_a_uchat_broadcast_pauses_and_resumes(manager_client, platform, worker):
    set_up_uchat(manager_client, platform, rate_limit=10)  # 40 recipients: about 4 s
    job = start(manager_client, broadcast_id_from(compose_uchat(manager_client)))
    wait_until(lambda: item_states(job.pk)["done"] >= 5, "some to be sent")

    manager_client.post(f"/jobs/{job.pk}/pause/")
    wait_until(in_state(job.pk, Job.State.PAUSED), "the pause")
    manager_client.post(f"/jobs/{job.pk}/resume/")

    wait_until(lambda: finished(job.pk), "the broadcast to finish")
    assert max(sub_flows_sent(platform).values()) == 1


# --- LivePerson ----------------------------------------------------------------------------


def test_a_liveperson_broadcast_opens_a_conversation_per_consumer(manager_client, platform, worker):
    set_up_liveperson(manager_client)
    broadcast_id = broadcast_id_from(compose_liveperson(manager_client))
    assert "5 recipients" in manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()
    platform.clear_requests()

    job = start(manager_client, broadcast_id)

    wait_until(lambda: finished(job.pk), "the LivePerson broadcast to finish")
    assert item_states(job.pk) == {"done": 5}
    for consumer in CONSUMERS:
        (conversation,) = liveperson_conversations(platform, consumer)
        texts = [m["message"] for m in conversation["messages"]]
        assert texts == ["Your order has shipped"]
        item = JobItem.objects.get(job=job, key=consumer)
        assert conversation["conversationId"] in item.result  # the report names it
    paths = Counter(r["path"].rsplit("/", 1)[-1] for r in platform.requests())
    assert paths["token"] <= 1  # the AppJWT at most once (kept per process), not per message
    assert paths["consumer"] == 5 and paths["conversation"] == 5 and paths["send"] == 5
    tokens = ConsumerToken.objects.filter(account_id=ACCOUNT_ID)
    assert tokens.count() == 5 and all(t.sealed_token.startswith("gAAAA") for t in tokens)
    assert BroadcastConversation.objects.filter(broadcast_id=broadcast_id).count() == 5


def test_closing_each_conversation_after_its_message(manager_client, platform, worker):
    set_up_liveperson(manager_client)
    response = compose_liveperson(manager_client, CONSUMERS[:2], close_conversation="on")
    job = start(manager_client, broadcast_id_from(response))

    wait_until(lambda: finished(job.pk), "the broadcast to finish")
    assert fresh(job.pk).kind == "broadcast.liveperson_close"
    for consumer in CONSUMERS[:2]:
        (conversation,) = liveperson_conversations(platform, consumer)
        assert conversation["state"] == "CLOSE"


def test_a_429_on_the_send_sends_into_the_same_conversation_again(
    manager_client, platform, worker, job_settings
):
    job_settings.JOBS_AUTO_PAUSE_AFTER = 100
    set_up_liveperson(manager_client)
    broadcast_id = broadcast_id_from(compose_liveperson(manager_client))
    platform.set_faults(errorRate=0.5, errorStatus=429, retryAfter=1, paths="conversation/send")

    job = start(manager_client, broadcast_id)

    wait_until(lambda: finished(job.pk), "the broadcast to finish", deadline=120)
    assert item_states(job.pk) == {"done": 5}
    for consumer in CONSUMERS:
        (conversation,) = liveperson_conversations(platform, consumer)  # never a second one
        assert len(conversation["messages"]) == 1


def test_a_liveperson_broadcast_goes_to_a_csv_only(manager_client, platform):
    set_up_liveperson(manager_client)

    response = compose(manager_client, channel="liveperson", audience="conversations")

    assert response.status_code == 422
    assert "consumers of a CSV file" in response.content.decode()


def test_a_liveperson_test_send_opens_a_conversation_of_its_own(manager_client, platform):
    set_up_liveperson(manager_client)
    broadcast_id = broadcast_id_from(compose_liveperson(manager_client))

    assert sample_keys(broadcast_id)[0] == CONSUMERS[0]  # the file's first consumer

    response = manager_client.post(f"/broadcasts/{broadcast_id}/test/", {"recipient": CONSUMERS[0]})

    assert response.status_code == 200, response.content.decode()
    assert len(liveperson_conversations(platform, CONSUMERS[0])) == 1
    assert not JobItem.objects.filter(key=f"test:{CONSUMERS[0]}").exists()


def test_without_the_integration_the_channel_is_refused(manager_client, platform):
    response = compose_liveperson(manager_client)

    assert response.status_code == 422
    assert "Integrations page first" in response.content.decode()


def test_the_subscribers_page_links_to_a_broadcast_to_what_it_shows(manager_client, platform):
    set_up_uchat(manager_client, platform)

    listing = manager_client.get(f"/uchat/?tag={SPRING_TAG}").content.decode()
    assert f"/broadcasts/new/?tag={SPRING_TAG}&amp;channel=uchat" in listing
    html = manager_client.get(f"/broadcasts/new/?tag={SPRING_TAG}&channel=uchat").content.decode()

    assert re.search(r'name="channel" value="uchat"[^>]* checked', html)
    assert re.search(r'name="audience" value="uchat_tags"[^>]* checked', html)
    assert re.search(rf'name="uchat_tags" value="{SPRING_TAG}"[^>]* checked', html)


def test_a_busy_database_gets_a_few_tries_at_writing_a_conversation_down(monkeypatch, db):
    from django.db import OperationalError

    from dashboard.broadcasts import channels

    job = Job.objects.create(kind="broadcast.liveperson", title="t", tenant_id="t")
    broadcast = Broadcast.objects.create(
        job=job, name="t", message="m", channel="liveperson", audience="csv"
    )
    real_create, calls = BroadcastConversation.objects.create, []

    def busy_twice(**fields):
        calls.append(fields)
        if len(calls) <= 2:
            raise OperationalError("database is locked")
        return real_create(**fields)

    monkeypatch.setattr(channels, "WRITE_ATTEMPTS", (0, 0, 0))
    monkeypatch.setattr(BroadcastConversation.objects, "create", busy_twice)
    channels._write_down(broadcast, "acme-1", "conversation-1")

    assert len(calls) == 3
    assert BroadcastConversation.objects.get().conversation_id == "conversation-1"
