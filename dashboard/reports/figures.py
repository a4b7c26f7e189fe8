"""What the reports page shows, worked out from a report's sections for one viewer: a manager
reads the whole workspace, an agent only their own share (their conversations, their row, their
CSAT). The same values feed the charts, the tables beside them and the CSV downloads, so the
three cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext, pgettext

from dashboard.lib.durations import duration_text
from dashboard.reports.aggregate import UNASSIGNED, DurationTally
from dashboard.reports.charts import SERIES_CSS, Chart, grouped_bars, lines
from dashboard.reports.models import AgentSnapshot, Report
from dashboard.reports.ranges import ReportRange


@dataclass(frozen=True)
class Viewer:
    """Whose numbers: everyone's (agent_id None) or one agent's."""

    agent_id: str | None

    def includes(self, agent: str) -> bool:
        return self.agent_id is None or agent == self.agent_id


@dataclass(frozen=True)
class Duration:
    median: int | None
    p90: int | None
    count: int

    @property
    def median_text(self) -> str:
        return readable(self.median)

    @property
    def p90_text(self) -> str:
        return readable(self.p90)


@dataclass(frozen=True)
class AgentRow:
    id: str
    name: str
    closed: int
    active: int
    waiting: int
    csat: float | None

    @property
    def open(self) -> int:
        return self.active + self.waiting


@dataclass
class Figures:
    labels: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    close_time: Duration | None = None
    first_reply: Duration | None = None
    replies_sampled: int = 0
    replies_sample_of: int = 0
    agents: list[AgentRow] = field(default_factory=list)
    csat_days: list[str] = field(default_factory=list)
    csat: list[tuple[str, list[float | None]]] = field(default_factory=list)  # (agent, by day)
    sites: list[dict[str, Any]] = field(default_factory=list)
    visitors_seen: list[int] = field(default_factory=list)
    sections: set[str] = field(default_factory=set)

    @property
    def total_created(self) -> int:
        return sum(self.created)

    @property
    def total_closed(self) -> int:
        return sum(self.closed)

    @property
    def volume_rows(self) -> list[tuple[str, int, int]]:
        return list(zip(self.labels, self.created, self.closed, strict=True))

    @property
    def csat_rows(self) -> list[tuple[str, list[float | None]]]:
        return [
            (day, [values[index] for _name, values in self.csat])
            for index, day in enumerate(self.csat_days)
        ]

    def volume_chart(self, hourly: bool) -> Chart:
        if hourly:
            description = gettext(
                "Conversations created and closed per hour; the table beside it has the figures."
            )
        else:
            description = gettext(
                "Conversations created and closed per day; the table beside it has the figures."
            )
        return grouped_bars(
            gettext("Conversations created and closed"),
            description,
            self.labels,
            [
                (gettext("Created"), SERIES_CSS[0], self.created),
                (pgettext("conversations closed, a count", "Closed"), SERIES_CSS[1], self.closed),
            ],
        )

    def csat_chart(self) -> Chart:
        return lines(
            gettext("CSAT over time"),
            gettext("Each agent's CSAT score as the agents list showed it each day (0 to 5)."),
            self.csat_days,
            [
                (name, SERIES_CSS[i % len(SERIES_CSS)], values)
                for i, (name, values) in enumerate(self.csat)
            ],
            top=5.0,
        )

    def sites_chart(self) -> Chart:
        names = [site["name"] for site in self.sites]
        return grouped_bars(
            gettext("Visitors by site"),
            gettext("New and returning visitors seen in the range, per site."),
            names,
            [
                (gettext("New"), SERIES_CSS[2], [site["new"] for site in self.sites]),
                (gettext("Returning"), SERIES_CSS[3], [site["returning"] for site in self.sites]),
            ],
        )


def _duration(tally: DurationTally) -> Duration:
    return Duration(tally.percentile(0.5), tally.percentile(0.9), tally.count)


def figures_for(report: Report, span: ReportRange, viewer: Viewer) -> Figures:
    figures = Figures()
    sections = {section.name: section.data for section in report.sections.all()}
    figures.sections = set(sections)
    conversations = sections.get("conversations")
    closed_by_agent: dict[str, int] = {}
    names: dict[str, str] = {}
    if conversations:
        _add_conversations(figures, conversations, viewer, closed_by_agent, names)
    if (agents := sections.get("agents")) is not None:
        figures.agents = _agent_rows(agents, closed_by_agent, names, viewer)
    if (visitors := sections.get("visitors")) is not None and viewer.agent_id is None:
        figures.sites = visitors["sites"]
        figures.visitors_seen = visitors["seen"]
    _add_csat(figures, report.tenant_id, span, viewer, names)
    return figures


def _add_conversations(
    figures: Figures,
    data: dict[str, Any],
    viewer: Viewer,
    closed_by_agent: dict[str, int],
    names: dict[str, str],
) -> None:
    figures.labels = data["labels"]
    size = len(figures.labels)
    figures.created, figures.closed = [0] * size, [0] * size
    close_time, first_reply = DurationTally(), DurationTally()
    for agent, tally in data["agents"].items():
        if agent != UNASSIGNED:
            names[agent] = tally["name"] or names.get(agent, "")
            closed_by_agent[agent] = sum(tally["closed"])
        if not viewer.includes(agent):
            continue
        figures.created = [a + b for a, b in zip(figures.created, tally["created"], strict=True)]
        figures.closed = [a + b for a, b in zip(figures.closed, tally["closed"], strict=True)]
        close_time.merge(DurationTally(tally["close_time"]))
        first_reply.merge(DurationTally(tally["first_reply"]))
    figures.close_time = _duration(close_time)
    figures.first_reply = _duration(first_reply)
    figures.replies_sampled = data["sampled"]
    figures.replies_sample_of = data["sample_of"]


def _agent_rows(
    data: dict[str, Any], closed_by_agent: dict[str, int], names: dict[str, str], viewer: Viewer
) -> list[AgentRow]:
    rows = []
    for agent in data["agents"]:
        if not viewer.includes(agent["id"]):
            continue
        name = agent["name"] or names.get(agent["id"], "") or agent["id"]
        names.setdefault(agent["id"], name)
        rows.append(
            AgentRow(
                id=agent["id"],
                name=name,
                closed=closed_by_agent.get(agent["id"], 0),
                active=agent["active"],
                waiting=agent["waiting"],
                csat=agent["csat"],
            )
        )
    return rows


def _add_csat(
    figures: Figures, tenant_id: str, span: ReportRange, viewer: Viewer, names: dict[str, str]
) -> None:
    """The daily snapshots of the range's days: one line per agent, a gap where a day has none."""
    days = [span.first_day + timedelta(days=n) for n in range(span.days)]
    snapshots = AgentSnapshot.objects.filter(
        tenant_id=tenant_id, day__gte=span.first_day, day__lte=span.last_day
    )
    if viewer.agent_id is not None:
        snapshots = snapshots.filter(agent_id=viewer.agent_id)
    by_agent: dict[str, dict[date, float | None]] = {}
    for snapshot in snapshots.order_by("agent_name", "agent_id", "day"):
        by_agent.setdefault(snapshot.agent_id, {})[snapshot.day] = snapshot.csat_score
        names.setdefault(snapshot.agent_id, snapshot.agent_name)
    figures.csat_days = [day.isoformat() for day in days]
    figures.csat = [
        (names.get(agent_id) or agent_id, [scores.get(day) for day in days])
        for agent_id, scores in by_agent.items()
    ]


def readable(seconds: int | None) -> str:
    """ "45 s", "3 min 20 s", "2 h 05 min", "3 d 4 h" in the active language; "—" for none."""
    return "—" if seconds is None else duration_text(seconds)
