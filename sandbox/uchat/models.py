# ruff: noqa: DJ001
"""UChat's data as the sandbox stores it; wire names live in serializers.py only.

A workspace holds bots (UChat calls a bot's automation its flow); an API token opens one bot of
one workspace. A bot has sub-flows, tags, user fields and subscribers; a subscriber carries tags
and user field values, and every sub-flow or text sent to one is kept as a Delivery, so that
tests and the console can read back what was sent.
"""

from django.db import models


class Workspace(models.Model):
    id = models.IntegerField(primary_key=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Bot(models.Model):
    """A chatbot (flow); `flow_ns` starts every namespace of its records (`f190385…`)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="bots")
    flow_ns = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """`Authorization: Bearer <token>`; only the SHA-256 of the token is stored."""

    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="tokens")
    scopes = models.CharField(max_length=200, help_text="comma-separated scope names")

    def __str__(self) -> str:
        return self.name


class SubFlow(models.Model):
    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="sub_flows")
    sub_flow_ns = models.CharField(max_length=40, unique=True)
    name = models.TextField()

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="tags")
    tag_ns = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class UserField(models.Model):
    """A custom field of the bot's subscribers, typed (text, number, boolean, date, datetime)."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="user_fields")
    var_ns = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    var_type = models.CharField(max_length=20)
    description = models.TextField(default="")

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="subscribers")
    user_ns = models.CharField(max_length=40, unique=True)
    user_id = models.CharField(max_length=64, help_text="the person's id on its channel")
    channel = models.CharField(max_length=20)
    name = models.TextField()
    first_name = models.TextField()
    last_name = models.TextField()
    gender = models.CharField(max_length=10, null=True)
    email = models.CharField(max_length=254, null=True)
    phone = models.CharField(max_length=20, null=True, help_text="E.164, with its +")
    phone_digits = models.CharField(max_length=20, null=True, help_text="for the phone search")
    subscribed = models.BooleanField(default=True)
    allow_send_message = models.BooleanField(default=True)
    subscribed_at = models.DateTimeField()
    last_interaction_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["bot", "subscribed_at", "id"]),
            models.Index(fields=["email"]),
            models.Index(fields=["phone_digits"]),
        ]

    def __str__(self) -> str:
        return self.user_ns


class SubscriberTag(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "tag"], name="uchat_unique_tagging")
        ]
        indexes = [models.Index(fields=["tag", "subscriber"])]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.tag_id}"


class FieldValue(models.Model):
    """A subscriber's value of a user field, kept as JSON text of its typed value."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(UserField, on_delete=models.CASCADE, related_name="+")
    value = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "field"], name="uchat_unique_value")
        ]
        indexes = [models.Index(fields=["field", "value"])]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.field_id}"


class Delivery(models.Model):
    """A sub-flow or a text sent to a subscriber, and which endpoint sent it."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # "sub_flow" | "text"
    sub_flow = models.ForeignKey(SubFlow, on_delete=models.CASCADE, null=True, related_name="+")
    content = models.TextField(null=True)
    via = models.CharField(max_length=40)  # the endpoint: send-sub-flow, send-text, broadcast…
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["subscriber", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.subscriber_id}"
