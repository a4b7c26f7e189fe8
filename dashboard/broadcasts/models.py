"""A broadcast: a message, a channel and an audience, sent by a job (dashboard.jobs) that keeps
one item per recipient -- which is how it can say who got it, even after a worker died."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.jobs.models import Job


class Broadcast(models.Model):
    class Channel(models.TextChoices):
        CONNEXTLIVE = "connextlive", _("Connextlive (as the sender agent)")
        CONNECTIVEONE = "connectiveone", _("ConnectiveOne (call_node)")
        UCHAT = "uchat", _("konversation (UChat): a sub-flow, or the text")
        LIVEPERSON = "liveperson", _("LivePerson: a conversation per consumer")

    class Audience(models.TextChoices):
        CONVERSATIONS = "conversations", _("Connextlive conversations matching a filter")
        VISITORS = "visitors", _("Connextlive visitors matching a filter")
        CHATS = "chats", _("ConnectiveOne chats created in a date range")
        UCHAT_TAGS = "uchat_tags", _("UChat subscribers with any of these tags")
        UCHAT_SEARCH = "uchat_search", _("UChat subscribers matching a search")
        CSV = "csv", _("An uploaded CSV of recipients")

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="broadcast")
    name = models.CharField(max_length=200)
    message = models.TextField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    # Visitors or conversations: the list page's own query string (`status=WAITING&search=x`).
    audience_query = models.CharField(max_length=2000, blank=True)
    # Connextlive conversations: only those assigned to the sender agent or to nobody, so that
    # sending (which assigns each conversation to the sender) leaves other agents' alone.
    # The platform cannot list "unassigned", so they are picked out as they are collected.
    spare_other_agents = models.BooleanField(default=False)
    chats_from = models.DateTimeField(null=True, blank=True)
    chats_to = models.DateTimeField(null=True, blank=True)
    # ConnectiveOne: the bot, and the scenario entry (a connector alias or a node id).
    bot_id = models.PositiveIntegerField(null=True, blank=True)
    connector_alias = models.CharField(max_length=100, blank=True)
    node_id = models.PositiveIntegerField(null=True, blank=True)
    # UChat: the sub-flow sent (picked from the bot's list), or the message as text instead;
    # the audience's tags (tag_ns, with their names as picked) or search.
    sub_flow_ns = models.CharField(max_length=100, blank=True)
    sub_flow_name = models.CharField(max_length=200, blank=True)
    send_text = models.BooleanField(default=False)
    uchat_tags = models.JSONField(default=list, blank=True)
    uchat_tag_names = models.JSONField(default=list, blank=True)
    uchat_search = models.CharField(max_length=200, blank=True)
    # LivePerson: close each conversation once its message is sent.
    close_conversation = models.BooleanField(default=False)
    # The dry run: how many recipients, and a few of them ({"key", "label"}: the test send
    # picks its recipient among them; "key" is empty for another channel's recipient).
    audience_estimate = models.PositiveIntegerField(null=True, blank=True)
    estimate_note = models.CharField(max_length=300, blank=True)
    sample = models.JSONField(default=list, blank=True)
    # A further channel's audience of another broadcast (its `part_of`): that broadcast's job
    # sends to both, each person once (once.py). Its own job stays a draft and never runs.
    part_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.job.state == Job.State.DRAFT


class BroadcastConversation(models.Model):
    """A LivePerson conversation a broadcast opened for one recipient (its item's key is the
    `ext_consumer_id`). Written the moment it is opened, before the message is sent: a second
    attempt at the item sends into it rather than opening another, and the webhook receiver
    finds a reply's broadcast through it."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="conversations")
    item_key = models.CharField(max_length=200)
    conversation_id = models.CharField(max_length=100, unique=True)
    opened_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, default="OPEN")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["broadcast", "item_key"], name="broadcasts_one_conversation_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id} ({self.item_key})"


class BroadcastReply(models.Model):
    """A consumer's message in a broadcast's conversation, from LivePerson's webhook; a
    redelivered notification (the same sequence) is kept once."""

    conversation = models.ForeignKey(
        BroadcastConversation, on_delete=models.CASCADE, related_name="replies"
    )
    sequence = models.IntegerField()
    text = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["received_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["conversation", "sequence"], name="broadcasts_reply_once"
            )
        ]

    def __str__(self) -> str:
        return f"reply {self.sequence} in {self.conversation_id}"


class ReceivedHook(models.Model):
    """A webhook body received (its SHA-256), so that a redelivery is acknowledged and ignored;
    kept a week (LivePerson redelivers within seconds), then pruned by the receiver."""

    digest = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.digest
