# ruff: noqa: DJ001
"""Connextlive's data as the sandbox stores it. Wire names live in serializers.py only.

Text columns are nullable where the wire has `null` (a visitor without an email is `null`, not
`""`), hence the file-wide exception to DJ001.

Everything a tenant owns hangs off `Tenant`; every query of a view starts from the signed-in
user's tenant, which is what keeps one workspace's data invisible to another.
"""

from django.db import models


class Role(models.TextChoices):
    CUSTOMER = "CUSTOMER"
    AGENT = "AGENT"


class PresenceStatus(models.TextChoices):
    ONLINE = "ONLINE"
    AWAY = "AWAY"
    OFFLINE = "OFFLINE"


class ConversationStatus(models.TextChoices):
    ACTIVE = "ACTIVE"
    WAITING = "WAITING"
    CLOSED = "CLOSED"


class SenderType(models.TextChoices):
    VISITOR = "VISITOR"
    AGENT = "AGENT"
    SYSTEM = "SYSTEM"


class MessageType(models.TextChoices):
    TEXT = "TEXT"
    FILE = "FILE"
    SYSTEM = "SYSTEM"


class ApiKeyStatus(models.TextChoices):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class Tenant(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class User(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="users")
    email = models.CharField(max_length=254, unique=True)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices)
    password = models.CharField(max_length=200)
    avatar_url = models.CharField(max_length=500, null=True)
    csat_score = models.FloatField(null=True)
    status = models.CharField(max_length=10, choices=PresenceStatus.choices)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.email


class Workspace(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="workspace")
    name = models.CharField(max_length=200)
    company_name = models.CharField(max_length=200, null=True)
    contact_email = models.CharField(max_length=254, null=True)
    language = models.CharField(max_length=2)
    timezone = models.CharField(max_length=64)
    settings = models.JSONField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253)

    def __str__(self) -> str:
        return self.domain


class Visitor(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="visitors")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="visitors")
    user_name = models.TextField(null=True)
    user_email = models.CharField(max_length=254, null=True)
    user_phone = models.CharField(max_length=50, null=True)
    ip = models.CharField(max_length=45)
    country = models.CharField(max_length=100, null=True)
    country_code = models.CharField(max_length=2, null=True)
    city = models.CharField(max_length=100, null=True)
    notes = models.TextField(null=True)
    external_ids = models.JSONField()
    is_online = models.BooleanField()
    is_returning = models.BooleanField()
    visit_count = models.PositiveIntegerField()
    browser = models.CharField(max_length=100, null=True)
    os = models.CharField(max_length=100, null=True)
    device = models.CharField(max_length=20, null=True)
    current_page = models.CharField(max_length=2000, null=True)
    referrer = models.CharField(max_length=2000, null=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["tenant", "-last_seen_at", "-id"])]

    def __str__(self) -> str:
        return self.id


class VisitorTag(models.Model):
    """One tag of a visitor; `position` keeps the array's order. A table, not a JSON column,
    so that the all-of-these-tags filter is an indexed lookup."""

    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="tag_rows")
    tag = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visitor", "tag"], name="visitor_tag_once"),
        ]
        indexes = [models.Index(fields=["tag", "visitor"])]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.tag


class Conversation(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="conversations")
    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="conversations")
    agent = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="conversations"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="conversations")
    status = models.CharField(max_length=10, choices=ConversationStatus.choices)
    subject = models.CharField(max_length=500, null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "-updated_at", "-id"])]

    def __str__(self) -> str:
        return self.id


class Message(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender_type = models.CharField(max_length=10, choices=SenderType.choices)
    sender_id = models.CharField(max_length=40, null=True)
    sender_name = models.TextField(null=True)
    content = models.TextField()
    message_type = models.CharField(max_length=10, choices=MessageType.choices)
    is_read = models.BooleanField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at", "id"])]

    def __str__(self) -> str:
        return self.id


class ConversationTally(models.Model):
    """How many conversations, and unread visitor messages in them, a workspace has per agent
    ("" for none) and status: the workspace-wide figures of the conversation lists
    (`unreadTotal`, `agentStats`, the agent's `counts`) as a lookup of a few rows instead of a
    pass over every conversation and message on every page (so a walk of the list cost the
    square of its size; the figures: bench/README.md, bench_reports.py).

    SQLite triggers on the conversation and message tables keep it (migration 0002, with the
    why), inside the very transaction of each write, whoever writes: the views, the seed's raw
    INSERTs, a cascade. Every gunicorn worker reads the same rows, and a reset restores them
    with the rest of the snapshot, so there is nothing to invalidate.

    A migration that alters Conversation or Message makes Django rebuild the table on SQLite,
    which drops its triggers: such a migration must run 0002's `TRIGGERS` again
    (tests/sandbox/test_tenant_conversations.py checks the figures after each kind of write).
    """

    tenant_id = models.CharField(max_length=40)
    agent_id = models.CharField(max_length=40)
    status = models.CharField(max_length=10)
    conversations = models.IntegerField()
    unread = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant_id", "agent_id", "status"], name="tally_per_agent_and_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.agent_id or '-'} {self.status}"


class Attachment(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Kept in the database, so that a reset restores files along with everything else.
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.file_name


class Invitation(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=200)
    email = models.CharField(max_length=254)
    invited_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.email


class ApiKey(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=20)
    domains = models.TextField()
    status = models.CharField(max_length=10, choices=ApiKeyStatus.choices)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.name


class SeedInfo(models.Model):
    """One row, written last by `seed`: its presence means the database is seeded."""

    size = models.CharField(max_length=10)
    visitors = models.PositiveIntegerField()
    anchor = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.size} seed at {self.anchor:%Y-%m-%d}"
