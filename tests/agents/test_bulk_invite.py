"""Inviting agents from a CSV: a preview that checks every row, then a job with one result per
row that keeps to the hourly invitation limit -- waiting, not failing, when it is reached."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from dashboard.agents.bulk import InviteKind
from dashboard.audit.models import AuditEvent
from dashboard.jobs.models import Job
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import (
    audit_events,
    download,
    finished,
    fresh,
    item_states,
    manager_api,
)

pytestmark = pytest.mark.django_db(transaction=True)


def upload(client, text: str):
    csv_file = SimpleUploadedFile("agents.csv", text.encode(), content_type="text/csv")
    return client.post("/agents/bulk/invite/", {"file": csv_file})


def invited_emails(platform) -> set[str]:
    return {i.email for i in manager_api(platform).tenant.list_agents().invitations}


def move_invitations_back(by: timedelta) -> None:
    """Time travel for the audit log, whose rows the application can never change: plain SQL."""
    table = AuditEvent._meta.db_table
    events = AuditEvent.objects.filter(action="agent.invite").values_list("id", "created_at")
    with connection.cursor() as cursor:
        for event_id, created_at in list(events):
            cursor.execute(
                f"UPDATE {table} SET created_at = %s WHERE id = %s", [created_at - by, event_id]
            )


def the_draft() -> Job:
    return Job.objects.get(kind=InviteKind.kind)


def test_the_preview_checks_every_row_and_sends_nothing(manager_client, platform):
    api = manager_api(platform)
    agent_email = api.tenant.list_agents().agents[0].email
    api.tenant.invite_agent(name="Pat Pending", email="pending@example.org")
    invited_before = invited_emails(platform)
    rows = [
        "name,email",
        "Ada Lovelace,ada@example.org",  # line 2: fine
        "Bad Email,not-an-email",  # 3
        "Ada Again,ADA@example.org",  # 4: the same person as line 2
        f"Already Here,{agent_email}",  # 5: an agent of the workspace
        "Pat Again,pending@example.org",  # 6: invited, not yet accepted
        "Grace Hopper,grace@example.org",  # 7: fine
        ",noname@example.org",  # 8: no name
    ]

    response = upload(manager_client, "\n".join(rows) + "\n")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>2</strong> rows ready to invite, <strong>5</strong> refused" in html
    refused = html.split('id="invite-errors"')[1].split("</table>")[0]
    for line, problem in [
        (3, "valid email"),
        (4, "repeats line 2"),
        (5, "already an agent"),
        (6, "pending invitation"),
        (8, "name"),
    ]:
        assert f"<tr><td>{line}</td><td>" in refused
        assert problem in refused.split(f"<tr><td>{line}</td><td>")[1].split("</tr>")[0]
    draft = the_draft()
    assert draft.state == Job.State.DRAFT
    assert set(draft.items.values_list("key", flat=True)) == {
        "ada@example.org",
        "grace@example.org",
    }
    assert invited_emails(platform) == invited_before


def test_a_file_without_the_columns_is_refused_whole(manager_client, platform):
    response = upload(manager_client, "full name,mail\nAda,ada@example.org\n")

    assert response.status_code == 422
    assert "missing: name, email" in response.content.decode()
    assert not Job.objects.exists()


def test_starting_the_preview_invites_each_good_row_with_its_own_result(
    manager_client, platform, worker
):
    upload(manager_client, "name,email\nAda Lovelace,ada@example.org\nGrace,grace@example.org\n")
    job = the_draft()

    manager_client.post(f"/jobs/{job.pk}/start/")

    wait_until(lambda: finished(job.pk), "the invitations to be sent")
    assert {"ada@example.org", "grace@example.org"} <= invited_emails(platform)
    report = download(manager_client.get(f"/jobs/{job.pk}/report.csv"))
    assert {row["key"]: row["state"] for row in report} == {
        "ada@example.org": "done",
        "grace@example.org": "done",
    }
    assert all(row["result"].startswith("invited (inv_") for row in report)
    assert [e.outcome for e in audit_events("agent.invite")] == ["success", "success"]
    assert audit_events("bulk.agents.invite")[0].changes["rows"] == [None, 2]


def test_the_hourly_limit_makes_the_job_wait_then_it_carries_on(
    manager_client, platform, worker, settings
):
    settings.INVITES_PER_HOUR = 2
    emails = [f"person{n}@example.org" for n in range(4)]
    upload(manager_client, "name,email\n" + "".join(f"Person {e},{e}\n" for e in emails))
    job = the_draft()

    manager_client.post(f"/jobs/{job.pk}/start/")

    wait_until(lambda: fresh(job.pk).not_before, "the limit to make the job wait")
    waiting = fresh(job.pk)
    assert waiting.state == Job.State.RUNNING
    assert waiting.not_before > timezone.now() + timedelta(minutes=55)
    assert item_states(job.pk) == {"done": 2, "pending": 2}
    assert not any(e.outcome == "failure" for e in audit_events("agent.invite"))
    assert "Waiting until" in manager_client.get(f"/jobs/{job.pk}/").content.decode()

    # An hour later (the two invitations leave the window), the job goes on by itself.
    move_invitations_back(timedelta(minutes=61))
    Job.objects.filter(pk=job.pk).update(not_before=timezone.now())

    wait_until(lambda: finished(job.pk), "the rest of the invitations")
    assert item_states(job.pk) == {"done": 4}
    assert set(emails) <= invited_emails(platform)
