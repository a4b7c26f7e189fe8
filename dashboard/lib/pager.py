"""Where a page of a platform list sits: the platform pages (by page number or offset), the console
only counts, so Django's Paginator (which slices a local list) does not fit. The links are built
by `templates/lists/pager.html` with Django's `{% querystring %}`."""

from dataclasses import dataclass
from math import ceil

from django.utils.translation import ngettext


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page sits in a list of `total` rows shown `per_page` at a time (pages from 1)."""

    page: int
    per_page: int
    total: int
    shown: int  # rows actually on this page

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page > 0 else 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def previous_page(self) -> int:
        return min(self.page - 1, self.pages)

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def first_row(self) -> int:
        return self.offset + 1 if self.shown else 0

    @property
    def last_row(self) -> int:
        return self.offset + self.shown

    @property
    def beyond_last_page(self) -> bool:
        """A URL asked for page 40 of 3: the table says so and links back to the last page."""
        return self.page > self.pages

    @property
    def summary(self) -> str:
        """“Showing 26–50 of 312 results”, in the active language with its plural."""
        if self.shown:
            text = ngettext(
                "Showing %(first)s–%(last)s of %(total)s result",
                "Showing %(first)s–%(last)s of %(total)s results",
                self.total,
            )
            return text % {"first": self.first_row, "last": self.last_row, "total": self.total}
        text = ngettext("%(total)s result", "%(total)s results", self.total)
        return text % {"total": self.total}

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: first, last and `around` either side of this one; None marks a
        gap (shown as an ellipsis)."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.pages)
        window: list[int | None] = []
        for number in numbers:
            if window and number - (window[-1] or 0) > 1:
                window.append(None)
            window.append(number)
        return window
