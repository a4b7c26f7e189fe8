"""Keyword alerts: what Naxon AI's keyword webhook reported, each stored once.

- `AlertHook`: a workspace's webhook URL, `/hooks/naxon/<secret>/`. The secret is sealed (the
  integrations page shows it again, with a copy button) and found by its SHA-256. Rotating makes
  a new one; the old one keeps working until its `expires_at` (the overlap), then answers 404.
- `KeywordAlert`: one notification. A redelivery carries the same conversation, keyword and
  matched message, so it has the same `dedup_key`, and the database's unique constraint keeps it
  from becoming a second alert, whichever process receives it.
- `RejectedDelivery`: the last few bodies the receiver refused, and why, for the manager.
"""

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class AlertHook(models.Model):
    tenant_id = models.CharField(max_length=64)
    secret_hash = models.CharField(max_length=64, unique=True)
    sealed_secret = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # None: the workspace's current URL. Otherwise a rotated-out URL, working until then.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["tenant_id", "expires_at"], name="alerts_hook_tenant")
        ]

    def __str__(self) -> str:
        return f"Naxon alert hook of {self.tenant_id}"


class KeywordAlert(models.Model):
    tenant_id = models.CharField(max_length=64)
    # SHA-256 of the notification's identity (dashboard.platforms.naxon, dedup_key).
    dedup_key = models.CharField(max_length=64)
    keyword = models.CharField(max_length=200)
    model_id = models.BigIntegerField()
    model_name = models.CharField(max_length=200, blank=True)
    conversation_id = models.BigIntegerField()
    platform = models.CharField(max_length=64, blank=True)
    platform_user_id = models.CharField(max_length=200, blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    message_sender = models.CharField(max_length=32, blank=True)
    message = models.TextField(blank=True)
    message_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by_email = models.CharField(max_length=254, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["tenant_id", "dedup_key"], name="alerts_once_each")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["tenant_id", "-received_at"], name="alerts_feed")
        ]

    def __str__(self) -> str:
        return f"“{self.keyword}” in conversation {self.conversation_id}"


class RejectedDelivery(models.Model):
    KEEP = 50  # per workspace: the newest ones

    tenant_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    excerpt = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["tenant_id", "-received_at"], name="alerts_rejected")
        ]

    def __str__(self) -> str:
        return f"Rejected delivery of {self.tenant_id}: {self.reason}"
