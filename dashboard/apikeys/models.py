"""What the console keeps of widget keys: only the schedule of rotations, never a key.

The keys themselves live on the platform (which keeps only their SHA-256). A rotation remembers
which old key must be revoked when, which key replaces it, and the sealed platform token that
lets the beat task revoke it when nobody is signed in. The token is wiped once the rotation ends.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KeyRotation(models.Model):
    class State(models.TextChoices):
        SCHEDULED = (
            "scheduled",
            _("Scheduled"),
        )  # waiting for revoke_at, or retrying after a failure
        REVOKED = "revoked", _("Revoked")
        CANCELLED = "cancelled", _("Kept")  # the manager chose to keep the old key
        OVERDUE = "overdue", _("Overdue")  # the stored sign-in cannot revoke: a manager must
        FAILED = "failed", _("Failed")  # the platform refused for good (role, validation)

    OPEN_STATES = (State.SCHEDULED, State.OVERDUE, State.FAILED)

    # The platform tenant: a manager only ever sees the rotations of their own workspace.
    tenant_id = models.CharField(max_length=64)
    old_key_id = models.CharField(max_length=64)
    # Snapshots of the old key, so the page can name it after it is gone from the platform.
    old_key_name = models.CharField(max_length=100)
    old_key_prefix = models.CharField(max_length=32, blank=True)
    old_key_domains = models.JSONField(default=list, blank=True)
    successor_key_id = models.CharField(max_length=64)
    successor_key_name = models.CharField(max_length=100)

    window_seconds = models.PositiveIntegerField()
    revoke_at = models.DateTimeField()
    # When the beat task may next try: revoke_at at first, later the retry time or lease end.
    next_attempt_at = models.DateTimeField()
    # Set while one worker (or a "revoke now") is talking to the platform about this row.
    claimed_until = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State, default=State.SCHEDULED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    note = models.CharField(max_length=255, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Who ended the rotation (revoke now / keep); empty when the beat task revoked it.
    closed_by_email = models.CharField(max_length=254, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # The platform token of a manager of this tenant, sealed with the session vault's cipher.
    sealed_token = models.TextField(blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="apikeys_rotation_due"),
            models.Index(fields=["tenant_id", "-created_at"], name="apikeys_rotation_tenant"),
        ]
        constraints = [
            # One open replacement per key: a second rotation would orphan the first successor.
            models.UniqueConstraint(
                fields=["tenant_id", "old_key_id"],
                condition=Q(state__in=["scheduled", "overdue", "failed"]),
                name="apikeys_one_open_rotation_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_key_name} → {self.successor_key_name} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_claimed(self, now: datetime) -> bool:
        return self.claimed_until is not None and self.claimed_until > now

    def is_overdue(self, now: datetime) -> bool:
        """The promised time has passed and the old key is still not revoked."""
        return self.is_open and self.revoke_at <= now

    def token_outlives_window(self) -> bool:
        return self.token_expires_at is not None and self.token_expires_at > self.revoke_at
