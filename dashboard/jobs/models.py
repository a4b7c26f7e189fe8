"""Bulk jobs: one row per job and one per item (recipient, visitor, invitee...).

An item moves pending -> in flight -> done | failed | unknown (or skipped, when its job is
cancelled first). "In flight" is written *before* the platform call, in the same statement that
claims the item, so an item is never handed to two runners and never sent again after a crash:
an item still in flight when its runner's lease ran out may or may not have reached the
platform, so it becomes unknown and waits for a person to decide.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATES: ClassVar[tuple[str, ...]] = (State.SCHEDULED, State.RUNNING)
    FINAL_STATES: ClassVar[tuple[str, ...]] = (State.DONE, State.CANCELLED)

    # Which registered kind it is (kinds.py): "<area>.<action>", named by the app that owns it.
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    # The workspace it belongs to: only that workspace's managers see or control it.
    tenant_id = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What to do, never a secret: tags, an agent id, a filter, a message...
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    # Why it is paused (by whom, or the platform error that paused it automatically).
    pause_reason = models.CharField(max_length=500, blank=True)
    # Nothing is sent before this moment: a schedule, a 429's Retry-After, a backoff.
    not_before = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Audiences given as a filter are collected page by page; the cursor makes that resumable.
    collected = models.BooleanField(default=True)
    cursor = models.JSONField(default=dict, blank=True)
    expected_total = models.PositiveIntegerField(null=True, blank=True)
    # The platform token of the manager who started (or last resumed) it, Fernet-sealed.
    sealed_token = models.TextField(blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    # The last moment a runner held the job (took, renewed or let go of its lease): how long a
    # runnable job has gone without one is what its page warns about (stalls.py).
    held_at = models.DateTimeField(null=True, blank=True)
    # When the current stall (runnable, nobody holding it) was logged: once per stall.
    stall_noted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["state", "not_before"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}: {self.title}"

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES

    @property
    def is_live(self) -> bool:
        """Whether its page should keep polling."""
        return self.state in (self.State.SCHEDULED, self.State.RUNNING)


class ReadBack(models.TextChoices):
    NONE = "", "Not read back"
    DUE = "due", "To be read back"
    CONFIRMED = "confirmed", "Confirmed by reading back"
    RESENT = "resent", "Not found by reading back: sent again"
    UNCLEAR = "unclear", "Reading back could not tell"


class JobItem(models.Model):
    ReadBack = ReadBack

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_FLIGHT = "in_flight", _("In flight")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown")
        SKIPPED = "skipped", _("Skipped")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    # The target's identity within the job (a conversation id, a chat, an email): unique, so an
    # audience collected twice, or a CSV with a repeated row, still has each target once.
    key = models.CharField(max_length=200)
    label = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The runner (one task execution) that claimed it; its result is written only by that one.
    claim = models.CharField(max_length=32, blank=True)
    result = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # When it was last claimed (put in flight): a message found by reading back must be newer.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Reading back an unknown item (readback.py): due, or what it found.
    read_back = models.CharField(max_length=10, choices=ReadBack.choices, blank=True)
    # A failure that trying again cannot change (a visitor with no conversation to send into):
    # "Retry failed" says so and leaves it.
    final = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["job", "key"], name="jobs_item_unique_key")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["job", "state", "id"]),
            models.Index(fields=["job", "updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class RunnerLease(models.Model):
    """A runner working on a job: one row per slot, renewed by a heartbeat while it lives."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="leases")
    slot = models.PositiveSmallIntegerField()
    owner = models.CharField(max_length=32)
    expires_at = models.DateTimeField()
    # The worker (Celery node name) and process that holds it: a worker started again under
    # the same name frees its dead predecessor's leases at once (leases.free_orphans).
    worker = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["job", "slot"], name="jobs_lease_unique_slot")
        ]

    def __str__(self) -> str:
        return f"runner {self.slot} of job {self.job_id}"


class RateBucket(models.Model):
    """A token bucket shared by every worker: `tokens` as of `updated_at` (Unix seconds)."""

    key = models.CharField(max_length=300, unique=True)
    tokens = models.FloatField()
    updated_at = models.FloatField()

    def __str__(self) -> str:
        return self.key


class ExportChunk(models.Model):
    """A piece of an export's CSV, written with the cursor that produced it: the file is the
    chunks in order, and a resumed export continues after the last one."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    rows = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["job", "seq"], name="jobs_chunk_unique_seq")
        ]

    def __str__(self) -> str:
        return f"chunk {self.seq} of job {self.job_id}"


class WorkerBeat(models.Model):
    """A worker's sign of life (liveness.py): `beat_at` is the last moment it is known to have
    run a task -- its own probe task, sent to a queue only it reads, or a runner's lease renewal.
    A main process that answers pings while its pool is wedged never moves it."""

    hostname = models.CharField(max_length=255, unique=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.hostname
