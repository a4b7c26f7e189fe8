"""Exports: everything matching a list's filter as CSV, fetched a page at a time, as a job.

An area app says what to export (an `ExportPerformer`: the columns, a row per record, and how
to fetch a page) and registers an `ExportKind`; this module writes the file. Memory stays flat
whatever the size: a few pages and one chunk (CHUNK_BYTES of CSV) at a time. Each chunk is
stored in the database together with the cursor of the last page it holds, so a runner that
dies resumes after the last stored chunk, and the download streams the chunks in order. The
pages are fetched one after the other by a thread of their own that runs ahead of the writer,
so the platform's answer time alone sets the pace.
"""

import csv
import io
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ClassVar

from django.db import transaction

from dashboard.jobs.csvfiles import cell
from dashboard.jobs.ending import finish
from dashboard.jobs.kinds import COLLECT_PAGE_SIZE, Fetch, FetchedPage, JobKind, Performer
from dashboard.jobs.models import ExportChunk, Job
from dashboard.jobs.outcomes import classify
from dashboard.jobs.running import CHECK_EVERY, RunControl, RunResult, pace

CHUNK_BYTES = 256 * 1024
# Fetches queued or under way while a page is written: the next page is being fetched, and the
# one after it is queued, so the fetch thread goes straight from one request to the next.
PAGES_AHEAD = 2

type Row = list[Any]


class ExportPerformer(Performer):
    """What an export writes: `columns`, then `row(record)` for each record of every page that
    `fetch(cursor)` returns, from the cursor {} on. `fetch` only fetches: the writer makes the
    rows, so that the fetch thread does no more than a plain client fetching the same page."""

    columns: ClassVar[list[str]]
    page_size: ClassVar[int] = COLLECT_PAGE_SIZE

    def fetch(self, cursor: dict[str, Any]) -> FetchedPage:
        raise NotImplementedError

    def row(self, record: Any) -> Row:
        raise NotImplementedError


class ExportKind(JobKind):
    is_export = True
    max_runners = 1  # the file is written in order


