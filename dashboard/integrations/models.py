"""The workspace's integrations: the Connextlive agent that broadcasts are sent as, the
ConnectiveOne instance, the Naxon AI account, the UChat bot and the LivePerson connector app.
Secrets (a password, an API key, a token, a client secret) are sealed with the session vault's
cipher (Fernet keyed from SECRET_KEY) and never leave the server: the page only says whether one
is stored. LivePerson's ConsumerJWS tokens are kept here too, sealed the same way."""

import json
import logging
from typing import Any, ClassVar

from django.conf import settings
from django.db import OperationalError, models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.vault import seal, unseal

logger = logging.getLogger(__name__)


class Integration(models.Model):
    class Kind(models.TextChoices):
        CONNEXTLIVE_SENDER = "connextlive_sender", gettext_lazy("Connextlive sender agent")
        CONNECTIVEONE = "connectiveone", "ConnectiveOne"
        NAXON = "naxon", "Naxon AI"
        UCHAT = "uchat", "konversation (UChat)"
        LIVEPERSON = "liveperson", "LivePerson"

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


class ConsumerToken(models.Model):
    """A LivePerson ConsumerJWS, per account and `ext_consumer_id` (it never expires, so it is
    asked for once per consumer), sealed like the integrations' secrets."""

    account_id = models.CharField(max_length=64)
    ext_consumer_id = models.CharField(max_length=200)
    sealed_token = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["account_id", "ext_consumer_id"], name="integrations_one_consumer_token"
            )
        ]

    def __str__(self) -> str:
        return f"ConsumerJWS of {self.ext_consumer_id} ({self.account_id})"


class SealedConsumerTokens:
    """The console's `ConsumerTokenStore` (dashboard.platforms.liveperson): ConsumerJWS tokens in
    the database, sealed; shared by every worker, so a consumer's token is asked for once."""

    def get(self, account_id: str, ext_consumer_id: str) -> str | None:
        sealed = (
            ConsumerToken.objects.filter(account_id=account_id, ext_consumer_id=ext_consumer_id)
            .values_list("sealed_token", flat=True)
            .first()
        )
        return unseal(sealed) if sealed else None

    def put(self, account_id: str, ext_consumer_id: str, token: str) -> None:
        """Keep it; a database too busy to write it now costs a token request next time, never
        the message in hand (the token is good whether kept or not)."""
        try:
            ConsumerToken.objects.update_or_create(
                account_id=account_id,
                ext_consumer_id=ext_consumer_id,
                defaults={"sealed_token": seal(token)},
            )
        except OperationalError as error:
            logger.warning("A ConsumerJWS could not be kept (%s); asked for again next time", error)
