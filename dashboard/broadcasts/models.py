"""A broadcast: a message, a channel and an audience, sent by a job (dashboard.jobs) that keeps
one item per recipient -- which is how it can say who got it, even after a worker died."""

from django.db import models

from dashboard.jobs.models import Job


class Broadcast(models.Model):
    class Channel(models.TextChoices):
        CONNEXTLIVE = "connextlive", "Connextlive (as the sender agent)"
        CONNECTIVEONE = "connectiveone", "ConnectiveOne (call_node)"

    class Audience(models.TextChoices):
        CONVERSATIONS = "conversations", "Connextlive conversations matching a filter"
        VISITORS = "visitors", "Connextlive visitors matching a filter"
        CHATS = "chats", "ConnectiveOne chats created in a date range"
        CSV = "csv", "An uploaded CSV of recipients"

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="broadcast")
    name = models.CharField(max_length=200)
    message = models.TextField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    # Visitors or conversations: the list page's own query string (`status=WAITING&search=x`).
    audience_query = models.CharField(max_length=2000, blank=True)
    chats_from = models.DateTimeField(null=True, blank=True)
    chats_to = models.DateTimeField(null=True, blank=True)
    # ConnectiveOne: the bot, and the scenario entry (a connector alias or a node id).
    bot_id = models.PositiveIntegerField(null=True, blank=True)
    connector_alias = models.CharField(max_length=100, blank=True)
    node_id = models.PositiveIntegerField(null=True, blank=True)
    # The dry run: how many recipients, and a few of them.
    audience_estimate = models.PositiveIntegerField(null=True, blank=True)
    estimate_note = models.CharField(max_length=300, blank=True)
    sample = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.job.state == Job.State.DRAFT