class Prefetcher:
    """Pages from `cursor` on, fetched one after the other by one thread that keeps PAGES_AHEAD
    fetches queued or under way while the caller writes a page.

    Each fetch is queued chained on the one before it (its cursor is in that page's answer), so
    the thread starts the next request the moment an answer is in: pacing, writing and checking
    the job between two pages happen while a request is under way, not between two requests.
    `before_fetch` (the rate limit) runs in the caller's thread before each fetch is queued.
    """

    def __init__(
        self, fetch: Fetch, cursor: dict[str, Any], before_fetch: Callable[[], None]
    ) -> None:
        self._fetch, self._cursor, self._before_fetch = fetch, cursor, before_fetch
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="export-fetch")
        self._queued: deque[Future[FetchedPage | None]] = deque()
        self._tail: Future[FetchedPage | None] | None = None
        self._handed_out_to = cursor  # the cursor after the last page handed out

    def __iter__(self) -> Iterator[FetchedPage]:
        self._fill(PAGES_AHEAD)
        while self._queued:
            page = self._queued[0].result()
            if page is None:  # the page before was the last
                return
            if not page.last:
                # Counting this page, which stays queued until it is handed out: if queuing
                # fails (the rate limit's database), close() still returns it.
                self._fill(1 + PAGES_AHEAD)
            self._queued.popleft()
            self._handed_out_to = page.cursor
            yield page

    def _fill(self, count: int) -> None:
        while len(self._queued) < count:
            self._before_fetch()
            if self._tail is None:
                self._tail = self._pool.submit(self._fetch, self._cursor)
            else:
                self._tail = self._pool.submit(_fetch_after, self._fetch, self._tail)
            self._queued.append(self._tail)

    def close(self, written_to: dict[str, Any]) -> list[FetchedPage]:
        """Stop fetching: the fetches not yet started are dropped, the one under way is waited
        for. Returns the pages fetched and not handed out, in order, up to the first fetch that
        failed -- for the caller to keep, and so only if they follow on from what it wrote (the
        cursor after its last page is `written_to`)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        queued, self._queued = self._queued, deque()
        if written_to != self._handed_out_to:  # the last page handed out was not written
            return []
        return list(_fetched(queued))


def _fetched(futures: deque[Future[FetchedPage | None]]) -> Iterator[FetchedPage]:
    """The pages of these finished fetches, up to the first that failed or was dropped."""
    for future in futures:
        page = None if future.cancelled() or future.exception() else future.result()
        if page is None:  # failed, dropped, or after the last page
            return
        yield page


def _fetch_after(fetch: Fetch, previous: Future[FetchedPage | None]) -> FetchedPage | None:
    """The page after `previous`'s, or None when that was the last. `previous` is done by now:
    the pool's one thread ran it first (its failure is this one's too)."""
    page = previous.result()
    return None if page is None or page.last else fetch(page.cursor)


class ChunkWriter:
    """The export's CSV as it grows: rows are buffered, and stored as a chunk together with the
    cursor of the page after them once the buffer is big enough, at the last page, and whenever
    the runner stops -- so every page fetched is kept, and a resumed export continues with the
    first page it has not stored."""

    def __init__(self, job: Job, columns: list[str], row: Callable[[Any], Row]) -> None:
        self.job, self.row = job, row
        state = dict(job.cursor) or {"seq": 0, "rows": 0}
        self.seq, self.rows_written = int(state.pop("seq", 0)), int(state.pop("rows", 0))
        self.cursor, self.total = state, job.expected_total
        self._new_buffer()
        if self.seq == 0:
            self._writer.writerow(columns)

    def _new_buffer(self) -> None:
        self._buffer, self._buffered = io.StringIO(), 0
        self._writer = csv.writer(self._buffer)

    def add(self, page: FetchedPage) -> None:
        row = self.row
        # Every row built before any is written: a record that fails leaves no half page behind.
        rows = [[cell(value) for value in row(record)] for record in page.records]
        self._writer.writerows(rows)
        self._buffered += len(rows)
        self.cursor, self.total = page.cursor, page.total
        if self._buffer.tell() >= CHUNK_BYTES or page.last:
            self.store()

    def store(self) -> None:
        if not self._buffer.tell():
            return
        self.rows_written += self._buffered
        cursor = {**self.cursor, "seq": self.seq + 1, "rows": self.rows_written}
        with transaction.atomic():
            ExportChunk.objects.create(
                job=self.job,
                seq=self.seq,
                rows=self._buffered,
                data=self._buffer.getvalue().encode(),
            )
            Job.objects.filter(pk=self.job.pk).update(
                cursor=cursor, expected_total=self.total, consecutive_errors=0
            )
        self.job.cursor, self.job.consecutive_errors = cursor, 0
        self.seq += 1
        self._new_buffer()


def run_export(runner: RunControl, kind: JobKind, performer: Performer) -> RunResult:
    """The runner's work for an export job (see runner.Runner.run)."""
    assert isinstance(performer, ExportPerformer)
    job: Job = runner.job
    writer = ChunkWriter(job, performer.columns, performer.row)
    pages = Prefetcher(performer.fetch, writer.cursor, lambda: pace(kind, job))
    try:
        stopped = write_pages(pages, writer, runner)
    except Exception as error:
        keep_fetched(pages, writer)  # the pages fetched before the error are kept
        return runner.stop_for(classify(error, idempotent=True))
    finally:
        keep_fetched(pages, writer)  # and those fetched before a pause, a cancel, a shutdown
    if stopped is not None:
        return stopped
    finish(job)
    return RunResult("export written")


def keep_fetched(pages: Prefetcher, writer: ChunkWriter) -> None:
    """Store every page fetched: those written and those the thread fetched ahead of them."""
    for page in pages.close(written_to=writer.cursor):
        writer.add(page)
    writer.store()


def write_pages(pages: Prefetcher, writer: ChunkWriter, runner: RunControl) -> RunResult | None:
    """Write pages up to the last; returns why the runner must stop first, if it must. The
    job's state is read every CHECK_EVERY seconds, not once a page: each look is a query, and
    a page usually takes less time than that."""
    last_check = time.monotonic()
    for page in pages:
        writer.add(page)
        if page.last:
            return None
        if time.monotonic() - last_check >= CHECK_EVERY:
            if stopped := runner.should_stop():
                return stopped
            last_check = time.monotonic()
    return None
