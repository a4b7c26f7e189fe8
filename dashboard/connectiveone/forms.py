"""The ConnectiveOne lists' filters, over the query string (lenient, like every list): the
created-at range in days of the viewer's time zone, status, operator (chats) or priority
(tickets), the sort, and the page (sent as `limit` and `offset`)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.lib.filters import (
    LenientChoiceField,
    LenientDateField,
    LenientTextField,
    ListFilterForm,
    PageField,
    PageSizeField,
    start_of_day,
)

PAGE_SIZES = (10, 25, 50, 100)  # the API caps a page at 100
CHAT_STATUSES = (("open", _("Open")), ("closed", _("Closed")))
TICKET_STATUSES = (
    ("new", _("New")),
    ("in_progress", _("In progress")),
    ("resolved", _("Resolved")),
)
TICKET_PRIORITIES = (("high", _("High")), ("normal", _("Normal")), ("low", _("Low")))
# The sort control: a value is the API's field, `-` first for newest/highest first.
CHAT_SORTS = (
    ("-createdAt", _("Newest first")),
    ("createdAt", _("Oldest first")),
    ("-updatedAt", _("Recently updated")),
    ("updatedAt", _("Least recently updated")),
    ("status", _("Open first")),
    ("-status", _("Closed first")),
    ("userName", _("Name, A to Z")),
    ("-userName", _("Name, Z to A")),
    ("channel", _("Channel")),
)
TICKET_SORTS = (
    ("-createdAt", _("Newest first")),
    ("createdAt", _("Oldest first")),
    ("-updatedAt", _("Recently updated")),
    ("-priority", _("Highest priority first")),
    ("priority", _("Lowest priority first")),
    ("status", _("New first")),
    ("-status", _("Resolved first")),
    ("subject", _("Subject, A to Z")),
)
ONE_MILLISECOND = dt.timedelta(milliseconds=1)


class _ConnectiveOneListForm(ListFilterForm):
    createdFrom = LenientDateField(label=_("Created from"))
    createdTo = LenientDateField(label=_("Created to"))

    def _range_params(self) -> dict[str, Any]:
        """The days as the API's exclusive bounds: from the first day's midnight, through the
        whole last day, in the viewer's zone (gt is exclusive, so it starts a millisecond before,
        the API's resolution)."""
        f = self.filters
        start, end = f["createdFrom"], f["createdTo"]
        return {
            "created_after": start_of_day(start) - ONE_MILLISECOND if start else None,
            "created_before": start_of_day(end + dt.timedelta(days=1)) if end else None,
        }

    def _sort_params(self) -> dict[str, Any]:
        value = self.filters["sort"]
        return {"sort": value.lstrip("-"), "order": "desc" if value.startswith("-") else "asc"}

    def _page_params(self) -> dict[str, Any]:
        f = self.filters
        return {"limit": f["limit"], "offset": (f["page"] - 1) * f["limit"]}


class ChatFilterForm(_ConnectiveOneListForm):
    """`/connectiveone/chats/?createdFrom=&createdTo=&status=&operator=&sort=&page=&limit=`"""

    status = LenientChoiceField(
        choices=CHAT_STATUSES, blank_label=_("Any status"), label=_("Status")
    )
    operator = LenientTextField(max_length=10, label=_("Operator"), widget=forms.Select)
    sort = LenientChoiceField(choices=CHAT_SORTS, default="-createdAt", label=_("Sort"))
    page = PageField()
    limit = PageSizeField(sizes=PAGE_SIZES, default=25, max_value=100)

    def operator_id(self) -> int | None:
        value = self.filters["operator"]
        return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None

    def platform_params(self) -> dict[str, Any]:
        """Keyword arguments for `ConnectiveOneClient.list_chat_rooms`."""
        return {
            **self._range_params(),
            "status": self.filters["status"] or None,
            "operator_id": self.operator_id(),
            **self._sort_params(),
            **self._page_params(),
            "include": ("operator", "bot", "tickets"),
        }


class TicketFilterForm(_ConnectiveOneListForm):
    """`/connectiveone/tickets/?createdFrom=&createdTo=&status=&priority=&sort=&page=&limit=`"""

    status = LenientChoiceField(
        choices=TICKET_STATUSES, blank_label=_("Any status"), label=_("Status")
    )
    priority = LenientChoiceField(
        choices=TICKET_PRIORITIES, blank_label=_("Any priority"), label=_("Priority")
    )
    sort = LenientChoiceField(choices=TICKET_SORTS, default="-createdAt", label=_("Sort"))
    page = PageField()
    limit = PageSizeField(sizes=PAGE_SIZES, default=25, max_value=100)

    def platform_params(self) -> dict[str, Any]:
        """Keyword arguments for `ConnectiveOneClient.list_tickets`."""
        return {
            **self._range_params(),
            "status": self.filters["status"] or None,
            "priority": self.filters["priority"] or None,
            **self._sort_params(),
            **self._page_params(),
            "include": ("chatRoom", "operator"),
        }
