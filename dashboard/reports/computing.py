"""Computing a report: a job of the engine (kind `reports.compute`) with one item per section,
so the sections are read side by side and each is written the moment it is known.

    conversations  the conversation list, newest activity first, to the range's start; then the
                   messages of a fixed-size sample of it, for the time to the first agent reply
    visitors       the visitor list, latest visit first, to the range's start
    agents         each agent's open conversations now, and (for a manager) the agents list,
                   whose CSAT is also today's snapshot (snapshots.py)

Each walk fetches the next page in a thread of its own while the page before is counted, so the
platform's answer time alone sets the pace (bench/bench_reports.py). Every fetch waits for the
engine's shared rate limit first. A report is computed with the sign-in of whoever asked: a
manager's reads the tenant API, an agent's the agent API (the same conversations and visitors;
the agents list is the managers').
"""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dashboard.jobs import engine
from dashboard.jobs.kinds import ItemSpec, JobKind, Performer, kind_of, register, tenant_client
from dashboard.jobs.models import Job
from dashboard.jobs.running import pace
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformNotFound
from dashboard.reports.aggregate import ConversationFigures, VisitorFigures
from dashboard.reports.models import Report, ReportSection
from dashboard.reports.ranges import ReportRange
from dashboard.reports.snapshots import record_snapshot

KIND = "reports.compute"
SECTIONS = ("conversations", "visitors", "agents")
# Conversations per page of the tenant list (it documents no maximum) and of the agent list (50).
TENANT_PAGE_SIZE = 100
AGENT_PAGE_SIZE = 50
VISITOR_PAGE_SIZE = 100  # the documented maximum


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- walking a list, a page ahead ------------------------------------------------------------

type FetchPage = Callable[[int], tuple[list[Any], bool]]  # page number -> (records, last?)


def pages_ahead(fetch: FetchPage, before_fetch: Callable[[], None]) -> Iterator[list[Any]]:
    """Every page of a list, from the first, each fetched by one thread while the caller counts
    the one before. Closing the iterator (the caller stops early) lets the fetch under way end
    and starts no other."""
    with ThreadPoolExecutor(1, thread_name_prefix="report-fetch") as pool:

        def fetch_paced(number: int) -> tuple[list[Any], bool]:
            before_fetch()
            return fetch(number)

        number = 1
        pending = pool.submit(fetch_paced, number)
        while True:
            records, last = pending.result()
            if not last:
                number += 1
                pending = pool.submit(fetch_paced, number)
            yield records
            if last:
                return


# --- what a sign-in can read -------------------------------------------------------------------


class Source:
    """The lists a report reads, through the API of the role that asked."""

    def __init__(self, client: ConnextliveClient, before_fetch: Callable[[], None]) -> None:
        self.client = client
        self.before_fetch = before_fetch

    def conversations(self) -> Iterator[list[Any]]:
        raise NotImplementedError

    def visitors(self) -> Iterator[list[Any]]:
        raise NotImplementedError

    def first_agent_reply(self, conversation_id: str) -> datetime | None:
        raise NotImplementedError

    def open_load(self) -> dict[str, dict[str, Any]]:
        raise NotImplementedError

    def roster(self) -> list[Any] | None:
        return None


def _offset_pages(list_page: Callable[[int, int], Any], size: int) -> FetchPage:
    def fetch(number: int) -> tuple[list[Any], bool]:
        page = list_page((number - 1) * size, size)
        return page.items, not page.items or number * size >= page.total

    return fetch


def _numbered_pages(list_page: Callable[[int, int], Any], size: int) -> FetchPage:
    def fetch(number: int) -> tuple[list[Any], bool]:
        page = list_page(number, size)
        return page.items, not page.items or number >= page.total_pages

    return fetch


def _first_agent_message(messages: list[Any]) -> datetime | None:
    return next((m.created_at for m in messages if m.sender_type == "AGENT"), None)


class TenantSource(Source):
    def conversations(self) -> Iterator[list[Any]]:
        tenant = self.client.tenant
        fetch = _offset_pages(
            lambda offset, limit: tenant.list_conversations("all", limit=limit, offset=offset),
            TENANT_PAGE_SIZE,
        )
        return pages_ahead(fetch, self.before_fetch)

    def visitors(self) -> Iterator[list[Any]]:
        tenant = self.client.tenant
        fetch = _numbered_pages(
            lambda number, limit: tenant.list_visitors(page=number, limit=limit),
            VISITOR_PAGE_SIZE,
        )
        return pages_ahead(fetch, self.before_fetch)

    def first_agent_reply(self, conversation_id: str) -> datetime | None:
        self.before_fetch()
        return _first_agent_message(self.client.tenant.get_conversation(conversation_id).messages)

    def open_load(self) -> dict[str, dict[str, Any]]:
        self.before_fetch()
        stats = self.client.tenant.list_conversations("all", limit=1).agent_stats
        return {
            s.agent_id: {"name": s.agent_name, "active": s.active, "waiting": s.waiting}
            for s in stats
        }

    def roster(self) -> list[Any] | None:
        self.before_fetch()
        return self.client.tenant.list_agents().agents


