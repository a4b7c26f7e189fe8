"""Run a page's independent platform calls at once, so it costs about one call's latency.

    results = gather(visitors=lambda: client.tenant.list_visitors(limit=1),
                     agents=client.tenant.list_agents)
    if results["visitors"].ok: ...

Each call's outcome is kept apart: a failed call (`PlatformCallFailed`) becomes that call's
`error` and the others still return. A revoked sign-in (`PlatformUnauthorized`) is not one call's
problem but the session's, so it is raised for the middleware to sign out; so is any other
exception (a bug). The calls run in threads (the
platform client's pooled httpx.Client is thread-safe); they must not touch the database, whose
connections are per thread. PLATFORM_CONCURRENCY bounds the threads (1 = one call at a time).
Each call runs in a copy of the caller's context, so the page's deadline (PLATFORM_PAGE_DEADLINE,
a context variable of dashboard.platforms.base) bounds the calls in threads too.
"""

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings

from dashboard.platforms.errors import PlatformCallFailed


@dataclass(frozen=True)
class Outcome[T]:
    value: T | None = None
    error: PlatformCallFailed | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def gather[T](max_workers: int | None = None, **calls: Callable[[], T]) -> dict[str, Outcome[T]]:
    """Call every function, concurrently, and return {name: Outcome} in the order given."""
    workers = max(1, min(max_workers or settings.PLATFORM_CONCURRENCY, len(calls) or 1))
    if workers == 1:
        return {name: _outcome_of(call) for name, call in calls.items()}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="platform") as pool:
        futures = {
            name: pool.submit(contextvars.copy_context().run, _outcome_of, call)
            for name, call in calls.items()
        }
        return {name: future.result() for name, future in futures.items()}


def _outcome_of[T](call: Callable[[], T]) -> Outcome[T]:
    try:
        return Outcome(value=call())
    except PlatformCallFailed as error:
        return Outcome(error=error)
