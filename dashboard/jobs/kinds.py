"""What each kind of job does, in one place per kind; the engine does the rest.

A kind says how to act on one item (`perform`), whether doing it twice is harmless
(`idempotent`), how many platform requests one item costs, and, for audiences given as a filter,
how to collect the items page by page (`collect`). The engine knows no kind by name: each area
app registers its own kinds from its `ready()` (visitors/bulk.py, broadcasts/sending.py...), so
the web process and every worker know the same kinds from the moment Django is set up.
"""

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext, gettext_noop

from accounts import vault
from dashboard.jobs.conf import setting
from dashboard.jobs.models import Job
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformUnauthorized

# Records asked for per page when an audience is collected or exported: the most Connextlive's
# lists give in one answer (seeds/003).
COLLECT_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class ItemSpec:
    key: str
    label: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict)
    # Why it is never to be acted on (added skipped, never pending): "" for a normal item.
    skipped: str = ""


@dataclass(frozen=True, slots=True)
class CollectedPage:
    """One page of an audience: its items, the cursor to continue after it, the total if known."""

    items: list[ItemSpec]
    cursor: dict[str, Any]
    total: int | None = None
    last: bool = False


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One page of a platform list as its typed records, with the cursor of the page after it:
    what an area's `fetch` returns, for collecting an audience or writing an export."""

    records: list[Any]
    cursor: dict[str, Any]
    total: int
    last: bool


type Fetch = Callable[[dict[str, Any]], FetchedPage]


def collect_pages(
    fetch: Fetch,
    cursor: dict[str, Any],
    item_of: Callable[[Any], ItemSpec],
    keep: Callable[[Any], bool] | None = None,
) -> Iterator[CollectedPage]:
    """An audience, page after page from `cursor`: each fetched page's records made items; only
    those `keep` accepts, when given (the platform's total is then not the audience's: none)."""
    while True:
        page = fetch(cursor)
        records = page.records if keep is None else [r for r in page.records if keep(r)]
        total = page.total if keep is None else None
        items = [item_of(record) for record in records]
        yield CollectedPage(items, page.cursor, total=total, last=page.last)
        if page.last:
            return
        cursor = page.cursor


class Answer(enum.Enum):
    """What reading back an item whose outcome is unknown found (readback.py)."""

    FOUND = "found"  # it arrived: the item is done
    ABSENT = "absent"  # certainly not there: it may be sent again
    UNCLEAR = "unclear"  # the read failed or the answer is ambiguous: a person decides


@dataclass(frozen=True, slots=True)
class ReadBackAnswer:
    answer: Answer
    note: str = ""


class Performer:
    """Acts on items of one job for one run; built once per run (clients, sign-ins)."""

    # Whether `read_back` can tell if an item whose outcome is unknown arrived.
    can_read_back: ClassVar[bool] = False

    def perform(self, item: ItemSpec) -> str:
        """Do it; return a short result for the report; raise to say it did not work."""
        raise NotImplementedError

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        """The audience, page after page, from `cursor` ({} at the start)."""
        raise NotImplementedError

    def read_back(self, item: ItemSpec, since: datetime) -> ReadBackAnswer:
        """Whether the item, claimed at `since`, reached the platform, read from the platform
        itself (only where `can_read_back`)."""
        raise NotImplementedError


