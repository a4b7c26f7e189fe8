"""Iterators that walk every page of a list, for the two paging styles platforms use.

Each takes a `fetch_page` callable that asks for one page, so they know nothing of HTTP. They
advance by what the platform actually returned (it may cap the page size) and stop on an empty
page, so a list that shrinks while being walked cannot make them loop forever.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol


class OffsetPage[T](Protocol):
    @property
    def items(self) -> Sequence[T]: ...

    @property
    def total(self) -> int: ...


class NumberedPage[T](Protocol):
    @property
    def items(self) -> Sequence[T]: ...

    @property
    def total_pages(self) -> int: ...


def iter_offset_pages[T](
    fetch_page: Callable[[int, int], OffsetPage[T]], page_size: int
) -> Iterator[T]:
    """Walk an offset/limit list: `fetch_page(offset, limit)`."""
    offset = 0
    while True:
        page = fetch_page(offset, page_size)
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def iter_numbered_pages[T](
    fetch_page: Callable[[int, int], NumberedPage[T]], page_size: int
) -> Iterator[T]:
    """Walk a page/limit list whose pages are numbered from 1: `fetch_page(page, limit)`."""
    number = 1
    while True:
        page = fetch_page(number, page_size)
        yield from page.items
        if not page.items or number >= page.total_pages:
            return
        number += 1
