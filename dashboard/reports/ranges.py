"""A report's range: whole days of one time zone, and the buckets its charts count in.

"Last 7 days" is today and the six days before it, in the viewer's zone (the workspace's, or
their own): its start is that zone's midnight, whatever the offset (Asia/Kathmandu's +05:45) or
the season (a day of a DST change has 23 or 25 hours). A range of one day is counted per hour, a
longer one per day. Each bucket is a half-open span of UTC seconds, so a timestamp finds its
bucket by bisection: no conversion per record, and no hour counted twice or lost at a change.
"""

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The presets of the range control: key -> (label, days).
PRESETS: dict[str, tuple[str | Promise, int]] = {
    "today": (_("Today"), 1),
    "7d": (_("Last 7 days"), 7),
    "30d": (_("Last 30 days"), 30),
    "90d": (_("Last 90 days"), 90),
}
DEFAULT_PRESET = "7d"
MAX_DAYS = 366  # a custom range of at most a year: a walk of the platform's lists per refresh


@dataclass(frozen=True)
class ReportRange:
    first_day: date
    last_day: date  # included
    zone_name: str

    @property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.zone_name)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def hourly(self) -> bool:
        return self.days == 1

    @property
    def start(self) -> datetime:
        return midnight(self.first_day, self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the range (the next day's midnight)."""
        return midnight(self.last_day + timedelta(days=1), self.zone)

    def buckets(self) -> "Buckets":
        return Buckets.hours(self) if self.hourly else Buckets.days(self)

    def includes(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def midnight(day: date, zone: tzinfo) -> datetime:
    """The first instant of `day` in `zone`. Where a DST change skips midnight (a few zones
    change at 00:00), the day starts at the first wall time that exists."""
    local = datetime.combine(day, time.min, tzinfo=zone)
    # zoneinfo gives a skipped wall time the offset before the change; going through UTC and
    # back lands on the first real instant at or after it.
    return local.astimezone(ZoneInfo("UTC")).astimezone(zone)


def preset_range(preset: str, today: date, zone_name: str) -> ReportRange:
    _label, days = PRESETS[preset]
    return ReportRange(today - timedelta(days=days - 1), today, zone_name)


@dataclass(frozen=True)
class Buckets:
    """The chart's columns: each a label and the UTC second it starts at; `ends_at` closes the
    last. `index(ts)` is the column of a timestamp, or -1 outside the range."""

    labels: tuple[str, ...]
    starts: tuple[float, ...]
    ends_at: float

    @classmethod
    def days(cls, span: ReportRange) -> "Buckets":
        zone = span.zone
        days = [span.first_day + timedelta(days=n) for n in range(span.days)]
        return cls(
            labels=tuple(day.isoformat() for day in days),
            starts=tuple(midnight(day, zone).timestamp() for day in days),
            ends_at=span.end.timestamp(),
        )

    @classmethod
    def hours(cls, span: ReportRange) -> "Buckets":
        """One per hour of the day as it was lived: 23 on the spring change, 25 in autumn (the
        repeated hour is labelled twice)."""
        zone, start, end = span.zone, span.start.timestamp(), span.end.timestamp()
        # Elapsed hours from the local midnight: right for +05:45 too, whose hours start at a
        # quarter past UTC's.
        starts = [start + 3600 * hour for hour in range(int((end - start) // 3600))]
        labels = [datetime.fromtimestamp(at, zone).strftime("%H:%M") for at in starts]
        return cls(labels=tuple(labels), starts=tuple(starts), ends_at=end)

    def index(self, timestamp: float) -> int:
        if timestamp < self.starts[0] or timestamp >= self.ends_at:
            return -1
        return bisect.bisect_right(self.starts, timestamp) - 1

    def __len__(self) -> int:
        return len(self.labels)
