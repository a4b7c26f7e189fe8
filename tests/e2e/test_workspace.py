"""A manager changes the workspace's time zone in a real browser and sees it saved: in place,
without a page load, on the platform, and after a reload."""

import pytest
from playwright.sync_api import expect

from dashboard.audit.models import AuditEvent
from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def watch_console(page) -> list[str]:
    """Console errors and page errors, except two the browser logs for answers we mean: 422 (a
    form re-rendered with its errors) and a missing /favicon.ico (the layout declares none)."""
    problems: list[str] = []

    def on_console(message) -> None:
        url = message.location.get("url", "")
        expected = "status of 422" in message.text or url.endswith("/favicon.ico")
        if message.type == "error" and not expected:
            problems.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def sign_in_as_manager(page) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(sandbox_fixtures.MANAGER_EMAIL)
    page.get_by_label("Password").fill(sandbox_fixtures.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_manager_changes_the_timezone_and_sees_it_saved(page, live_console, platform):
    truth = platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant
    assert truth.get_workspace().timezone != "Asia/Tokyo"
    problems = watch_console(page)
    sign_in_as_manager(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workspace settings")
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again

    timezone = page.get_by_label("Time zone")
    timezone.fill("Asia/Tokyo")
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator("#workspace-notice")).to_have_text("Saved: timezone.")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    assert page.evaluate("window.notReloaded") is True
    assert truth.get_workspace().timezone == "Asia/Tokyo"
    assert AuditEvent.objects.filter(action="workspace.update", outcome="success").count() == 1

    page.reload()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    assert problems == []


def test_an_unknown_timezone_is_refused_in_place(page, live_console, platform):
    problems = watch_console(page)
    sign_in_as_manager(page)
    page.goto("/workspace/")

    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator("#id_timezone_error")).to_contain_text("IANA time zone")
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus_Mons")
    assert problems == []
