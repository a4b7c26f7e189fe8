"""The workspace's integrations: the Connextlive agent that broadcasts are sent as, the
ConnectiveOne instance and the Naxon AI account. Secrets (a password, an API key, a token) are
sealed with the session vault's cipher (Fernet keyed from SECRET_KEY) and never leave the server:
the page only says whether one is stored."""

import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.vault import seal, unseal


class Integration(models.Model):
    class Kind(models.TextChoices):
        CONNEXTLIVE_SENDER = "connextlive_sender", "Connextlive sender agent"
        CONNECTIVEONE = "connectiveone", "ConnectiveOne"
        NAXON = "naxon", "Naxon AI"

    tenant_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # What is not secret: an email, a base URL, the way to authenticate, a rate limit.
    config = models.JSONField(default=dict, blank=True)
    sealed_secrets = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check_ok = models.BooleanField(null=True)
    last_check_message = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["tenant_id", "kind"], name="integrations_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.tenant_id}"

    def secrets(self) -> dict[str, str]:
        if not self.sealed_secrets:
            return {}
        return json.loads(unseal(self.sealed_secrets))

    def store_secrets(self, values: dict[str, str]) -> None:
        """Replace the given secrets, keep the others (a blank field means "unchanged")."""
        merged = {**self.secrets(), **{k: v for k, v in values.items() if v}}
        self.sealed_secrets = seal(json.dumps(merged)) if merged else ""

    def has_secret(self, name: str) -> bool:
        return bool(self.secrets().get(name))

    def setting(self, name: str, default: Any = None) -> Any:
        return self.config.get(name, default)
