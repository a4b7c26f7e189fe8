"""A job's end: running -> done, and the outcome in the audit log, exactly once.

Both ways a job runs end here: the runner that finds nothing left to send (runner.py) and the
export that wrote its last page (exports.py).
"""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from dashboard.audit import Target, record
from dashboard.jobs.kinds import is_export
from dashboard.jobs.models import Job, JobItem

ItemState = JobItem.State


def finish(job: Job, **conditions: object) -> bool:
    """Mark the job done if it is running (and matches `conditions`); only the caller whose
    update ended it records the end, so there is one event per job."""
    # One transaction: whoever sees the job done sees its outcome in the audit log too.
    with transaction.atomic():
        finished = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, **conditions).update(
            state=Job.State.DONE, finished_at=timezone.now(), sealed_token=""
        )
        if finished:
            record_finish(job)
    return bool(finished)


def record_finish(job: Job) -> None:
    """The outcome of a bulk action, in the audit log once it has ended: how many items were
    done, failed or unknown (an export: how many rows it wrote). Written by the worker, as the
    manager who started the job."""
    if is_export(job):
        changes = {"rows": [None, int(job.cursor.get("rows", 0))]}
        outcome, error = "success", ""
    else:
        rows = job.items.values("state").annotate(n=Count("id"))
        counts = {row["state"]: row["n"] for row in rows}
        changes = {state: [None, counts[state]] for state in counts}
        troubled = counts.get(ItemState.FAILED, 0) + counts.get(ItemState.UNKNOWN, 0)
        outcome = "failure" if troubled else "success"
        error = (
            f"{troubled} of {sum(counts.values())} items failed or are unknown" if troubled else ""
        )
    record(
        None,
        "job.finish",
        actor=job.created_by,
        tenant_id=job.tenant_id,
        target=Target("job", str(job.pk), job.title),
        changes={"kind": [None, job.kind], **changes},
        outcome=outcome,
        error=error,
    )
