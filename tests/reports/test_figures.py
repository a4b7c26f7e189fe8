"""Exact figures for a range, in two time zones, from the sandbox's seed.

The seed's conversations are placed by formula (sandbox/connextlive/seed.py, ConversationTimes
and conversation_status): with the test seed's 60 conversations, conversation i (0 the most
recent) starts 3 + 36·i hours before the anchor; it is closed when i is 2 or i % 10 is 5 to 9
(i >= 3), 10·(1 + i % 6) minutes after it starts; it has an agent unless it is waiting (i = 1,
or i % 10 = 3 or 4) and i % 10 != 3; its agent first replies 1 + i % 5 minutes after it starts.

For the 30 days before the anchor's day that gives, in UTC: conversations 0 to 19 (20 created),
11 of them closed (2, 5-9, 15-19), taking 10, 10, 20, 20, 30, 30, 40, 40, 50, 60, 60 minutes
(median 30 min, 90th percentile 60 min), and 17 assigned, first answered after 1 (×4), 2 (×3),
3 (×4), 4 (×4) and 5 (×2) minutes (median 3 min, 90th percentile 5 min). In Asia/Kathmandu
(+05:45) the same days start 5 h 45 min earlier: conversation 0 falls on the anchor's own day
and 20 comes in, so the days' counts move while the totals stay.
"""

from datetime import timedelta

import pytest

from accounts.models import User
from tests.fixtures.sandbox import MANAGER_EMAIL
from tests.reports.helpers import computed, custom_range, seed_anchor_day

pytestmark = pytest.mark.django_db(transaction=True)

UTC_CREATED = [0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1] * 2
UTC_CLOSED = [0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]
UTC_CLOSED += [0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
KATHMANDU_CREATED = [1, 1, 0] * 10
KATHMANDU_CLOSED = [0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
KATHMANDU_CLOSED += [0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0]


@pytest.mark.parametrize(
    ("zone", "created", "closed"),
    [
        ("UTC", UTC_CREATED, UTC_CLOSED),
        ("Asia/Kathmandu", KATHMANDU_CREATED, KATHMANDU_CLOSED),
    ],
)
def test_thirty_days_in_two_zones(zone, created, closed, manager_client, platform, worker):
    User.objects.filter(email=MANAGER_EMAIL).update(time_zone=zone)
    anchor_day = seed_anchor_day(platform)
    first, last = anchor_day - timedelta(days=30), anchor_day - timedelta(days=1)

    response = computed(manager_client, custom_range(first, last))

    figures = response.context["figures"]
    assert response.context["span"].zone_name == zone
    assert figures.labels[0] == (anchor_day - timedelta(days=30)).isoformat()
    assert figures.created == created and figures.total_created == 20
    assert figures.closed == closed and figures.total_closed == 11
    assert (figures.close_time.median, figures.close_time.p90) == (30 * 60, 60 * 60)
    assert (figures.first_reply.median, figures.first_reply.p90) == (3 * 60, 5 * 60)
    assert figures.replies_sampled == figures.replies_sample_of == 17
    page = response.content.decode()
    assert 'id="figure-close-median">30 min<' in page
    assert 'id="figure-reply-p90">5 min<' in page


def test_one_day_is_counted_per_hour_of_that_zone(manager_client, platform, worker):
    """Two days before the anchor's day, in Kathmandu (the anchor, 00:00 UTC, is 05:45 there):
    conversation 1 starts 39 h before the anchor, at 14:45 of that day; conversation 0 (3 h
    before) is on the anchor's own day, conversation 2 (75 h before) at 02:45 the day before."""
    User.objects.filter(email=MANAGER_EMAIL).update(time_zone="Asia/Kathmandu")
    day = seed_anchor_day(platform) - timedelta(days=2)

    figures = computed(manager_client, custom_range(day, day)).context["figures"]

    assert len(figures.labels) == 24 and figures.labels[14] == "14:00"
    assert figures.created == [0] * 14 + [1] + [0] * 9
