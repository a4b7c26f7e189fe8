"""Days and hours of a zone as buckets, durations as percentiles, and when a walk may stop."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

from dashboard.reports.aggregate import DurationTally, VisitorFigures, Walk
from dashboard.reports.forms import RangeForm
from dashboard.reports.ranges import ReportRange


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def test_a_day_of_the_autumn_change_has_25_hours_and_each_instant_one_of_them():
    day = ReportRange(date(2026, 10, 25), date(2026, 10, 25), "Europe/Berlin").buckets()

    assert len(day) == 25
    assert day.labels[:4] == ("00:00", "01:00", "02:00", "02:00")
    assert day.index(ts(2026, 10, 24, 22, 0)) == 0  # 00:00 CEST
    assert day.index(ts(2026, 10, 25, 0, 30)) == 2  # 02:30 CEST
    assert day.index(ts(2026, 10, 25, 1, 30)) == 3  # 02:30 CET, an hour later
    assert day.index(ts(2026, 10, 25, 23, 0)) == -1  # the next day


def test_a_day_of_the_spring_change_has_23_hours():
    day = ReportRange(date(2027, 3, 28), date(2027, 3, 28), "Europe/Berlin").buckets()
    assert len(day) == 23 and day.labels[2] == "03:00"


def test_kathmandu_days_start_at_a_quarter_past_a_utc_hour():
    week = ReportRange(date(2026, 12, 1), date(2026, 12, 7), "Asia/Kathmandu")
    buckets = week.buckets()

    assert week.start == datetime(2026, 11, 30, 18, 15, tzinfo=UTC)
    assert buckets.index(ts(2026, 11, 30, 18, 14)) == -1
    assert buckets.index(ts(2026, 11, 30, 18, 15)) == 0
    assert buckets.index(ts(2026, 12, 7, 18, 14)) == 6
    assert buckets.index(ts(2026, 12, 7, 18, 15)) == -1


def test_percentiles_are_nearest_rank_and_exact_to_the_second_under_an_hour():
    tally = DurationTally()
    for seconds in (600, 600, 1200, 1800, 3599):
        tally.add(seconds)
    assert (tally.percentile(0.5), tally.percentile(0.9)) == (1200, 3599)
    assert DurationTally().percentile(0.5) is None
    tally.add(86_400 * 3 + 1234)  # long ones are kept to the hour: the tally stays small
    assert max(tally.counts) == 86_400 * 3


def test_a_walk_stops_past_the_start_only_while_the_list_is_sorted():
    walk = Walk(start=100)
    assert not walk.past_start(300) and not walk.past_start(200)
    assert walk.past_start(50)

    unsorted = Walk(start=100)
    assert not unsorted.past_start(200) and not unsorted.past_start(250)  # out of order
    assert not unsorted.past_start(50)  # so the rest of the list is read after all


def test_visitors_are_counted_by_site_new_or_returning():
    figures = VisitorFigures(ReportRange(date(2026, 12, 1), date(2026, 12, 2), "UTC").buckets())
    site = SimpleNamespace(name="Shop", domain="shop.example")

    def visitor(month: int, day: int, returning: bool) -> SimpleNamespace:
        seen = datetime(2026, month, day, 12, tzinfo=UTC)
        return SimpleNamespace(last_seen_at=seen, site_id="s1", site=site, is_returning=returning)

    assert figures.add(visitor(12, 2, True))
    assert figures.add(visitor(12, 1, False)) and figures.add(visitor(12, 1, False))
    assert not figures.add(visitor(11, 30, True))  # sorted and past the start: stop reading
    data = figures.to_json()
    assert data["seen"] == [2, 1]
    assert data["sites"] == [{"id": "s1", "name": "Shop", "new": 2, "returning": 1}]


def test_a_custom_range_is_put_in_order_and_never_runs_past_today():
    form = RangeForm({"range": "custom", "start": "2026-12-20", "end": "2026-12-01"})
    span = form.report_range(date(2026, 12, 6), "UTC")
    assert (span.first_day, span.last_day) == (date(2026, 12, 1), date(2026, 12, 6))

    garbage = RangeForm({"range": "forever", "start": "yesterday"})
    assert garbage.report_range(date(2026, 12, 6), "UTC").days == 7
