"""What a manager types, read as a person: e-mails in lower case, phone numbers in E.164 with
the workspace's country for numbers written nationally."""

import pytest

from dashboard.contacts import people, phones


@pytest.mark.parametrize(
    ("typed", "region", "expected"),
    [("+44 7700 900101", "", "+447700900101"),
     ("07700 900101", "GB", "+447700900101"),
     ("0044 (0)7700-900101", "", "+447700900101"),
     ("(202) 555-0117", "US", "+12025550117"),
     ("+1 202 555 0117", "GB", "+12025550117"),
     ("07700 900101", "", None),  # national without a country: unknown
     ("12", "GB", None),
     ("not a number", "GB", None)],
)  # fmt: skip
def test_phone_numbers_become_e164(typed, region, expected):
    assert phones.normalise(typed, region) == expected


def test_an_email_is_read_in_lower_case_and_a_bad_one_is_nothing():
    assert people.from_search("  Jane.Cooper@Example.NET ", "GB") == people.Person(
        email="jane.cooper@example.net"
    )
    assert people.from_search("jane@", "GB") is None


def test_the_workspaces_country_comes_from_its_time_zone():
    assert phones.region_for_zone("Europe/London") == "GB"
    assert phones.region_for_zone("America/New_York") == "US"
    assert phones.region_for_zone("UTC") == ""


def test_panels_take_only_clean_values():
    from django.http import QueryDict

    clean = people.from_query(QueryDict("email=JANE%40example.net&phone=%2B447700900101"))
    dirty = people.from_query(QueryDict("email=nope&phone=07700900101"))

    assert clean == people.Person(email="jane@example.net", phone="+447700900101")
    assert not dirty
