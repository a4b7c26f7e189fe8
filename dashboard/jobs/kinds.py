"""What each kind of job does, in one place per kind; the engine does the rest.

A kind says how to act on one item (`perform`), whether doing it twice is harmless
(`idempotent`), how many platform requests one item costs, and, for audiences given as a filter,
how to collect the items page by page (`collect`). Kinds register themselves here; broadcasts
register theirs from their own app.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from accounts import vault
from dashboard.jobs.conf import setting
from dashboard.jobs.models import Job
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformUnauthorized


@dataclass(frozen=True, slots=True)
class ItemSpec:
    key: str
    label: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CollectedPage:
    """One page of an audience: its items, the cursor to continue after it, the total if known."""

    items: list[ItemSpec]
    cursor: dict[str, Any]
    total: int | None = None
    last: bool = False


class Performer:
    """Acts on items of one job for one run; built once per run (clients, sign-ins)."""

    def perform(self, item: ItemSpec) -> str:
        """Do it; return a short result for the report; raise to say it did not work."""
        raise NotImplementedError

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        """The audience, page after page, from `cursor` ({} at the start)."""
        raise NotImplementedError


class JobKind:
    kind: ClassVar[str]
    idempotent: ClassVar[bool] = True
    requests_per_item: ClassVar[int] = 1
    # Limits of its own (None: the engine's JOBS_RUNNERS_PER_JOB and JOBS_CONCURRENCY).
    max_runners: ClassVar[int | None] = None
    max_concurrency: ClassVar[int | None] = None

    def runners(self) -> int:
        configured = int(setting("JOBS_RUNNERS_PER_JOB"))
        return max(1, min(configured, self.max_runners or configured))

    def concurrency(self) -> int:
        configured = int(setting("JOBS_CONCURRENCY"))
        return max(1, min(configured, self.max_concurrency or configured))

    def performer(self, job: Job) -> Performer:
        raise NotImplementedError

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
