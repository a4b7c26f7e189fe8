"""Exporting every visitor matching the list's filter as CSV: what the file holds, and its
start page (/visitors/bulk/export/). The engine's exports.py fetches and writes the file."""

from typing import Any

from dashboard.jobs.confirmation import export_view
from dashboard.jobs.exports import ExportKind, ExportPerformer, Row
from dashboard.jobs.kinds import FetchedPage, register, tenant_client
from dashboard.jobs.models import Job
from dashboard.platforms.connextlive_records import Visitor
from dashboard.visitors.bulk import AUDIENCE, fetch_visitors, visitor_filters


class VisitorExport(ExportPerformer):
    columns = ["id", "name", "email", "phone", "country", "city", "site", "tags", "online",
               "returning", "visits", "first seen", "last seen", "created"]  # fmt: skip

    def __init__(self, job: Job) -> None:
        self.client = tenant_client(job)
        self.filters = visitor_filters(job.params.get("query", ""))  # once: it validates a form

    def fetch(self, cursor: dict[str, Any]) -> FetchedPage:
        return fetch_visitors(self.client, self.filters, cursor, self.page_size)

    def row(self, v: Visitor) -> Row:
        return [v.id, v.user_name, v.user_email, v.user_phone, v.country, v.city, v.site.name,
                "; ".join(v.tags), v.is_online, v.is_returning, v.visit_count,
                v.first_seen_at, v.last_seen_at, v.created_at]  # fmt: skip


@register
class VisitorExportKind(ExportKind):
    kind = "visitors.export"
    label = "Export visitors"
    performer_class = VisitorExport


export_all = export_view(AUDIENCE, VisitorExportKind.kind)
