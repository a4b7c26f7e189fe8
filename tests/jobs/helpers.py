"""Shared steps of the job tests: reading jobs and items, and the platform's truth."""

import csv
import io
from collections import Counter
from typing import Any

from django.db import close_old_connections

from dashboard.audit.models import AuditEvent
from dashboard.jobs.models import Job, JobItem
from dashboard.platforms.connextlive import ConnextliveClient
from tests.fixtures import sandbox as sandbox_fixtures


def job_id_from(response: Any) -> int:
    """The job a start view redirected to (`/jobs/<id>/`)."""
    location = response.headers.get("HX-Redirect") or response["Location"]
    return int(location.rstrip("/").split("/")[-1])


def fresh(job_id: int) -> Job:
    close_old_connections()
    return Job.objects.get(pk=job_id)


def item_states(job_id: int) -> Counter:
    close_old_connections()
    return Counter(JobItem.objects.filter(job_id=job_id).values_list("state", flat=True))


def finished(job_id: int) -> Job | None:
    job = fresh(job_id)
    return job if job.state == Job.State.DONE else None


def in_state(job_id: int, state: str):
    def check() -> Job | None:
        job = fresh(job_id)
        return job if job.state == state else None

    return check


def manager_api(platform: Any, email: str = "") -> ConnextliveClient:
    client = ConnextliveClient(platform.connextlive_url)
    login = client.login(email or sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)
    return client.with_token(login.token)


def audit_events(action: str) -> list[AuditEvent]:
    close_old_connections()
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def confirm_password(client: Any, next_path: str) -> Any:
    """The password typed on the confirmation page; returns its answer (a 303 to `next_path`)."""
    response = client.post(
        "/confirm/", {"password": sandbox_fixtures.DEMO_PASSWORD, "next": next_path}
    )
    assert response.status_code == 303, response.content.decode()[:500]
    return response


def forget_password_confirmation(client: Any) -> None:
    """The password was last typed eleven minutes ago (time travel without sleeping)."""
    from django.utils import timezone

    from accounts import reauth, vault

    then = timezone.now().timestamp() - reauth.REAUTH_MAX_AGE - 60
    session = client.session
    session[reauth.CONFIRMED_AT] = then
    session[vault.SIGNED_IN_AT] = min(session[vault.SIGNED_IN_AT], then)
    session.save()


def download(response: Any) -> list[dict[str, str]]:
    """A streamed CSV answer as rows of {column: value}."""
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))
