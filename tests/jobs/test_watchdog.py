"""The watchdog gives a job its runners back: all of them when none lives, the missing ones
when a runner died while another goes on (else the job would crawl on at half speed), and a
worker started again under its old name frees its killed predecessor's leases at once."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from dashboard.jobs import engine, watchdog
from dashboard.jobs.kinds import ItemSpec
from dashboard.jobs.leases import free_orphans
from dashboard.jobs.models import Job, JobItem, RunnerLease
from dashboard.visitors.bulk import DeleteVisitorsKind
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch: Any) -> list[tuple[int, int | None]]:
    calls: list[tuple[int, int | None]] = []
    monkeypatch.setattr(
        watchdog, "enqueue_runners", lambda job_id, count=None: calls.append((job_id, count))
    )
    return calls


def running_job(job_settings: Any) -> Job:
    user = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    job = engine.create_job(kind=DeleteVisitorsKind.kind, title="Tidy", tenant_id=user.tenant_id,
                            created_by=user, params={})  # fmt: skip
    engine.add_items(job, [ItemSpec(f"vis_{n}") for n in range(10)])
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=timezone.now())
    return job


def lease(job: Job, slot: int, *, worker: str = "", pid: int = 0) -> RunnerLease:
    expires = timezone.now() + timedelta(minutes=1)
    return RunnerLease.objects.create(
        job=job, slot=slot, owner=f"owner{slot}", worker=worker, pid=pid, expires_at=expires
    )


def test_a_job_short_of_a_runner_gets_the_missing_one(job_settings, sent, manager_client):
    job = running_job(job_settings)  # two runner slots (job_settings)
    lease(job, 0)

    watchdog.sweep()

    assert sent == [(job.pk, 1)]


def test_a_job_with_all_its_runners_or_nothing_pending_gets_none(
    job_settings, sent, manager_client
):
    full = running_job(job_settings)
    lease(full, 0)
    lease(full, 1)
    draining = running_job(job_settings)
    lease(draining, 0)
    draining.items.update(state=JobItem.State.IN_FLIGHT)

    watchdog.sweep()

    assert sent == []


def test_a_worker_started_again_frees_its_dead_predecessors_leases(job_settings, manager_client):
    job = running_job(job_settings)
    dead = lease(job, 0, worker="celery@host", pid=111)
    elsewhere = lease(job, 1, worker="celery@other", pid=111)
    job.items.filter(key="vis_0").update(state=JobItem.State.IN_FLIGHT, claim=dead.owner)

    assert free_orphans("celery@host", 222) == [job.pk]

    assert list(RunnerLease.objects.values_list("pk", flat=True)) == [elsewhere.pk]
    item = job.items.get(key="vis_0")
    assert item.state == JobItem.State.UNKNOWN and item.read_back == JobItem.ReadBack.DUE
    assert free_orphans("celery@other", 111) == []  # its own process: alive
