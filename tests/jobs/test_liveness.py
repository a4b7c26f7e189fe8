"""Stalls are visible: workers write a heartbeat by running a task of their own; /readyz fails
while none is fresh and passes once a worker runs; a job that no runner holds says so on its
page and in the job list, and in the log once."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from dashboard.jobs import engine, healthcheck, liveness
from dashboard.jobs.leases import release, take_slot
from dashboard.jobs.models import Job, WorkerBeat
from dashboard.visitors.bulk import DeleteVisitorsKind
from tests.fixtures import sandbox as sandbox_fixtures
from tests.jobs.fixtures import start_heartbeat, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

STALL = "No worker has picked this job up for 3 min. Check that a worker is running."


def readyz() -> tuple[int, dict]:
    response = Client().get("/readyz")
    return response.status_code, response.json()


def test_readyz_fails_without_a_worker_and_passes_once_one_runs_a_task(
    celery_worker: Any, job_settings: Any, console_platform: Any
):
    WorkerBeat.objects.all().delete()

    # The worker process is there (it would answer a ping), but none of its tasks ran.
    status, body = readyz()
    assert status == 503, body
    assert body["checks"]["worker"]["status"] == "fail"
    assert "no worker has run a task in the last 5 s" in body["checks"]["worker"]["error"]
    assert body["checks"]["database"]["status"] == "ok"

    start_heartbeat(celery_worker)
    try:
        wait_until(lambda: readyz()[0] == 200, "/readyz to pass once the worker runs a task")
        beat = WorkerBeat.objects.get(hostname=celery_worker.hostname)
        assert healthcheck.main([celery_worker.hostname]) == 0
    finally:
        liveness.stop()

    # No more probes: stale again once the limit has passed (a probe sent just before the stop
    # may still run first).
    job_settings.JOBS_WORKER_STALE_SECONDS = 1.0
    wait_until(lambda: readyz()[0] == 503, "/readyz to fail once the heartbeat is stale")
    assert readyz()[1]["checks"]["worker"]["status"] == "fail"
    assert healthcheck.main([beat.hostname]) == 1


def stalled_job(minutes: float) -> Job:
    user = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    job = engine.create_job(kind=DeleteVisitorsKind.kind, title="Tidy up", tenant_id=user.tenant_id,
                            created_by=user, params={})  # fmt: skip
    started = timezone.now() - timedelta(minutes=minutes)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, started_at=started, created_at=started
    )
    job.refresh_from_db()
    return job


def test_a_job_nobody_holds_says_so_on_its_page_and_in_the_list_and_logs_it_once(
    manager_client: Any, platform: Any, job_settings: Any, caplog: Any
):
    job_settings.JOBS_WORKER_STALE_SECONDS = 120
    job = stalled_job(minutes=3.2)
    fresh = stalled_job(minutes=1)  # within the limit: nothing to say yet

    with caplog.at_level(logging.WARNING, logger="dashboard.jobs.stalls"):
        page = manager_client.get(f"/jobs/{job.pk}/").content.decode()
        polled = manager_client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
        listed = manager_client.get("/jobs/").content.decode()
        fresh_page = manager_client.get(f"/jobs/{fresh.pk}/").content.decode()

    assert STALL in page
    assert STALL in polled.content.decode()
    assert listed.count(STALL) == 1
    assert "No worker has picked" not in fresh_page
    logged = [r.getMessage() for r in caplog.records if "No worker has picked" in r.getMessage()]
    assert logged == [f"job {job.pk} (visitors.delete): {STALL}"]

    # A runner takes the job: the warning goes, and a later stall is logged again.
    lease = take_slot(job.pk, 1)
    assert lease is not None
    assert "No worker has picked" not in manager_client.get(f"/jobs/{job.pk}/").content.decode()
    release(lease)
    assert Job.objects.get(pk=job.pk).stall_noted_at is None


def test_a_waiting_or_paused_job_is_no_stall(manager_client: Any, platform: Any):
    waiting = stalled_job(minutes=10)
    Job.objects.filter(pk=waiting.pk).update(not_before=timezone.now() + timedelta(minutes=5))
    paused = stalled_job(minutes=10)
    Job.objects.filter(pk=paused.pk).update(state=Job.State.PAUSED)

    for job in (waiting, paused):
        assert "No worker has picked" not in manager_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "No worker has picked" not in manager_client.get("/jobs/").content.decode()