class AgentSource(Source):
    def conversations(self, statuses: tuple[str, ...] = ()) -> Iterator[list[Any]]:
        agent = self.client.agent
        fetch = _offset_pages(
            lambda offset, limit: agent.list_conversations(statuses, limit=limit, offset=offset),
            AGENT_PAGE_SIZE,
        )
        return pages_ahead(fetch, self.before_fetch)

    def visitors(self) -> Iterator[list[Any]]:
        agent = self.client.agent
        fetch = _numbered_pages(
            lambda number, limit: agent.list_visitors(page=number, limit=limit),
            VISITOR_PAGE_SIZE,
        )
        return pages_ahead(fetch, self.before_fetch)

    def first_agent_reply(self, conversation_id: str) -> datetime | None:
        # The first page (oldest first) holds the first reply but in the longest conversations.
        for message in self.client.agent.iter_messages(conversation_id):
            if message.sender_type == "AGENT":
                return message.created_at
        return None

    def open_load(self) -> dict[str, dict[str, Any]]:
        """The agent API has no per-agent figures: its open conversations, counted."""
        load: dict[str, dict[str, Any]] = {}
        for page in self.conversations(("active", "waiting")):
            for conversation in page:
                if conversation.agent_id:
                    entry = load.setdefault(
                        conversation.agent_id, {"name": "", "active": 0, "waiting": 0}
                    )
                    entry["name"] = conversation.agent.name if conversation.agent else ""
                    entry["active" if conversation.status == "ACTIVE" else "waiting"] += 1
        return load


# --- the sections --------------------------------------------------------------------------------


def conversations_section(source: Source, span: ReportRange, seed: str) -> dict[str, Any]:
    figures = ConversationFigures(
        span.buckets(), setting("REPORTS_FIRST_REPLY_SAMPLE", 500), seed=seed
    )
    pages = source.conversations()
    try:
        for page in pages:
            if not all([figures.add(conversation) for conversation in page]):
                break
    finally:
        pages.close()
    read = 0
    for conversation_id, agent, created in figures.sample:
        try:
            replied = source.first_agent_reply(conversation_id)
        except PlatformNotFound:
            continue  # deleted since it was listed
        read += 1
        if replied is not None:
            figures.add_first_reply(agent, replied.timestamp() - created)
    return figures.to_json(read)


def visitors_section(source: Source, span: ReportRange) -> dict[str, Any]:
    figures = VisitorFigures(span.buckets())
    pages = source.visitors()
    try:
        for page in pages:
            if not all([figures.add(visitor) for visitor in page]):
                break
    finally:
        pages.close()
    return figures.to_json()


def agents_section(source: Source, tenant_id: str, zone_name: str) -> dict[str, Any]:
    load = source.open_load()
    roster = source.roster()
    agents = {
        agent_id: {"id": agent_id, **figures, "csat": None} for agent_id, figures in load.items()
    }
    if roster is not None:
        record_snapshot(tenant_id, zone_name, roster)
        for agent in roster:
            entry = agents.setdefault(
                agent.id, {"id": agent.id, "name": "", "active": 0, "waiting": 0}
            )
            entry["name"] = agent.name or entry["name"]
            entry["csat"] = agent.csat_score
    ordered = sorted(agents.values(), key=lambda agent: (agent["name"], agent["id"]))
    return {"agents": ordered, "with_csat": roster is not None}


# --- the job kind -------------------------------------------------------------------------------


class ReportPerformer(Performer):
    def __init__(self, job: Job) -> None:
        self.job = job
        self.report = Report.objects.get(pk=job.params["report_id"])
        self.span = ReportRange(self.report.first_day, self.report.last_day, self.report.time_zone)
        # Reads only: a failed page is asked for again (the engine's own retries are for items).
        client = tenant_client(job).with_options(max_retries=2)
        kind = kind_of(job)
        source_class = AgentSource if job.params.get("role") == "agent" else TenantSource
        self.source = source_class(client, lambda: pace(kind, job))

    def perform(self, item: ItemSpec) -> str:
        report, span = self.report, self.span
        match item.key:
            case "conversations":
                seed = f"{report.pk}:{span.first_day}:{span.last_day}"
                data = conversations_section(self.source, span, seed)
            case "visitors":
                data = visitors_section(self.source, span)
            case "agents":
                data = agents_section(self.source, report.tenant_id, span.zone_name)
            case _:
                return "no such section"
        ReportSection.objects.update_or_create(
            report=report, name=item.key, defaults={"data": data, "computed_at": timezone.now()}
        )
        return "computed"


@register
class ComputeReport(JobKind):
    kind = KIND
    label = "Compute a report"
    idempotent = True  # reads only
    max_runners = 1
    max_concurrency = len(SECTIONS)
    page_name = "the report"
    performer_class: ClassVar[Callable[[Job], Performer]] = ReportPerformer

    def page_url(self, job: Job) -> str | None:
        return "/reports/"


def compute(report: Report, *, user: Any, sealed_token: str, title: str) -> Job:
    """Start computing `report` (again) as `user`; its sections are replaced as each is done."""
    with transaction.atomic():
        job = engine.create_job(
            kind=KIND,
            title=title,
            tenant_id=report.tenant_id,
            created_by=user,
            params={"report_id": report.pk, "role": "agent" if user.is_agent else "manager"},
        )
        engine.add_items(job, [ItemSpec(name, name.capitalize()) for name in SECTIONS])
        Report.objects.filter(pk=report.pk).update(job=job, as_of=timezone.now())
        report.job, report.as_of = job, timezone.now()
        engine.start(job, sealed_token=sealed_token)
    return job
