"""A runner that lets go of its slot leaves nothing in flight behind it: what it could not
settle (its outcomes never written) becomes unknown, as a lapsed runner's items do."""

import pytest
from django.utils import timezone

from dashboard.jobs.leases import LOST_IN_FLIGHT, release, take_slot
from dashboard.jobs.models import Job, JobItem, RunnerLease

pytestmark = pytest.mark.django_db


def test_releasing_a_slot_settles_the_runners_orphaned_items_as_unknown():
    job = Job.objects.create(kind="broadcast", title="t", tenant_id="t", state="running")
    lease = take_slot(job.pk, 1)
    mine = JobItem.objects.create(job=job, key="a", state="in_flight", claim=lease.owner)
    other = JobItem.objects.create(job=job, key="b", state="in_flight", claim="another runner")
    done = JobItem.objects.create(job=job, key="c", state="done", claim=lease.owner)

    release(lease)

    mine.refresh_from_db(), other.refresh_from_db(), done.refresh_from_db()
    assert (mine.state, mine.error) == ("unknown", LOST_IN_FLIGHT)
    assert other.state == "in_flight" and done.state == "done"
    assert not RunnerLease.objects.filter(pk=lease.pk).exists()
    assert mine.updated_at <= timezone.now()
