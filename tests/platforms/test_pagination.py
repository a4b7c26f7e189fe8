"""The page walkers: every item once, whatever page size the platform really uses."""

from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from dashboard.platforms.pagination import iter_numbered_pages, iter_offset_pages


@dataclass
class FakeList:
    """A platform list with an optional page-size cap, counting the pages asked for."""

    rows: list[int]
    cap: int = 1000
    calls: list[tuple[int, int]] = field(default_factory=list)

    def by_offset(self, offset: int, limit: int):
        self.calls.append((offset, limit))
        limit = min(limit, self.cap)
        return OffsetPage(self.rows[offset : offset + limit], total=len(self.rows))

    def by_number(self, page: int, limit: int):
        self.calls.append((page, limit))
        limit = min(limit, self.cap)
        start = (page - 1) * limit
        return NumberedPage(
            self.rows[start : start + limit], total_pages=-(-len(self.rows) // limit)
        )


@dataclass
class OffsetPage:
    items: list[int]
    total: int


@dataclass
class NumberedPage:
    items: list[int]
    total_pages: int


@given(size=st.integers(0, 300), page_size=st.integers(1, 120), cap=st.integers(1, 120))
def test_offset_walk_yields_every_row_once(size, page_size, cap):
    fake = FakeList(list(range(size)), cap=cap)

    assert list(iter_offset_pages(fake.by_offset, page_size)) == fake.rows


@given(size=st.integers(0, 300), page_size=st.integers(1, 120))
def test_numbered_walk_yields_every_row_once(size, page_size):
    fake = FakeList(list(range(size)))

    assert list(iter_numbered_pages(fake.by_number, page_size)) == fake.rows


def test_offset_walk_asks_only_for_pages_it_needs():
    fake = FakeList(list(range(120)))

    list(iter_offset_pages(fake.by_offset, 50))

    assert fake.calls == [(0, 50), (50, 50), (100, 50)]


def test_offset_walk_advances_by_what_a_capping_platform_returned():
    fake = FakeList(list(range(120)), cap=50)

    assert list(iter_offset_pages(fake.by_offset, 100)) == fake.rows
    assert [offset for offset, _ in fake.calls] == [0, 50, 100]


def test_numbered_walk_stops_at_the_last_page():
    fake = FakeList(list(range(101)))

    list(iter_numbered_pages(fake.by_number, 25))

    assert [page for page, _ in fake.calls] == [1, 2, 3, 4, 5]


def test_walks_stop_on_an_empty_page_even_if_total_says_more():
    def shrunk(offset: int, limit: int) -> OffsetPage:
        return OffsetPage([], total=500)

    def shrunk_numbered(page: int, limit: int) -> NumberedPage:
        return NumberedPage([], total_pages=9)

    assert list(iter_offset_pages(shrunk, 50)) == []
    assert list(iter_numbered_pages(shrunk_numbered, 50)) == []


def test_walks_are_lazy():
    fake = FakeList(list(range(100)))

    walker = iter_offset_pages(fake.by_offset, 10)
    assert fake.calls == []
    next(walker)
    assert fake.calls == [(0, 10)]
