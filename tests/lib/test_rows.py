"""Row values: times in the viewer's zone with how long ago, links that are one encoded segment
(or none), and the Jinja2 rows rendered escaped, with a typo an error rather than a blank."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import jinja2
import pytest
from django.template import engines

from dashboard.lib.rows import Clock, ago, detail_url

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "just now"),
        (59, "just now"),
        (60, "1 min ago"),
        (3 * 3600 + 5, "3 h ago"),
        (86_400, "1 day ago"),
        (5 * 86_400, "5 days ago"),
        (-30, "just now"),
    ],
)
def test_ago_shows_the_largest_unit(seconds, text):
    assert ago(NOW - timedelta(seconds=seconds), NOW) == text


def test_a_moment_is_exact_in_the_viewers_zone_and_machine_readable_in_utc():
    when = datetime(2026, 7, 1, 12, 30, 5, tzinfo=UTC)

    in_utc = Clock(NOW, ZoneInfo("UTC")).moment(when)
    in_berlin = Clock(NOW, ZoneInfo("Europe/Berlin")).moment(when)
    in_kathmandu = Clock(NOW, ZoneInfo("Asia/Kathmandu")).moment(when)

    assert in_utc.iso == in_berlin.iso == "2026-07-01T12:30:05+00:00"
    assert in_utc.exact == "2026-07-01 12:30:05 UTC"
    assert in_berlin.exact == "2026-07-01 14:30:05 CEST"
    assert in_kathmandu.exact == "2026-07-01 18:15:05 +0545"
    assert in_berlin.ago == "157 days ago"
    assert Clock(NOW).moment(None) is None


def test_one_clock_shows_each_row_in_the_zones_offset_of_its_own_time():
    """A page's rows are worked out with one clock: rows either side of a change of summer time
    (and within the hour it repeats) each show their own wall time and zone name, to the second."""
    clock = Clock(NOW, ZoneInfo("America/New_York"))
    rows = [
        datetime(2026, 11, 1, 5, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, 0, 250_000, tzinfo=UTC),
        datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 0, 0, tzinfo=UTC),
    ]

    assert [clock.moment(when).exact for when in rows] == [
        "2026-11-01 01:59:59 EDT",
        "2026-11-01 01:00:00 EST",
        "2026-11-01 01:30:00 EST",
        "2026-03-08 01:59:59 EST",
        "2026-03-08 03:00:00 EDT",
    ]
    assert clock.moment(rows[2]).iso == "2026-11-01T06:30:00.250000+00:00"


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns"])
def test_a_moment_in_a_zone_reads_as_its_wall_clock_says(zone):
    clock = Clock(NOW, ZoneInfo(zone))
    start = datetime(2026, 1, 1, 0, 0, 7, 500_000, tzinfo=UTC)
    for step in range(0, 366 * 24 * 4, 7):  # every 105 minutes through the year, both changes
        when = start + timedelta(minutes=15 * step)
        local = when.astimezone(ZoneInfo(zone))
        assert clock.moment(when).exact == local.strftime("%Y-%m-%d %H:%M:%S %Z")


@pytest.mark.parametrize("microsecond", [0, 1, 357, 999_999])
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_a_moments_iso_is_the_times_isoformat(microsecond, zone):
    when = datetime(999, 1, 2, 3, 4, 5, microsecond, tzinfo=UTC)
    for sent in (when, when.replace(year=2026), when.astimezone(ZoneInfo("Asia/Bangkok"))):
        assert Clock(NOW, ZoneInfo(zone)).moment(sent).iso == sent.isoformat()


def test_a_time_sent_with_another_offset_is_shown_in_the_viewers_zone():
    sent = datetime(2026, 7, 1, 19, 30, 5, tzinfo=ZoneInfo("Asia/Bangkok"))

    moment = Clock(NOW, ZoneInfo("UTC")).moment(sent)

    assert moment.exact == "2026-07-01 12:30:05 UTC"
    assert moment.iso == "2026-07-01T19:30:05+07:00"  # as the platform sent it


@pytest.mark.parametrize(
    ("record_id", "url"),
    [
        ("vis_01H", "/visitors/vis_01H/"),
        ("a/b?c#d", "/visitors/a%2Fb%3Fc%23d/"),
        ("<x>", "/visitors/%3Cx%3E/"),
        ("..", ""),
        ("", ""),
    ],
)
def test_a_record_link_is_one_encoded_segment_or_none(record_id, url):
    assert detail_url("/visitors/", record_id) == url


def test_the_rows_engine_escapes_and_refuses_undefined_names():
    engine = engines["jinja2"]
    hostile = '<img src=x onerror="alert(1)">'

    html = engine.from_string("<td>{{ value }}</td>").render({"value": hostile})

    assert html == "<td>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</td>"
    with pytest.raises(jinja2.UndefinedError):
        engine.from_string("{{ row.nmae }}").render({"row": object()})