class FilteredPerformer(Performer):
    """Acts on everyone a list page's filter matched: the job's `query`, on the platform as the
    manager who started the job. Subclasses collect the audience with their list's pages."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.client = tenant_client(job)
        self.query = str(job.params.get("query", ""))


class JobKind:
    kind: ClassVar[str]  # stored in Job.kind: "<area>.<action>"
    label: ClassVar[str]  # what the job pages call it: "Delete visitors"
    idempotent: ClassVar[bool] = True
    requests_per_item: ClassVar[int] = 1
    # An export writes a file from pages (exports.py) instead of acting on items.
    is_export: ClassVar[bool] = False
    # Limits of its own (None: the engine's JOBS_RUNNERS_PER_JOB and JOBS_CONCURRENCY).
    max_runners: ClassVar[int | None] = None
    max_concurrency: ClassVar[int | None] = None
    # What a link to page_url() says ("the broadcast").
    page_name: ClassVar[str] = ""
    # What a done item is called in "Finished: 2 sent, 4 failed".
    done_word: ClassVar[str] = "done"
    # What acts on the job's items, built with the job for each run (a Performer subclass).
    performer_class: ClassVar[Callable[[Job], Performer]]

    def runners(self) -> int:
        configured = int(setting("JOBS_RUNNERS_PER_JOB"))
        return max(1, min(configured, self.max_runners or configured))

    def concurrency(self) -> int:
        configured = int(setting("JOBS_CONCURRENCY"))
        return max(1, min(configured, self.max_concurrency or configured))

    def performer(self, job: Job) -> Performer:
        return self.performer_class(job)

    def page_url(self, job: Job) -> str | None:
        """The page where a person follows this job, if it is not the job page (a broadcast's
        own page)."""
        return None

    def rate_key(self, job: Job) -> str:
        """Which bucket its requests are counted in: the platform's host."""
        return f"connextlive:{urlsplit(settings.PLATFORM_URL).netloc}"

    def rate(self, job: Job) -> float:
        return setting("JOBS_RATE_LIMIT")


KINDS: dict[str, JobKind] = {}


def register[K: type[JobKind]](kind_class: K) -> K:
    """Class decorator: one instance of each kind serves every job of that kind."""
    KINDS[kind_class.kind] = kind_class()
    return kind_class


def kind_of(job: Job) -> JobKind:
    return KINDS[job.kind]


# The registered kinds' labels, for the catalogue: a kind names itself in English (its class's
# `label`), and the job pages show that label in the viewer's language.
KIND_LABELS = (
    gettext_noop("Invite agents"),
    gettext_noop("Export conversations"),
    gettext_noop("Resolve conversations"),
    gettext_noop("Assign conversations"),
    gettext_noop("Tag UChat subscribers"),
    gettext_noop("Untag UChat subscribers"),
    gettext_noop("Compute a report"),
    gettext_noop("Export visitors"),
    gettext_noop("Add tags to visitors"),
    gettext_noop("Remove tags from visitors"),
    gettext_noop("Delete visitors"),
    gettext_noop("Broadcast"),
    gettext_noop("Broadcast (UChat)"),
    gettext_noop("Broadcast (LivePerson)"),
    gettext_noop("Broadcast (several channels)"),
    gettext_noop("Broadcast (a further channel of another)"),
)


def label_of(kind: str) -> str:
    """The kind's label in the active language; a job of a kind no app registers any more shows
    its stored name."""
    registered = KINDS.get(kind)
    return gettext(registered.label) if registered else kind


def is_export(job: Job) -> bool:
    registered = KINDS.get(job.kind)
    return registered is not None and registered.is_export


def sealed_sign_in(session: SessionBase) -> str:
    """The signed-in manager's platform token, sealed for a job to act as them ("" if none)."""
    token = vault.read_token(session)
    return vault.seal(token) if token else ""


def tenant_client(job: Job) -> ConnextliveClient:
    """Connextlive as the manager who started (or last resumed) the job. No retries inside the
    client: waits are the engine's (a not-before time in the database), never a worker's sleep."""
    if not job.sealed_token:
        raise PlatformUnauthorized("the job holds no platform sign-in")
    try:
        token = vault.unseal(job.sealed_token)
    except Exception:  # InvalidToken after a SECRET_KEY change: sign in and resume
        raise PlatformUnauthorized("the job's sealed sign-in can no longer be opened") from None
    return ConnextliveClient.from_settings(token).with_options(max_retries=0)
