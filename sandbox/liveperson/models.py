# ruff: noqa: DJ001
"""LivePerson's data as the sandbox stores it; wire names live in serializers.py only.

An account has connector apps (client credentials). A consumer is the account's view of one
`ext_consumer_id`; it opens conversations, and every message published in one is kept with its
sequence, whoever sent it (the connector on the consumer's behalf, or a reply the sandbox was
told to inject).
"""

from django.db import models


class Account(models.Model):
    id = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class App(models.Model):
    """A connector app: its client id, and the SHA-256 of its client secret."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="apps")
    name = models.CharField(max_length=200)
    client_id = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class Consumer(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="consumers")
    ext_consumer_id = models.CharField(max_length=200)
    consumer_id = models.CharField(max_length=64, unique=True)
    profile = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "ext_consumer_id"], name="lp_unique_ext")
        ]

    def __str__(self) -> str:
        return self.ext_consumer_id


class Conversation(models.Model):
    OPEN, CLOSE = "OPEN", "CLOSE"

    id = models.CharField(max_length=36, primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="+")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, default=OPEN)
    skill_id = models.CharField(max_length=40, null=True)
    request = models.JSONField(default=dict, help_text="the ConsumerRequestConversation body")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)
    close_reason = models.CharField(max_length=20, null=True)
    csat_rate = models.IntegerField(null=True)
    csat_resolution = models.BooleanField(null=True)
    csat_status = models.CharField(max_length=20, null=True)
    # Content events take even sequences 0, 2, 4... (doc); the odd ones would be the
    # accept-status events the real service inserts, which the sandbox does not emulate.
    next_sequence = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["consumer", "created_at"])]

    def __str__(self) -> str:
        return self.id


class Message(models.Model):
    CONSUMER, AGENT = "CONSUMER", "ASSIGNED_AGENT"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    sequence = models.IntegerField()
    role = models.CharField(max_length=20)
    originator_id = models.CharField(max_length=64)
    # The connector app that published it; null for a reply the sandbox was told to inject.
    app_client_id = models.CharField(max_length=64, null=True)
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "sequence"], name="lp_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.sequence}"
