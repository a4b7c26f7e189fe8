"""Streaming aggregation: the platform's lists, a page at a time, folded into counts whose size
does not grow with the number of records (days × agents, sites, a bounded histogram of
durations, a fixed-size sample), so memory stays flat whatever the workspace's size.

Every figure is kept per agent (the one assigned now; "" for nobody): a manager reads the sum,
an agent their own share.
"""

import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dashboard.reports.ranges import Buckets

UNASSIGNED = ""


class DurationTally:
    """How many durations of each length, at the resolution a person reads them: to the second
    under an hour, to the minute under a day, to the hour beyond. At most a few thousand keys
    however many durations, and percentiles exact at that resolution."""

    def __init__(self, counts: Iterable[tuple[int, int]] = ()) -> None:
        self.counts: Counter[int] = Counter(dict(counts))

    @staticmethod
    def resolution(seconds: int) -> int:
        if seconds < 3600:
            return seconds
        if seconds < 86_400:
            return seconds - seconds % 60
        return seconds - seconds % 3600

    def add(self, seconds: float) -> None:
        self.counts[self.resolution(max(0, int(seconds)))] += 1

    def merge(self, other: "DurationTally") -> None:
        self.counts.update(other.counts)

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    def percentile(self, share: float) -> int | None:
        """The nearest-rank percentile (share 0.5: the median): the smallest duration with at
        least that share of the durations at or below it. None without durations."""
        total = self.count
        if not total:
            return None
        rank = max(1, math.ceil(share * total))
        seen = 0
        for seconds in sorted(self.counts):
            seen += self.counts[seconds]
            if seen >= rank:
                return seconds
        return None  # unreachable: the last key reaches the total

    def to_json(self) -> list[list[int]]:
        return [[seconds, count] for seconds, count in sorted(self.counts.items())]


@dataclass
class AgentTally:
    created: list[int]
    closed: list[int]
    close_time: DurationTally = field(default_factory=DurationTally)
    first_reply: DurationTally = field(default_factory=DurationTally)
    name: str = ""

    @classmethod
    def empty(cls, size: int) -> "AgentTally":
        return cls(created=[0] * size, closed=[0] * size)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "created": self.created,
            "closed": self.closed,
            "close_time": self.close_time.to_json(),
            "first_reply": self.first_reply.to_json(),
        }


class Walk:
    """Tells when a list sorted newest first (by `updatedAt`, `lastSeenAt`) has passed the
    range's start, so that the rest of it cannot matter. The order is the platform's (a guess
    for Connextlive): the moment one record is newer than the one before it, the walk goes on to
    the end instead."""

    def __init__(self, start: float) -> None:
        self.start = start
        self.previous = math.inf
        self.sorted = True

    def past_start(self, moment: float) -> bool:
        if moment > self.previous:
            self.sorted = False
        self.previous = moment
        return self.sorted and moment < self.start


class ConversationFigures:
    """Conversations created and closed per bucket, time to close, and a fixed-size uniform
    sample (reservoir) of the assigned conversations created in the range, whose first agent
    reply is read from their messages afterwards."""

    def __init__(self, buckets: Buckets, sample_size: int, seed: str) -> None:
        self.buckets = buckets
        self.agents: dict[str, AgentTally] = {}
        self.sample_size = sample_size
        self.sample: list[tuple[str, str, float]] = []  # (conversation id, agent, created at)
        self.sample_of = 0
        self._random = random.Random(seed)
        self.walk = Walk(buckets.starts[0])

    def tally(self, agent: str) -> AgentTally:
        if (found := self.agents.get(agent)) is None:
            found = self.agents[agent] = AgentTally.empty(len(self.buckets))
        return found

    def add(self, conversation: Any) -> bool:
        """Count one conversation; False once the walk is past the range (stop reading)."""
        updated = conversation.updated_at.timestamp()
        if self.walk.past_start(updated):
            return False
        agent = conversation.agent_id or UNASSIGNED
        created = conversation.created_at.timestamp()
        column = self.buckets.index(created)
        if column >= 0:
            tally = self.tally(agent)
            tally.created[column] += 1
            if conversation.agent is not None:
                tally.name = conversation.agent.name
            if agent != UNASSIGNED:
                self._offer(conversation.id, agent, created)
        if conversation.closed_at is not None and conversation.status == "CLOSED":
            closed = conversation.closed_at.timestamp()
            if (closed_column := self.buckets.index(closed)) >= 0:
                tally = self.tally(agent)
                tally.closed[closed_column] += 1
                tally.close_time.add(closed - created)
        return True

    def _offer(self, conversation_id: str, agent: str, created: float) -> None:
        """Algorithm R: each conversation seen so far is in the sample with the same chance."""
        self.sample_of += 1
        entry = (conversation_id, agent, created)
        if len(self.sample) < self.sample_size:
            self.sample.append(entry)
        elif (slot := self._random.randrange(self.sample_of)) < self.sample_size:
            self.sample[slot] = entry

    def add_first_reply(self, agent: str, seconds: float) -> None:
        self.tally(agent).first_reply.add(seconds)

    def to_json(self, replies_read: int) -> dict[str, Any]:
        return {
            "labels": list(self.buckets.labels),
            "agents": {agent: tally.to_json() for agent, tally in sorted(self.agents.items())},
            "sampled": replies_read,
            "sample_of": self.sample_of,
            "walked_to_the_end": not self.walk.sorted or self.walk.previous >= self.walk.start,
        }


class VisitorFigures:
    """Visitors seen in the range (by their latest visit, the one the list shows), per bucket
    and per site, new or returning as the platform flags them."""

    def __init__(self, buckets: Buckets) -> None:
        self.buckets = buckets
        self.seen = [0] * len(buckets)
        self.sites: dict[str, dict[str, Any]] = {}
        self.walk = Walk(buckets.starts[0])

    def add(self, visitor: Any) -> bool:
        last_seen = visitor.last_seen_at.timestamp()
        if self.walk.past_start(last_seen):
            return False
        column = self.buckets.index(last_seen)
        if column < 0:
            return True
        self.seen[column] += 1
        site = self.sites.get(visitor.site_id)
        if site is None:
            name = visitor.site.name or visitor.site.domain or visitor.site_id
            site = self.sites[visitor.site_id] = {"name": name, "new": 0, "returning": 0}
        site["returning" if visitor.is_returning else "new"] += 1
        return True

    def to_json(self) -> dict[str, Any]:
        sites = sorted(self.sites.items(), key=lambda item: (item[1]["name"], item[0]))
        return {
            "labels": list(self.buckets.labels),
            "seen": self.seen,
            "sites": [{"id": site_id, **figures} for site_id, figures in sites],
        }
