"""The audit page and its CSV export, with real sign-ins against the sandbox writing events."""

import csv
import html as html_text
import io
import re
from datetime import timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from accounts.models import User
from dashboard.audit.models import AuditEvent
from dashboard.audit.views import PAGE_SIZE
from tests.accounts.helpers import htmx_headers
from tests.fixtures.console import shown_time_zone
from tests.fixtures.sandbox import DEMO_PASSWORD, MANAGER_EMAIL, OTHER_EMAIL

pytestmark = pytest.mark.django_db

HTMX = htmx_headers("http://testserver/audit/")


def manager() -> User:
    return User.objects.get(email=MANAGER_EMAIL)


def add_event(action="workspace.update", *, minutes_ago=0, **fields) -> AuditEvent:
    user = manager()
    fields.setdefault("outcome", "success")
    return AuditEvent.objects.create(
        tenant_id=user.tenant_id,
        actor=user,
        actor_email=user.email,
        action=action,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


class ShownEvent(NamedTuple):
    action: str  # the action cell's title: the action's code, under its label
    who: str
    target: str


def shown_events(response) -> list[ShownEvent]:
    """The audit table's rows as the page shows them, top to bottom."""
    rows = re.findall(r"<tr>\s*<td><time .*?</tr>", response.content.decode(), re.S)
    return [ShownEvent(*(_cell_text(c) for c in _row_cells(row))) for row in rows]


def _row_cells(row: str) -> tuple[str, str, str]:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    action = re.search(r'<td title="([^"]*)">', row).group(1)
    return action, cells[1], cells[3]


def _cell_text(markup: str) -> str:
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def export(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get("/audit/export.csv" + query)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


# --- sign-ins through the real sign-in page ----------------------------------------------


def test_signing_in_writes_an_event_with_where_from(manager_client):
    event = AuditEvent.objects.get(action="auth.sign_in")

    assert (event.actor, event.outcome, event.ip) == (manager(), "success", "127.0.0.1")
    assert event.tenant_id == manager().tenant_id


def test_a_failed_sign_in_writes_the_email_and_never_the_password(console_platform):
    Client(HTTP_USER_AGENT="Test agent").post(
        "/login/", {"email": MANAGER_EMAIL, "password": "wrong-guess-123"}
    )

    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert (event.actor, event.actor_email, event.outcome) == (None, MANAGER_EMAIL, "failure")
    assert event.user_agent == "Test agent"
    every_value = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.fields)
    assert "wrong-guess-123" not in every_value and DEMO_PASSWORD not in every_value


def test_signing_out_writes_an_event(manager_client):
    manager_client.post("/logout/")

    assert AuditEvent.objects.filter(action="auth.sign_out", actor_email=MANAGER_EMAIL).exists()


# --- the page ------------------------------------------------------------------------------------


def test_the_page_lists_the_workspaces_events_newest_first(manager_client):
    add_event("agent.invite", minutes_ago=5, target_type="invitation", target_label="Ann")
    add_event(
        "workspace.update",
        minutes_ago=1,
        outcome="failure",
        error="The platform is unavailable right now (timeout)",
        changes={"timezone": ["UTC", "Europe/Berlin"]},
    )

    response = manager_client.get("/audit/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [e.action for e in shown_events(response)] == [
        "auth.sign_in",  # just now, by manager_client
        "workspace.update",  # a minute ago
        "agent.invite",  # five minutes ago
    ]
    assert "UTC → Europe/Berlin" in html
    assert "The platform is unavailable right now (timeout)" in html
    assert "HX-Request" in response["Vary"]


def test_another_workspaces_manager_never_sees_these_events(manager_client, other_client):
    add_event("workspace.update", target_label="Acme secret plans")

    html = other_client.get("/audit/").content.decode()

    assert "Acme secret plans" not in html
    assert MANAGER_EMAIL not in html
    assert {e.who for e in shown_events(other_client.get("/audit/"))} == {OTHER_EMAIL}
    rows = export(other_client)
    assert {row["actor"] for row in rows} == {OTHER_EMAIL}


def test_htmx_gets_only_the_table_and_filters_come_from_the_query_string(manager_client):
    add_event("agent.invite", target_type="invitation", target_id="inv_1")
    add_event("workspace.update", target_type="workspace", target_id="wsp_1")

    response = manager_client.get("/audit/?action=agent.invite&target_id=inv_1", headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section id="audit-table"')
    assert [e.target for e in shown_events(response)] == ["Invitation inv_1"]
    assert 'href="/audit/export.csv?action=agent.invite&amp;target_id=inv_1"' in html


def test_a_date_range_filters_by_day(manager_client):
    add_event("old.thing", minutes_ago=3 * 24 * 60)
    # Today where the manager is: the zone the page reads its dates in.
    zone = ZoneInfo(shown_time_zone(manager_client.get("/audit/").content.decode()))
    today = timezone.localdate(timezone=zone).isoformat()

    response = manager_client.get(f"/audit/?since={today}&until={today}")

    assert "old.thing" not in [e.action for e in shown_events(response)]
    assert "auth.sign_in" in [e.action for e in shown_events(response)]


@pytest.mark.parametrize(
    "query",
    [
        "?since=yesterday&until=%00",
        "?action=%3Cscript%3Ealert(1)%3C/script%3E",
        "?page=abc",
        "?page=-5",
        "?page=99999999999999999999",
        "?outcome[]=x&actor=" + "a" * 3000,
        "?until=9999-12-31",
        "?target_type=" + "%FF" * 20,
    ],
)
def test_garbage_query_strings_show_the_page_never_an_error(manager_client, query):
    response = manager_client.get("/audit/" + query)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert manager_client.get("/audit/export.csv" + query).status_code == 200


def test_pages_are_linked_with_the_filters_kept(manager_client):
    for minute in range(PAGE_SIZE + 5):
        add_event("bulk.thing", minutes_ago=minute + 1)

    first = manager_client.get("/audit/?action=bulk.thing")
    second = manager_client.get("/audit/?action=bulk.thing&page=2", headers=HTMX)

    assert len(shown_events(first)) == PAGE_SIZE
    assert 'href="?action=bulk.thing&amp;page=2"' in first.content.decode()
    assert len(shown_events(second)) == 5
    assert 'href="?action=bulk.thing&amp;page=1"' in second.content.decode()


def test_events_cannot_be_changed_through_the_console(manager_client):
    event = add_event()

    for method in ("post", "put", "patch", "delete"):
        assert getattr(manager_client, method)("/audit/").status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).action == "workspace.update"


def test_agents_get_403(agent_client):
    assert agent_client.get("/audit/").status_code == 403
    assert agent_client.get("/audit/export.csv").status_code == 403


# --- the CSV export ------------------------------------------------------------------------------


def test_the_export_streams_the_filtered_events_safely(manager_client):
    add_event(
        "workspace.update",
        target_type="workspace",
        target_label='=HYPERLINK("http://evil.example","click")',
        changes={"name": ["Acme", "@Acme"]},
        ip="203.0.113.7",
    )
    add_event("agent.invite")

    rows = export(manager_client, "?action=workspace.update")

    (row,) = rows
    assert row["actor"] == MANAGER_EMAIL
    assert row["target_label"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["changes"] == '{"name": ["Acme", "@Acme"]}'
    assert row["ip"] == "203.0.113.7"
    assert row["outcome"] == "success"


def test_the_export_holds_every_event_not_one_page(manager_client):
    for minute in range(PAGE_SIZE * 2 + 3):
        add_event("bulk.thing", minutes_ago=minute + 1)

    assert len(export(manager_client, "?action=bulk.thing")) == PAGE_SIZE * 2 + 3


def test_actions_and_changed_fields_read_as_words(manager_client):
    from accounts.models import User
    from dashboard.audit import Target, record

    user = User.objects.get(email="manager@example.com")
    record(
        None,
        "workspace.update",
        actor=user,
        tenant_id=user.tenant_id,
        target=Target("workspace", "ws_1", "Acme"),
        changes={"companyName": ["Acme", "Acme Ltd"], "settings.widget.position": ["a", "b"]},
    )

    html = manager_client.get("/audit/").content.decode()

    table = html[html.index('id="audit-table"') :]
    assert "Signed in" in table and "Workspace settings changed" in table
    assert "Company name: Acme → Acme Ltd" in table and "Widget: position: a → b" in table
    assert ">auth.sign_in<" not in table and "companyName" not in table
    assert '<option value="auth.sign_in">Signed in</option>' in html  # the filter too


def test_an_unknown_action_code_still_reads_as_words():
    from dashboard.audit.labels import action_label, field_label

    assert action_label("reports.keep_snapshot_sign_in") == "Reports: keep snapshot sign in"
    assert field_label("contactEmail") == "Contact email"
