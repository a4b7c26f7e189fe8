"""The reports page as managers and agents use it: their own numbers for agents, the CSV equal
to the table, the live waiting queue, refresh, the cache, and another workspace kept out."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from dashboard.jobs.models import Job
from dashboard.reports.models import Report
from tests.accounts.helpers import platform_as
from tests.fixtures.console import sign_in
from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL, OTHER_EMAIL
from tests.jobs.fixtures import wait_until
from tests.reports.helpers import computed, custom_range, report_done, seed_anchor_day

pytestmark = pytest.mark.django_db(transaction=True)


def thirty_days(platform) -> str:
    anchor_day = seed_anchor_day(platform)
    return custom_range(anchor_day - timedelta(days=30), anchor_day - timedelta(days=1))


def test_an_agent_sees_only_their_own_numbers(manager_client, platform, worker):
    query = thirty_days(platform)
    whole = computed(manager_client, query)
    span = whole.context["span"]

    agent = sign_in(Client(), AGENT_EMAIL)
    response = agent.get(f"/reports/{query}")

    me = platform_as(platform, AGENT_EMAIL).agent.profile()
    mine = [
        c
        for c in platform_as(platform, MANAGER_EMAIL).tenant.iter_conversations("all")
        if c.agent_id == me.id
    ]
    figures = response.context["figures"]
    assert response.context["span"] == span  # the workspace's zone: the same cached report
    assert figures.total_created == sum(span.start <= c.created_at < span.end for c in mine) > 0
    assert figures.total_closed == sum(
        c.closed_at is not None and span.start <= c.closed_at < span.end for c in mine
    )
    assert figures.total_created < whole.context["figures"].total_created
    assert [row.id for row in figures.agents] == [me.id]
    assert figures.sites == []
    page = response.content.decode()
    assert "Your numbers" in page and 'id="report-sites"' not in page


def test_the_csv_holds_the_tables_figures(manager_client, platform, worker):
    query = thirty_days(platform)
    figures = computed(manager_client, query).context["figures"]

    response = manager_client.get(f"/reports/volume.csv{query}")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["day", "created", "closed"]
    assert rows[1:] == [[day, str(a), str(b)] for day, a, b in figures.volume_rows]
    sites = list(
        csv.reader(io.StringIO(manager_client.get(f"/reports/sites.csv{query}").content.decode()))
    )
    assert sites[1:] == [[s["name"], str(s["new"]), str(s["returning"])] for s in figures.sites]
    assert manager_client.get(f"/reports/nothing.csv{query}").status_code == 404


def test_the_page_never_waits_on_the_lists_and_says_it_is_computing(manager_client, platform):
    platform.clear_requests()

    response = manager_client.get("/reports/?range=90d")

    assert response.status_code == 200
    assert response.context["computing"]
    assert "Reading Connextlive’s lists" in response.content.decode()
    walked = [r for r in platform.requests() if r["path"].endswith("/api/tenant/conversations")]
    assert walked == []  # no worker here: nothing was read by the page itself
    report = response.context["report"]
    assert Job.objects.get(pk=report.job_id).kind == "reports.compute"
    # A second look does not start a second computation.
    manager_client.get("/reports/?range=90d")
    assert Job.objects.filter(kind="reports.compute").count() == 1


def test_refresh_computes_again_and_says_as_of_when(manager_client, platform, worker):
    query = thirty_days(platform)
    first = computed(manager_client, query).context["report"]

    response = manager_client.post(f"/reports/refresh/{query}")

    assert response.status_code == 303
    again = Report.objects.get(pk=first.pk)
    assert again.job_id != first.job_id and again.as_of >= first.as_of
    page = computed(manager_client, query).content.decode()
    assert "As of <time" in page


def test_the_waiting_queue_is_live_and_oldest_first(manager_client, platform):
    waiting = list(platform_as(platform, MANAGER_EMAIL).tenant.iter_conversations("WAITING"))

    response = manager_client.get("/reports/queue/")

    rows = response.context["rows"]
    assert response.context["total"] == len(waiting)
    oldest = sorted(waiting, key=lambda c: c.created_at)[: len(rows)]
    assert [row["id"] for row in rows] == [c.id for c in oldest]
    assert "Waiting since (America/New_York)" in response.content.decode()


def test_another_workspace_never_sees_this_ones_report(manager_client, platform, worker):
    query = thirty_days(platform)
    acme = computed(manager_client, query).context["report"]

    other = sign_in(Client(), OTHER_EMAIL)

    assert other.get(f"/reports/volume.csv{query}").status_code == 404  # none of its own yet
    response = other.get(f"/reports/{query}")
    assert response.context["report"].pk != acme.pk
    assert response.context["report"].tenant_id != acme.tenant_id


def test_the_overview_draws_trend_lines_from_the_cache(manager_client, platform, worker):
    manager_client.get("/")  # starts the 7-day report
    report = Report.objects.get()

    wait_until(lambda: report_done(report.pk), "the week's report")

    page = manager_client.get("/").content.decode()

    assert 'id="trend-conversations"' in page and 'id="trend-visitors"' in page
    assert "Created per day, last 7 days" in page
