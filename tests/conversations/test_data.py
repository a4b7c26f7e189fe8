"""The tab counts' arithmetic (dashboard.conversations.data), with a stand-in for the client:
which calls are made for each tab, the derived count, and a failed count shown as unknown."""

from types import SimpleNamespace

from django.http import QueryDict

from dashboard.conversations import data
from dashboard.conversations.forms import ConversationFilterForm
from dashboard.platforms.connextlive_records import ConversationPage
from dashboard.platforms.errors import PlatformUnavailable

TOTALS = {"ACTIVE": 5, "WAITING": 7, "CLOSED": 20, "all": 32}


class FakeTenant:
    def __init__(self, failing: str = "") -> None:
        self.calls: list[tuple[str, int]] = []
        self.failing = failing

    def list_conversations(self, *, status, agent_id, search, limit, offset) -> ConversationPage:
        self.calls.append((status, limit))
        if status == self.failing:
            raise PlatformUnavailable("timeout")
        return ConversationPage(items=[], total=TOTALS[status], limit=limit, offset=offset)


def listing_for(query: str, failing: str = ""):
    tenant = FakeTenant(failing)
    form = ConversationFilterForm(QueryDict(query))
    return data.manager_listing(SimpleNamespace(tenant=tenant), form), tenant


def test_on_all_two_counts_are_asked_and_closed_is_derived():
    listing, tenant = listing_for("")

    assert sorted(tenant.calls) == [("ACTIVE", 1), ("WAITING", 1), ("all", 25)]
    assert listing.counts == data.TabCounts(active=5, waiting=7, closed=20)
    assert listing.counts.all == 32


def test_on_a_status_tab_its_own_total_is_its_count():
    listing, tenant = listing_for("status=WAITING")

    assert sorted(tenant.calls) == [("ACTIVE", 1), ("CLOSED", 1), ("WAITING", 25)]
    assert listing.counts == data.TabCounts(active=5, waiting=7, closed=20)


def test_a_failed_count_is_unknown_and_so_is_the_sum():
    listing, _ = listing_for("status=ACTIVE", failing="CLOSED")

    assert listing.counts == data.TabCounts(active=5, waiting=7, closed=None)
    assert listing.counts.all is None
    assert listing.error == ""


def test_a_failed_page_is_the_listing_error():
    listing, _ = listing_for("status=ACTIVE", failing="ACTIVE")

    assert listing.error == "The platform is unavailable right now (timeout)"
