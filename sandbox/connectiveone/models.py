# ruff: noqa: DJ001
"""ConnectiveOne's data as the sandbox stores it; wire names live in serializers.py only.

One instance (`engine-{instance}.connectiveone.io`) is one customer: its bots, their scenario
nodes, the chat rooms people opened with the bots, tickets, operators, and the credentials
that authenticate API calls (API keys, external tokens, operator logins).
"""

from django.db import models


class Operator(models.Model):
    """A user of the instance who can log in (Bearer JWT) and take chats."""

    email = models.CharField(max_length=254, unique=True)
    name = models.CharField(max_length=200)
    password = models.CharField(max_length=200)
    role = models.CharField(max_length=20, default="admin")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.email


class ApiKey(models.Model):
    """`Authorization: API-Key <key>`; only the SHA-256 of the key is stored."""

    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.name


class ExternalToken(models.Model):
    """`x-auth-token: <token>` (the external token broadcasts use); stored as a SHA-256."""

    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.name


class RevokedToken(models.Model):
    """A JWT (access or refresh) that logout or a refresh ended before its expiry. Tokens are
    otherwise stateless, so a reset of the sandbox brings every unexpired one back."""

    jti = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return str(self.jti)


class Bot(models.Model):
    id = models.IntegerField(primary_key=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Node(models.Model):
    """A node of a bot's scenario; `connector_alias` names an entry point that call_node can
    address instead of the node id."""

    id = models.IntegerField(primary_key=True)
    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="nodes")
    name = models.CharField(max_length=200)
    connector_alias = models.CharField(max_length=100, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bot", "connector_alias"], name="c1_unique_alias")
        ]

    def __str__(self) -> str:
        return str(self.name)


class BroadcastTemplate(models.Model):
    id = models.IntegerField(primary_key=True)
    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=200)
    text = models.TextField()

    def __str__(self) -> str:
        return str(self.name)


class ChatRoom(models.Model):
    """OpChatRooms: one person's chat with a bot on one channel."""

    id = models.IntegerField(primary_key=True)
    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="chat_rooms")
    chat_id = models.CharField(max_length=64)
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10)
    user_name = models.TextField(null=True)
    phone = models.CharField(max_length=20, null=True)
    # The e-mail the person gave the bot, when they gave one (lower case).
    email = models.CharField(max_length=254, null=True)
    operator = models.ForeignKey(Operator, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bot", "channel", "chat_id"], name="c1_unique_chat")
        ]
        indexes = [
            models.Index(fields=["created_at", "id"]),
            models.Index(fields=["phone"], name="c1_chat_phone"),
            models.Index(fields=["email"], name="c1_chat_email"),
        ]

    def __str__(self) -> str:
        return str(self.chat_id)


class Ticket(models.Model):
    id = models.IntegerField(primary_key=True)
    chat_room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="tickets")
    subject = models.TextField()
    status = models.CharField(max_length=20)
    priority = models.CharField(max_length=10)
    operator = models.ForeignKey(Operator, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["created_at", "id"])]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """What the bot was asked to send: one row per successful call_node or broadcast."""

    chat_room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="deliveries")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, null=True, related_name="+")
    template = models.ForeignKey(
        BroadcastTemplate, on_delete=models.CASCADE, null=True, related_name="+"
    )
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"delivery to {self.chat_room_id}"
