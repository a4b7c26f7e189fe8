"""A broadcast with an audience on several channels, sending to each person at most once.

The broadcast's own channel is its first part; each broadcast whose `part_of` is it adds a
further channel's audience, in the order they were added. One job sends them all: its audience is
collected part after part, and every recipient whose normalised e-mail or phone (where the
channel gives one) belongs to a recipient collected before goes in *skipped* -- "already reached
through <channel>" -- in the same insert as the others, so it is never pending and never claimed.
Collection is resumed from the job's cursor after a kill; the people already collected are read
back from the job's items (written with that cursor, in one transaction), so a page collected
twice decides the same way. A recipient without an e-mail or phone (a LivePerson consumer from a
CSV without those columns) cannot be matched and is always kept. A recipient its own channel
skips (a UChat subscriber who does not allow messages) is not reached through it, so is not
remembered: a later channel may reach them.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.utils.translation import gettext, ngettext

from dashboard.broadcasts.audience import SAMPLE_SIZE, DryRun, recipient
from dashboard.broadcasts.channels import (
    LivePersonBroadcast,
    LivePersonBroadcastKind,
    UChatBroadcast,
    UChatBroadcastKind,
)
from dashboard.broadcasts.models import Broadcast
from dashboard.broadcasts.sending import (
    BroadcastKind,
    ConnectiveOneBroadcast,
    ConnextliveBroadcast,
)
from dashboard.contacts import people, phones
from dashboard.jobs.kinds import (
    KINDS,
    Answer,
    CollectedPage,
    ItemSpec,
    JobKind,
    Performer,
    ReadBackAnswer,
    register,
)
from dashboard.jobs.models import Job, JobItem
from dashboard.jobs.outcomes import ItemRefused
from dashboard.platforms.errors import PlatformCallFailed, PlatformError

CHANNEL_NAMES = {
    Broadcast.Channel.CONNEXTLIVE: "Connextlive",
    Broadcast.Channel.CONNECTIVEONE: "ConnectiveOne",
    Broadcast.Channel.UCHAT: "UChat",
    Broadcast.Channel.LIVEPERSON: "LivePerson",
}


# The reason of a recipient skipped as a duplicate: "<channel>: skipped, already reached
# through <channel>" (templatetags/job_tags.py reads it back to translate it).
ALREADY_REACHED = ": skipped, already reached through "


def person_keys(email: str | None, phone: str | None) -> list[str]:
    """How a recipient is matched: `email:<lower case>` and `phone:<E.164>`, each if clean. A
    phone without `+` is read as international digits (ConnectiveOne's chats give them so)."""
    keys = []
    if clean := people.clean_email(email or ""):
        keys.append(f"email:{clean}")
    raw = (phone or "").strip()
    if raw and raw[0].isdigit():
        raw = "+" + raw
    if number := phones.normalise(raw):
        keys.append(f"phone:{number}")
    return keys


def parts_of(broadcast: Broadcast) -> list[Broadcast]:
    """The broadcast itself, then the channels added to it, in the order they were added."""
    return [broadcast, *broadcast.parts.order_by("pk")]


def _performer(job: Job, part: Broadcast) -> Performer:
    match part.channel:
        case Broadcast.Channel.UCHAT:
            return UChatBroadcast(job, part)
        case Broadcast.Channel.LIVEPERSON:
            return LivePersonBroadcast(job, part)
        case Broadcast.Channel.CONNECTIVEONE:
            return ConnectiveOneBroadcast(job, part)
    return ConnextliveBroadcast(job, part)


def _inner(item: ItemSpec) -> ItemSpec:
    """The part's own item, as its channel's performer knows it."""
    payload = dict(item.payload)
    key = str(payload.pop("key"))
    for name in ("part", "people", "channel_name", "label", "reached_through"):
        payload.pop(name, None)
    return ItemSpec(key, str(item.payload.get("label", "")), payload)


class Deduplicator:
    """Who has been collected: {person key: the channel that reaches them}."""

    def __init__(self, known: Iterable[dict[str, Any]] = ()) -> None:
        self.reached: dict[str, str] = {}
        for payload in known:
            self._remember(payload.get("people") or [], str(payload.get("channel_name", "")))

    def _remember(self, keys: list[str], channel: str) -> None:
        for key in keys:
            self.reached.setdefault(key, channel)

    def wrap(self, part: Broadcast, index: int, items: list[ItemSpec]) -> list[ItemSpec]:
        channel = CHANNEL_NAMES.get(part.channel, part.channel)
        wrapped = []
        for item in items:
            keys = person_keys(item.payload.get("email"), item.payload.get("phone"))
            payload = {
                **item.payload,
                "key": item.key,
                "part": index,
                "people": keys,
                "channel_name": channel,
                "label": item.label,
            }
            if item.skipped:
                # Its own channel will not reach them (a UChat subscriber who does not allow
                # messages): not remembered, so a later channel still tries to.
                earlier, skipped = None, item.skipped
            else:
                earlier = next((self.reached[k] for k in keys if k in self.reached), None)
                skipped = f"{channel}{ALREADY_REACHED}{earlier}" if earlier else ""
                if earlier:
                    payload["reached_through"] = earlier  # a duplicate (the dry run counts them)
                else:
                    self._remember(keys, channel)
            label = f"{item.label or item.key} ({channel})"
            wrapped.append(ItemSpec(f"{index}/{item.key}", label, payload, skipped))
        return wrapped


class MultiChannelBroadcast(Performer):
    def __init__(self, job: Job, broadcast: Broadcast) -> None:
        self.job, self.broadcast = job, broadcast
        self.parts = parts_of(broadcast)
        self._performers: dict[int, Performer] = {}
        # A Connextlive part reads back its unknowns; the other channels' answer "unclear".
        connextlive = any(p.channel == Broadcast.Channel.CONNEXTLIVE for p in self.parts)
        self.can_read_back = connextlive  # type: ignore[misc]

    def part_performer(self, index: int) -> Performer:
        if index not in self._performers:
            self._performers[index] = _performer(self.job, self.parts[index])
        return self._performers[index]

    def perform(self, item: ItemSpec) -> str:
        result = self.part_performer(int(item.payload["part"])).perform(_inner(item))
        return f"{item.payload.get('channel_name', '')}: {result}"

    def read_back(self, item: ItemSpec, since: datetime) -> ReadBackAnswer:
        performer = self.part_performer(int(item.payload["part"]))
        if not performer.can_read_back:
            return ReadBackAnswer(Answer.UNCLEAR, "this channel cannot be read back")
        return performer.read_back(_inner(item), since)

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        known = JobItem.objects.filter(job=self.job).exclude(state=JobItem.State.SKIPPED)
        dedupe = Deduplicator(known.values_list("payload", flat=True).iterator())
        index, inner = int(cursor.get("part", 0)), dict(cursor.get("cursor") or {})
        while index < len(self.parts):
            part = self.parts[index]
            if part.audience == Broadcast.Audience.CSV:
                # A CSV's rows were kept on the part's own draft job when it was uploaded.
                rows = part.job.items.order_by("pk").values_list("key", "label", "payload")
                items = [ItemSpec(key, label, payload) for key, label, payload in rows]
                index, inner = index + 1, {}
                cursor_now = {"part": index, "cursor": {}}
                last = index >= len(self.parts)
                yield CollectedPage(dedupe.wrap(part, index - 1, items), cursor_now, last=last)
                continue
            for page in self.part_performer(index).collect(inner):
                wrapped = dedupe.wrap(part, index, page.items)
                if page.last:
                    index, inner = index + 1, {}
                    last = index >= len(self.parts)
                    yield CollectedPage(wrapped, {"part": index, "cursor": {}}, last=last)
                    break
                yield CollectedPage(wrapped, {"part": index, "cursor": page.cursor})
            else:
                index, inner = index + 1, {}
                if index >= len(self.parts):
                    yield CollectedPage([], {"part": index, "cursor": {}}, last=True)
        if not self.parts:
            yield CollectedPage([], {}, last=True)


def _part_kind(part: Broadcast) -> JobKind:
    match part.channel:
        case Broadcast.Channel.UCHAT:
            return KINDS[UChatBroadcastKind.kind]
        case Broadcast.Channel.LIVEPERSON:
            return KINDS[LivePersonBroadcastKind.kind]
    return KINDS[BroadcastKind.kind]


@register
class MultiChannelBroadcastKind(BroadcastKind):
    """Counted in the first channel's bucket, at the slowest of the channels' rates."""

    kind = "broadcast.multi"
    label = "Broadcast (several channels)"
    requests_per_item = 4  # the most of any channel (LivePerson, closing)

    def performer(self, job: Job) -> Performer:
        return MultiChannelBroadcast(job, Broadcast.objects.get(job=job))

    def _first(self, job: Job) -> tuple[Broadcast, JobKind]:
        broadcast = Broadcast.objects.get(job=job)
        return broadcast, _part_kind(broadcast)

    def rate_key(self, job: Job) -> str:
        broadcast, kind = self._first(job)
        return kind.rate_key(broadcast.job)

    def rate(self, job: Job) -> float:
        broadcast = Broadcast.objects.get(job=job)
        return min(_part_kind(part).rate(part.job) for part in parts_of(broadcast))


# A dry run walks every part's whole audience to match people ahead: past this many recipients
# it stops and says the duplicates are counted when the broadcast starts.
MAX_MATCHED_AHEAD = 20_000


def dry_run(broadcast: Broadcast) -> DryRun:
    """Everyone of every part, matched as the job will match them: how many get it, how many
    duplicates were removed, and the first few recipients (with their channel)."""
    performer = MultiChannelBroadcast(broadcast.job, broadcast)
    kept = skipped = 0
    sample: list[dict[str, str]] = []
    try:
        for page in performer.collect({}):
            for item in page.items:
                if item.skipped:
                    # A duplicate, or one its own channel would refuse (counted in neither).
                    skipped += "reached_through" in item.payload
                    continue
                kept += 1
                if len(sample) < SAMPLE_SIZE:
                    # A test send goes through the first channel: its recipients only.
                    first = int(item.payload.get("part", 0)) == 0
                    key = str(item.payload.get("key", "")) if first else ""
                    sample.append(recipient(key, item.label))
            if kept + skipped > MAX_MATCHED_AHEAD:
                note = gettext("Over %(most)d recipients: duplicates are removed as it sends.") % {
                    "most": MAX_MATCHED_AHEAD
                }
                return DryRun(None, sample, note)
    except PlatformCallFailed:
        raise
    except PlatformError as error:
        raise PlatformCallFailed(str(error)) from error
    names = ", ".join(CHANNEL_NAMES.get(part.channel, part.channel) for part in performer.parts)
    note = ngettext(
        "%(count)d duplicate removed: a person on several of %(channels)s gets it once, "
        "through the first of them that has them (matched by e-mail or phone).",
        "%(count)d duplicates removed: a person on several of %(channels)s gets it once, "
        "through the first of them that has them (matched by e-mail or phone).",
        skipped,
    ) % {"count": skipped, "channels": names}
    return DryRun(kept, sample, note)


def channel_performer(broadcast: Broadcast) -> Performer:
    """The broadcast's own channel's performer (a test send goes to one recipient of it)."""
    return _performer(broadcast.job, broadcast)


class _PartOnly(Performer):
    """A part's own draft job: its audience is sent by its broadcast's job, never by this one."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def perform(self, item: ItemSpec) -> str:
        raise ItemRefused("This audience is sent by the broadcast it was added to.")

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        yield CollectedPage([], {}, last=True)


@register
class BroadcastPartKind(JobKind):
    """The kind of a part's own job once added to a broadcast: started by mistake (from the jobs
    page), it sends nothing."""

    kind = "broadcast.part"
    label = "Broadcast (a further channel of another)"
    idempotent = False
    performer_class = _PartOnly
