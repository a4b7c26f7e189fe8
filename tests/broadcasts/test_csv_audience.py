"""A broadcast to an uploaded CSV of recipients: every row is checked before anything is saved
or sent -- its format, repeats, and for Connextlive that the conversation is this workspace's --
and a good file becomes a draft whose recipients are exactly its rows."""

from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboard.broadcasts.models import Broadcast
from dashboard.jobs.models import Job
from tests.broadcasts.helpers import (
    broadcast_id_from,
    compose,
    set_up_connectiveone,
    set_up_sender,
)
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished, item_states, manager_api

pytestmark = pytest.mark.django_db(transaction=True)

UNKNOWN_ID = "cnv_01ZZZZZZZZZZZZZZZZZZZZZZZZ"


def csv_file(text: str | bytes) -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile("recipients.csv", content, content_type="text/csv")


def compose_csv(client, text: str | bytes, channel: str = "connextlive", **fields):
    return compose(client, audience="csv", channel=channel, csv_file=csv_file(text), **fields)


def messages_sent(platform) -> Counter:
    return Counter(
        r["path"].split("/")[-2]
        for r in platform.requests()
        if r["method"] == "POST" and r["path"].endswith("/messages") and r["status"] == 200
    )


def test_every_bad_row_is_named_and_nothing_is_saved(manager_client, platform):
    set_up_sender(manager_client)
    waiting = [c.id for c in manager_api(platform).tenant.iter_conversations(status="WAITING")]
    rows = [
        "conversation_id,name",
        f"{waiting[0]},First",  # line 2: fine
        "not an id!,Broken",  # 3
        f"{waiting[0]},Again",  # 4: repeats line 2
        f"{UNKNOWN_ID},Nobody",  # 5: not a conversation of this workspace
        f"{waiting[1]},",  # 6: fine
    ]

    response = compose_csv(manager_client, "\n".join(rows))

    assert response.status_code == 422
    html = response.content.decode()
    assert "3 rows of the file cannot be used; nothing was saved." in html
    assert "Line 3: conversation_id: not a conversation id" in html
    assert "Line 4: repeats line 2" in html
    assert "Line 5: conversation_id: no such conversation here" in html
    assert "Line 2:" not in html and "Line 6:" not in html
    assert not Broadcast.objects.exists() and not Job.objects.exists()


def test_a_file_that_is_not_a_csv_of_recipients_is_refused_whole(manager_client, platform):
    set_up_sender(manager_client)

    latin1 = compose_csv(manager_client, "conversation_id,name\ncnv_1,Zoë\n".encode("latin-1"))
    wrong_columns = compose_csv(manager_client, "id,name\ncnv_1,Zoe\n")
    header_only = compose_csv(manager_client, "conversation_id\n")

    assert latin1.status_code == wrong_columns.status_code == header_only.status_code == 422
    assert "not UTF-8" in latin1.content.decode()
    assert "missing: conversation_id" in wrong_columns.content.decode()
    assert "no recipients" in header_only.content.decode()
    assert not Job.objects.exists()


def test_a_good_file_is_sent_to_exactly_its_rows_once(manager_client, platform, worker):
    set_up_sender(manager_client)
    chosen = [c.id for c in manager_api(platform).tenant.iter_conversations(status="all")][:5]
    text = "conversation_id\n" + "\n".join(chosen) + "\n"
    broadcast_id = broadcast_id_from(compose_csv(manager_client, text))
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    assert broadcast.audience_estimate == 5
    assert set(broadcast.job.items.values_list("key", flat=True)) == set(chosen)
    # Rows without a name are shown by their visitor's name, not the bare id.
    assert not {entry["label"] for entry in broadcast.sample} & set(chosen)
    assert [entry["key"] for entry in broadcast.sample] == chosen  # a test send may pick them
    platform.clear_requests()

    manager_client.post(f"/jobs/{broadcast.job_id}/start/")

    wait_until(lambda: finished(broadcast.job_id), "the broadcast to finish")
    assert item_states(broadcast.job_id) == {"done": 5}
    assert messages_sent(platform) == Counter(chosen)


def test_a_connectiveone_file_needs_a_chat_id_and_a_known_channel(manager_client, platform):
    set_up_connectiveone(manager_client, platform)
    rows = [
        "chat_id,channel,name",
        "567891,telegram,Olena",  # 2
        "567892,pigeon,Taras",  # 3
        "567 893,viber,Iryna",  # 4
        "567891,Telegram,Olena again",  # 5: the same chat as line 2
        "567891,viber,Olena on Viber",  # 6: another channel, another person
    ]
    fields = {"bot_id": "1", "connector_alias": "entry_point_alias"}

    refused = compose_csv(manager_client, "\n".join(rows), channel="connectiveone", **fields)
    good = "\n".join([rows[0], rows[1], rows[5]])
    broadcast_id = broadcast_id_from(
        compose_csv(manager_client, good, channel="connectiveone", **fields)
    )

    html = refused.content.decode()
    assert refused.status_code == 422
    assert "Line 3: channel: one of" in html
    assert "Line 4: chat_id: not a chat id" in html
    assert "Line 5: repeats line 2" in html
    job = Broadcast.objects.get(pk=broadcast_id).job
    assert set(job.items.values_list("key", flat=True)) == {"telegram:567891", "viber:567891"}
