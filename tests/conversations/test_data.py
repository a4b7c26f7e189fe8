"""The tab counts' arithmetic (dashboard.conversations.data), with a stand-in for the client:
which calls are made for each tab, the derived count, and a failed count shown as unknown."""

from types import SimpleNamespace

import pytest
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
    listing, tenant = listing_for("status=ACTIVE")

    assert sorted(tenant.calls) == [("ACTIVE", 25), ("CLOSED", 1), ("WAITING", 1)]
    assert listing.counts == data.TabCounts(active=5, waiting=7, closed=20)


def test_the_waiting_tab_asks_its_total_then_the_oldest_window():
    listing, tenant = listing_for("status=WAITING")

    # A one-row call for the total, then all 7 (fewer than a page), read in reverse.
    assert sorted(tenant.calls) == [("ACTIVE", 1), ("CLOSED", 1), ("WAITING", 1), ("WAITING", 7)]
    assert listing.counts == data.TabCounts(active=5, waiting=7, closed=20)


def test_transfer_targets_come_from_the_remembered_roster(db):
    from accounts.directory import remember_agents

    recent = []  # no conversation names anyone: only the roster can
    assert data.transfer_targets("t_directory", "usr_me", recent) == []
    remember_agents("t_directory", [("usr_me", "Me"), ("usr_b", "bea"), ("usr_a", "Ali")])

    targets = data.transfer_targets("t_directory", "usr_me", recent)

    assert targets == [("usr_a", "Ali"), ("usr_b", "bea")]


def test_a_failed_count_is_unknown_and_so_is_the_sum():
    listing, _ = listing_for("status=ACTIVE", failing="CLOSED")

    assert listing.counts == data.TabCounts(active=5, waiting=7, closed=None)
    assert listing.counts.all is None
    assert listing.error == ""


def test_a_failed_page_is_the_listing_error():
    listing, _ = listing_for("status=ACTIVE", failing="ACTIVE")

    assert listing.error == "The platform is unavailable right now (timeout)"


@pytest.mark.parametrize(
    ("total", "page", "limit", "window"),
    [
        (12, 1, 5, (7, 5)),  # the 5 oldest are the platform's last 5
        (12, 2, 5, (2, 5)),
        (12, 3, 5, (0, 2)),  # the newest 2
        (3, 1, 5, (0, 3)),
        (10, 2, 5, (0, 5)),
    ],
)
def test_the_oldest_first_window(total, page, limit, window):
    assert data.oldest_first_window(total, page, limit) == window
