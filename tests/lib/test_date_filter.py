"""A list's day filter: a day or nothing, never an error; read as midnight of the viewer's zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dashboard.lib.filters import LenientDateField, start_of_day


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024-12-01", dt.date(2024, 12, 1)), (" 2024-12-01 ", dt.date(2024, 12, 1)),
     ("yesterday", None), ("2024-13-01", None), ("", None), (None, None),
     ("0001-01-01", None), ("9999-12-31", None)],
)  # fmt: skip
def test_a_day_or_nothing(raw, expected):
    assert LenientDateField().to_python(raw) == expected


def test_a_day_starts_at_midnight_of_the_active_zone():
    with timezone.override(ZoneInfo("America/New_York")):
        start = start_of_day(dt.date(2024, 12, 1))

    assert start == dt.datetime(2024, 12, 1, 5, 0, tzinfo=dt.UTC)
