"""A broadcast's schedule is typed in the viewer's zone and fires at that instant: a zone with a
non-whole-hour offset (Asia/Kathmandu, +05:45), a zone with daylight saving time (the offset of
the day typed, not of today), and times a DST change makes ambiguous or skips, refused clearly."""

from datetime import UTC, datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dashboard.broadcasts.models import Broadcast
from dashboard.jobs.forms import StartForm
from dashboard.jobs.models import Job
from tests.accounts.helpers import platform_as
from tests.broadcasts.helpers import broadcast_id_from, compose_to_chats, set_up_connectiveone
from tests.fixtures.console import sign_in
from tests.fixtures.sandbox import MANAGER_EMAIL
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import fresh


def typed_in(zone: str, moment: datetime) -> str:
    """What a person in `zone` types into the datetime-local field for `moment`."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "America/New_York"])
def test_a_scheduled_broadcast_fires_at_the_instant_typed_in_the_workspace_zone(
    zone, console_platform, worker, client
):
    platform_as(console_platform, MANAGER_EMAIL).tenant.update_workspace(timezone=zone)
    manager = sign_in(client, MANAGER_EMAIL)
    set_up_connectiveone(manager, console_platform)
    broadcast_id = broadcast_id_from(
        compose_to_chats(manager, chats_from=typed_in(zone, timezone.now() - timedelta(hours=6)))
    )
    job = Broadcast.objects.get(pk=broadcast_id).job
    # Whole seconds: what the field carries. Far enough ahead for the form and the worker.
    due = (timezone.now() + timedelta(seconds=4)).replace(microsecond=0)

    response = manager.post(f"/jobs/{job.pk}/start/", {"start_at": typed_in(zone, due)})

    assert response.status_code == 303, response.content.decode()[:800]
    scheduled = fresh(job.pk)
    assert scheduled.state == Job.State.SCHEDULED
    assert scheduled.not_before == due  # the instant meant, not the wall time read as UTC
    page = manager.get(f"/jobs/{job.pk}/").content.decode()
    assert due.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") + f" {zone}" in page
    started = wait_until(lambda: fresh(job.pk).started_at, "the broadcast to start", deadline=30)
    assert due <= started < due + timedelta(seconds=3)


BERLIN = "Europe/Berlin"
# Europe/Berlin leaves summer time on 2026-10-25 at 03:00 (back to 02:00) and starts it on
# 2027-03-28 at 02:00 (on to 03:00).
AUTUMN_EVE = datetime(2026, 10, 20, 12, tzinfo=UTC)
SPRING_EVE = datetime(2027, 3, 20, 12, tzinfo=UTC)


def start_at(typed: str, zone: str, now: datetime) -> StartForm:
    with timezone.override(ZoneInfo(zone)), patch("django.utils.timezone.now", return_value=now):
        form = StartForm({"start_at": typed})
        form.is_valid()
    return form


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026-10-25T01:30", datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),  # still CEST, +02:00
        ("2026-10-25T03:30", datetime(2026, 10, 25, 2, 30, tzinfo=UTC)),  # CET again, +01:00
        ("2026-10-26T09:00", datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),
    ],
)
def test_a_time_across_the_autumn_change_is_read_with_its_own_days_offset(typed, meant):
    form = start_at(typed, BERLIN, AUTUMN_EVE)
    assert form.errors == {}
    assert form.cleaned_data["start_at"] == meant


def test_a_time_the_autumn_change_repeats_is_refused_rather_than_guessed():
    form = start_at("2026-10-25T02:30", BERLIN, AUTUMN_EVE)  # happens twice that night
    assert "may be ambiguous or it may not exist" in str(form.errors["start_at"])


def test_a_time_the_spring_change_skips_is_refused():
    form = start_at("2027-03-28T02:30", BERLIN, SPRING_EVE)  # never happens that night
    assert "may be ambiguous or it may not exist" in str(form.errors["start_at"])
    form = start_at("2027-03-28T03:30", BERLIN, SPRING_EVE)
    assert form.cleaned_data["start_at"] == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_the_field_says_which_zone_it_is_read_in():
    with timezone.override(ZoneInfo("Asia/Kathmandu")):
        assert StartForm().fields["start_at"].label == "Start at (Asia/Kathmandu)"
