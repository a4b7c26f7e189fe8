"""The audit log: one immutable row for every change made through the console, and every sign-in.

Rows are written by `dashboard.audit.record` / `recording` and never changed or removed by the
application: saving an existing row, `QuerySet.update()` and every kind of delete raise
`ImmutableAuditEvent`. (Deleting a *user* still works: their events keep `actor_email` and the
database sets `actor` to NULL, which is how a snapshot column is meant to be used.)
"""

import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableAuditEvent(Exception):
    """Someone tried to edit or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEvent("Audit events are never updated.")

    def delete(self) -> NoReturn:
        raise ImmutableAuditEvent("Audit events are never deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEvent("Audit events are never updated.")

    def for_tenant(self, tenant_id: str) -> "AuditEventQuerySet":
        """A manager only ever sees the events of their own workspace."""
        if not tenant_id:
            return self.none()
        return self.filter(tenant_id=tenant_id)


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The platform tenant the event belongs to: the audit page never shows another tenant's rows.
    tenant_id = models.CharField(max_length=64, blank=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # A snapshot: who it was stays readable after the user row is gone (or when nobody signed in).
    actor_email = models.CharField(max_length=254, blank=True, editable=False)
    action = models.CharField(max_length=64, editable=False)
    target_type = models.CharField(max_length=64, blank=True, editable=False)
    target_id = models.CharField(max_length=128, blank=True, editable=False)
    target_label = models.CharField(max_length=255, blank=True, editable=False)
    changes = models.JSONField(default=dict, blank=True, editable=False)
    outcome = models.CharField(max_length=16, choices=Outcome, editable=False)
    error = models.TextField(blank=True, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=256, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant_id", "-created_at"], name="audit_tenant_time"),
            models.Index(fields=["tenant_id", "actor_email"], name="audit_tenant_actor"),
            models.Index(fields=["tenant_id", "action"], name="audit_tenant_action"),
            models.Index(
                fields=["tenant_id", "target_type", "target_id"], name="audit_tenant_target"
            ),
            # The invitation rate limit counts one manager's recent events of one action.
            models.Index(fields=["actor", "action", "created_at"], name="audit_actor_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_email or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableAuditEvent("Audit events are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEvent("Audit events are never deleted.")

    @property
    def succeeded(self) -> bool:
        return self.outcome == self.Outcome.SUCCESS

    @property
    def target_display(self) -> str:
        return self.target_label or self.target_id

    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field, before, after) as display strings, for the page and the CSV export."""
        if not isinstance(self.changes, dict):
            return []
        rows = []
        for field, pair in self.changes.items():
            before, after = (
                pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            )
            rows.append((str(field), display_value(before), display_value(after)))
        return rows


def display_value(value: Any) -> str:
    """Strings as they are, nothing as an em dash, everything else as compact JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
