"""Naxon AI's data as the sandbox stores it; wire names live in serializers.py only.

One Naxon account: its AI chat models (bots), the conversations people had with them on each
messaging platform, the messages of those conversations, and the API tokens that open the API.
Ids are 64-bit integers the seed chooses (seed.py), not the database's counters: some exceed
2**53 on purpose. Timestamps are whole seconds, as the wire writes them.
"""

from django.db import models


class ApiToken(models.Model):
    """`Authorization: Bearer <token>` (the `apiToken` scheme); only the SHA-256 is stored."""

    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.name


class ChatModel(models.Model):
    """What Naxon calls a model: one AI bot, answering on one or more platforms."""

    id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["created_at", "id"])]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    """One person's conversation with a model on one platform."""

    id = models.BigIntegerField(primary_key=True)
    model = models.ForeignKey(ChatModel, on_delete=models.CASCADE, related_name="conversations")
    platform = models.CharField(max_length=20)
    platform_user_id = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["created_at", "id"]),
            models.Index(fields=["updated_at", "id"]),
            models.Index(fields=["model", "created_at", "id"]),
            models.Index(fields=["model", "updated_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.platform_user_id}"


class Message(models.Model):
    """A message of a conversation; `seq` (a ULID) orders them."""

    id = models.BigIntegerField(primary_key=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.CharField(max_length=26, unique=True)
    sender = models.CharField(max_length=10)
    message = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "seq"])]

    def __str__(self) -> str:
        return str(self.seq)
