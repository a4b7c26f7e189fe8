"""UChat's records on their own: the snake_case answers read into typed records, user field
values read as their field's type, and values to set written as JSON."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dashboard.platforms.uchat_records import FieldValue, SubscriberPage, field_value_json

PAGE = b"""{"data": [{"user_ns": "f190385u394247863", "name": "Jane Cooper", "email": null,
  "subscribed_at": "2026-01-02T03:04:05.000Z", "tags": [{"tag_ns": "f190385t1", "name": "VIP"}],
  "user_fields": [{"var_ns": "f190385v3", "var_type": "date", "value": "1990-02-28"}],
  "something_new": 1}],
  "meta": {"current_page": 2, "per_page": 10, "total": 25}, "status": "ok"}"""


def test_a_page_reads_into_records_and_counts_its_pages():
    page = SubscriberPage.from_json(PAGE)

    [person] = page.items
    assert (page.page, page.total, page.total_pages) == (2, 25, 3)
    assert person.tag_ns_set == {"f190385t1"} and person.email is None
    assert person.subscribed_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert person.field("f190385v3").typed == date(1990, 2, 28)
    assert person.field("f190385v9") is None


@pytest.mark.parametrize(
    ("var_type", "value", "typed"),
    [("datetime", "2026-03-01T08:00:00.000Z", datetime(2026, 3, 1, 8, tzinfo=UTC)),
     ("date", "not a date", "not a date"), ("number", 12.5, 12.5), ("boolean", False, False),
     ("text", None, None)],
)  # fmt: skip
def test_a_value_reads_as_its_fields_type_or_as_sent(var_type, value, typed):
    assert FieldValue(var_ns="f1v1", var_type=var_type, value=value).typed == typed


def test_values_to_set_are_written_as_json():
    paris = timezone(timedelta(hours=1))

    assert field_value_json(date(1990, 2, 28)) == "1990-02-28"
    assert field_value_json(datetime(2026, 3, 1, 9, tzinfo=paris)) == "2026-03-01T08:00:00.000Z"
    assert field_value_json(datetime(2026, 3, 1, 9)) == "2026-03-01T09:00:00.000Z"  # naive: UTC
    assert field_value_json(True) is True
    with pytest.raises(TypeError):
        field_value_json(["a"])
