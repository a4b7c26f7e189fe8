"""Adding a job's items: by the view that creates the job (a CSV's rows) or by the runner that
collects its audience, page by page."""

from collections.abc import Iterable
from itertools import islice

from dashboard.jobs.kinds import ItemSpec
from dashboard.jobs.models import Job, JobItem

INSERT_BATCH = 1_000


def add_items(job: Job, specs: Iterable[ItemSpec]) -> int:
    """Insert items in batches; a key already there is skipped (the unique constraint). An item
    with a `skipped` reason goes in skipped, in the same insert: it is never pending, so never
    claimed."""
    added = 0
    iterator = iter(specs)
    while batch := list(islice(iterator, INSERT_BATCH)):
        rows = [
            JobItem(
                job=job,
                key=s.key[:200],
                label=s.label[:300],
                payload=dict(s.payload),
                state=JobItem.State.SKIPPED if s.skipped else JobItem.State.PENDING,
                error=s.skipped[:500],
            )
            for s in batch
        ]
        JobItem.objects.bulk_create(rows, ignore_conflicts=True)
        added += len(rows)
    return added
