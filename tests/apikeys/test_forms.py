"""The keys forms: names within the platform's limit, domains validated and normalised."""

from datetime import UTC, date, datetime, timedelta

import pytest

from dashboard.apikeys.forms import CreateKeyForm, RotateKeyForm
from dashboard.apikeys.rotation import successor_name
from dashboard.apikeys.templatetags.apikeys import countdown, window_label


def create_form(**data: str) -> CreateKeyForm:
    return CreateKeyForm(
        {"name": "Shop", "domains": "shop.example.com", "status": "ACTIVE", **data}
    )


def test_it_normalises_domains_to_a_deduplicated_list_of_hosts():
    form = create_form(
        domains="Shop.Example.com\nhttps://www.example.com/, *.example.org shop.example.com"
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["domains"] == ["shop.example.com", "www.example.com", "*.example.org"]


def test_it_accepts_internationalised_names_in_their_ascii_form():
    form = create_form(domains="bücher.example")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["domains"] == ["xn--bcher-kva.example"]


@pytest.mark.parametrize(
    ("domain", "reason"),
    [
        ("example.com/path", "has a path"),
        ("example.com:8080", "has a port"),
        ("192.168.1.10", "IP address"),
        ("*.com", "top-level domain"),
        ("exa mple.com", ""),  # splits into two entries; "exa" is not a full host name
        ("-bad.example.com", "not a valid host name"),
        ("under_score.example.com", "not a valid host name"),
        ("a" * 64 + ".example.com", "not a valid host name"),
        ("intranet", "not a full host name"),
        ("*.*.example.com", "not a valid host name"),
        ("example.123", "not a valid host name"),
        ("<script>.example.com", "not a valid host name"),
    ],
)
def test_it_refuses_what_is_not_a_host_name(domain, reason):
    form = create_form(domains=domain)
    assert not form.is_valid()
    assert reason in " ".join(form.errors["domains"])


def test_every_bad_domain_is_named_at_once():
    form = create_form(domains="good.example.com\nbad/path\n10.0.0.1")
    assert not form.is_valid()
    errors = form.errors["domains"]
    assert len(errors) == 2
    assert "bad/path" in errors[0] and "10.0.0.1" in errors[1]


def test_localhost_is_allowed_for_development():
    form = create_form(domains="localhost")
    assert form.is_valid(), form.errors


def test_at_least_one_domain_is_required():
    form = create_form(domains="  \n ")
    assert not form.is_valid()
    assert "at least one domain" in form.errors["domains"][0]


def test_too_many_domains_are_refused():
    form = create_form(domains="\n".join(f"s{i}.example.com" for i in range(51)))
    assert not form.is_valid()
    assert "At most 50" in form.errors["domains"][0]


def test_names_longer_than_100_characters_are_refused():
    assert create_form(name="x" * 100).is_valid()
    form = create_form(name="x" * 101)
    assert not form.is_valid()
    assert "at most 100 characters" in form.errors["name"][0]


def test_names_are_required_and_stripped():
    assert not create_form(name="   ").is_valid()
    form = create_form(name="  Shop  ")
    assert form.is_valid()
    assert form.cleaned_data["name"] == "Shop"


def test_control_characters_in_names_are_refused():
    assert not create_form(name="Shop\x00").is_valid()


def test_status_is_active_or_inactive():
    assert create_form(status="INACTIVE").is_valid()
    assert not create_form(status="DELETED").is_valid()


def test_rotation_windows_are_now_1h_24h_and_7d_with_24h_by_default():
    assert RotateKeyForm().fields["window"].initial == "24h"
    expected = {"now": 0, "1h": 3600, "24h": 86400, "7d": 7 * 86400}
    for value, seconds in expected.items():
        form = RotateKeyForm({"window": value})
        assert form.is_valid()
        assert form.window_delta() == timedelta(seconds=seconds)
    assert not RotateKeyForm({"window": "30d"}).is_valid()
    assert not RotateKeyForm({}).is_valid()


def test_successor_names_carry_the_rotation_date():
    assert successor_name("Shop", date(2026, 11, 21)) == "Shop (rotated 2026-11-21)"


def test_rotating_a_rotated_key_replaces_the_date_instead_of_stacking():
    name = successor_name("Shop (rotated 2026-11-21)", date(2026, 12, 1))
    assert name == "Shop (rotated 2026-12-01)"


def test_successor_names_stay_within_the_platforms_100_characters():
    name = successor_name("x" * 100, date(2026, 11, 21))
    assert len(name) == 100
    assert name.endswith(" (rotated 2026-11-21)")


def test_countdown_text():
    now = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    assert countdown(now + timedelta(hours=23, minutes=4, seconds=59), now) == "23 h 04 min"
    assert countdown(now + timedelta(days=6, hours=23, minutes=59), now) == "6 d 23 h"
    assert countdown(now + timedelta(minutes=4, seconds=12), now) == "4 min 12 s"
    assert countdown(now + timedelta(minutes=4), now) == "4 min"
    assert countdown(now - timedelta(seconds=5), now) == "0 s"
    assert window_label(86400) == "1 d"
    assert window_label(3600) == "1 h"
    assert window_label(0) == "no overlap"
