"""What the console keeps of reports: computed figures (a cache of what the platform's lists
said, per workspace, range and zone), the daily snapshots of the agents list (CSAT over time,
which no platform list gives), and the sign-in the snapshot task uses when nobody is signed in.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class Report(models.Model):
    """A range's figures for one workspace, in one time zone: its days are that zone's days.

    Computed by a job (computing.py), section by section; a refresh computes it again into the
    same row. `as_of` is when the platform's lists were read: the page says "as of 09:12"."""

    tenant_id = models.CharField(max_length=64)
    time_zone = models.CharField(max_length=64)
    first_day = models.DateField()
    last_day = models.DateField()
    # The job computing it now, or that computed it last (None once that job is deleted).
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["tenant_id", "time_zone", "first_day", "last_day"],
                name="reports_one_per_range",
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["tenant_id", "time_zone", "-last_day"]),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.first_day}..{self.last_day} ({self.time_zone})"


class ReportSection(models.Model):
    """One section's figures (conversations, visitors, agents), as plain JSON numbers: each is
    written by the job item that computed it, so two sections never overwrite each other."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(max_length=32)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "name"], name="reports_section_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} of {self.report_id}"


class AgentSnapshot(models.Model):
    """An agent as the agents list showed them on a day of the workspace's zone: one row per
    agent and day, the first reading of the day kept (the beat task runs hourly)."""

    tenant_id = models.CharField(max_length=64)
    day = models.DateField()
    agent_id = models.CharField(max_length=64)
    agent_name = models.CharField(max_length=200, blank=True)
    csat_score = models.FloatField(null=True, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["tenant_id", "day", "agent_id"], name="reports_snapshot_once_a_day"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["tenant_id", "day"])]

    def __str__(self) -> str:
        return f"{self.agent_name or self.agent_id} on {self.day}: {self.csat_score}"


class SnapshotSignIn(models.Model):
    """The platform token of the workspace's most recent manager sign-in, Fernet-sealed, for
    the daily snapshot while nobody is signed in (as a key rotation keeps one for its
    revocation). Replaced at each manager sign-in, deleted when it expires or the platform
    refuses it."""

    tenant_id = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sealed_token = models.TextField()
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"snapshot sign-in of {self.tenant_id} until {self.expires_at:%Y-%m-%d}"
