"""Exporting every conversation matching the list's filter as CSV: what the file holds, and its
start page (/conversations/bulk/export/). The engine's exports.py fetches and writes the file."""

from typing import Any

from dashboard.conversations.bulk import AUDIENCE, conversation_filters, fetch_conversations
from dashboard.jobs.confirmation import export_view
from dashboard.jobs.exports import ExportKind, ExportPerformer, Row
from dashboard.jobs.kinds import FetchedPage, register, tenant_client
from dashboard.jobs.models import Job
from dashboard.platforms.connextlive_records import ConversationSummary


class ConversationExport(ExportPerformer):
    columns = ["id", "status", "visitor id", "visitor", "visitor email", "agent", "subject",
               "unread", "messages", "created", "updated", "closed"]  # fmt: skip

    def __init__(self, job: Job) -> None:
        self.client = tenant_client(job)
        self.filters = conversation_filters(job.params.get("query", ""))

    def fetch(self, cursor: dict[str, Any]) -> FetchedPage:
        return fetch_conversations(self.client, self.filters, cursor, self.page_size)

    def row(self, c: ConversationSummary) -> Row:
        return [c.id, c.status, c.visitor_id, c.visitor.user_name, c.visitor.user_email,
                c.agent.name if c.agent else "",
                c.subject, c.unread_count, c.message_count, c.created_at, c.updated_at,
                c.closed_at]  # fmt: skip


@register
class ConversationExportKind(ExportKind):
    kind = "conversations.export"
    label = "Export conversations"
    performer_class = ConversationExport


export_all = export_view(AUDIENCE, ConversationExportKind.kind)
