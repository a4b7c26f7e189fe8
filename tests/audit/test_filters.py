"""The audit page's filter form and the CSV rows, without a browser or a platform."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from dashboard.audit.export import csv_lines, safe_cell
from dashboard.audit.forms import AuditFilterForm
from dashboard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def event(action="workspace.update", *, email="boss@example.com", tenant="ten_a", **fields):
    fields.setdefault("outcome", "success")
    return AuditEvent.objects.create(tenant_id=tenant, actor_email=email, action=action, **fields)


def filtered(query: str, tenant: str = "ten_a") -> list[AuditEvent]:
    events = AuditEvent.objects.for_tenant(tenant)
    return list(AuditFilterForm(QueryDict(query), events=events).filter(events))


def test_events_of_another_tenant_are_never_listed():
    mine = event()
    event(tenant="ten_b")
    event(tenant="")  # e.g. a failed sign-in with an unknown email

    assert filtered("") == [mine]
    assert list(AuditEvent.objects.for_tenant("")) == []


def test_newest_first():
    old = event(created_at=timezone.now() - dt.timedelta(days=2))
    new = event()

    assert filtered("") == [new, old]


def test_filters_by_actor_action_target_and_outcome():
    match = event(
        "agent.invite", email="ann@example.com", target_type="invitation", target_id="inv_1"
    )
    event("agent.invite", email="bob@example.com", target_type="invitation", target_id="inv_2")
    failed = event("workspace.update", email="ann@example.com", outcome="failure")

    assert filtered("actor=ANN@") == [failed, match]
    assert filtered("action=agent.invite&actor=ann") == [match]
    assert filtered("target_type=invitation&target_id=inv_1") == [match]
    assert filtered("outcome=failure") == [failed]


def test_the_date_range_includes_both_ends():
    now = timezone.now()
    inside = event(created_at=now - dt.timedelta(days=1))
    event(created_at=now - dt.timedelta(days=5))
    day = timezone.localdate(inside.created_at).isoformat()

    assert filtered(f"since={day}&until={day}") == [inside]


@pytest.mark.parametrize(
    "query",
    [
        "since=yesterday&until=31-31-2020",
        "action=<script>alert(1)</script>",
        "outcome=maybe",
        "until=9999-12-31&since=0001-01-01",
        "target_type=" + "x" * 10_000,
        "page=-1&sort=%00",
        "actor=" + "a" * 1000,
    ],
)
def test_garbage_filters_are_ignored_not_errors(query):
    kept = event()

    assert filtered(query) == [kept]


def test_an_invalid_value_drops_only_its_own_filter():
    match = event("agent.invite")
    event("workspace.update")

    assert filtered("action=agent.invite&since=garbage&outcome=maybe") == [match]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Acme <a@example.com>", "Acme <a@example.com>"),
        (None, ""),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(value, cell):
    assert safe_cell(value) == cell


def test_csv_lines_have_a_header_and_one_row_per_event_with_changes_as_json():
    saved = event(
        target_type="workspace",
        target_id="wsp_1",
        target_label="=cmd|' /C calc'!A0",
        changes={"timezone": ["UTC", "Europe/Berlin"]},
        ip="203.0.113.7",
    )

    header, row = list(csv_lines([saved]))

    assert header.startswith("time,actor,action,target_type,target_id,target_label,changes")
    assert "'=cmd|' /C calc'!A0" in row
    assert '"{""timezone"": [""UTC"", ""Europe/Berlin""]}"' in row
    assert row.endswith("\r\n")
