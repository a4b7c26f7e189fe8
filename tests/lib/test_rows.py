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


def test_a_time_sent_with_another_offset_is_shown_in_the_viewers_zone():
    sent = datetime(2026, 7, 1, 19, 30, 5, tzinfo=ZoneInfo("Asia/Bangkok"))

    assert Clock(NOW, ZoneInfo("UTC")).moment(sent).exact == "2026-07-01 12:30:05 UTC"


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
