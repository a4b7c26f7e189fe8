"""One person on every platform, in a real browser: Jane Cooper (shared by the sandbox's seeds:
sandbox/people.py) found by e-mail and by a phone number written two ways, each platform's
panel arriving on its own; a failing platform and a slow one held to their own panels; and the
"Also on" section of her visitor profile. All under the strict CSP, without a console error."""

import re

import pytest
from playwright.sync_api import expect

from sandbox.people import PEOPLE
from tests.connectiveone.helpers import connect_connectiveone
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JANE = PEOPLE[0]


@pytest.fixture
def contacts_page(page, live_console, sandbox):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    connect_connectiveone(sandbox_fixtures.MANAGER_EMAIL, sandbox.url)
    page.get_by_role("link", name="Contacts").click()
    return page


def look_up(page, typed: str, country: str | None = None) -> None:
    page.get_by_label("E-mail or phone").fill(typed)
    if country is not None:
        page.get_by_label("Country of numbers without +").select_option(country)
    page.get_by_role("button", name="Look up").click()


def expect_jane_everywhere(page) -> None:
    connextlive, connectiveone = (
        page.locator("#panel-connextlive"),
        page.locator("#panel-connectiveone"),
    )
    expect(connextlive.get_by_role("link", name="Jane Cooper")).to_have_count(1)
    expect(connextlive.locator('a[href^="/conversations/"]').first).to_be_visible()
    expect(connectiveone.get_by_role("link", name="Jane Cooper")).to_have_count(2)
    expect(page.get_by_text("Still loading")).to_have_count(0)


def test_find_her_by_email_and_by_phone_written_two_ways(contacts_page):
    page = contacts_page

    look_up(page, "jane.cooper@example.net")
    expect(page).to_have_url(re.compile(r"/contacts/\?q=jane.cooper%40example.net"))
    expect_jane_everywhere(page)

    look_up(page, "+44 7700 900101")
    expect_jane_everywhere(page)

    look_up(page, "07700 900101", country="GB")
    expect_jane_everywhere(page)
    expect(page.locator("#panel-connectiveone")).to_contain_text("+447700900101")
    assert page.console_problems == []


def test_a_failing_platform_keeps_to_its_panel(contacts_page, sandbox):
    page = contacts_page
    sandbox.set_faults(errorRate=1.0, errorStatus=503, paths=r"^/connectiveone/")

    look_up(page, "jane.cooper@example.net")

    expect(page.locator("#panel-connectiveone")).to_contain_text("Could not look in ConnectiveOne")
    expect(
        page.locator("#panel-connextlive").get_by_role("link", name="Jane Cooper")
    ).to_be_visible()


def test_a_slow_platform_holds_back_only_its_own_panel(contacts_page, sandbox):
    page = contacts_page
    sandbox.set_faults(latencyMs=2_500, paths=r"^/connectiveone/")

    look_up(page, "jane.cooper@example.net")

    connextlive = page.locator("#panel-connextlive")
    expect(connextlive.get_by_role("link", name="Jane Cooper")).to_be_visible()
    expect(page.locator("#panel-connectiveone")).to_contain_text("Still loading ConnectiveOne")
    expect(
        page.locator("#panel-connectiveone").get_by_role("link", name="Jane Cooper")
    ).to_have_count(2, timeout=15_000)


def test_her_visitor_profile_shows_where_else_she_is(contacts_page):
    page = contacts_page
    look_up(page, "jane.cooper@example.net")
    page.locator("#panel-connextlive").get_by_role("link", name="Jane Cooper").click()

    expect(page.get_by_role("heading", name="Also on")).to_be_visible()
    expect(
        page.locator("#panel-connectiveone").get_by_role("link", name="Jane Cooper")
    ).to_have_count(2)
    assert page.console_problems == []


def test_a_panel_whose_request_never_answers_says_so(contacts_page):
    """The console itself failing a panel's request (not the platform: that is the panel's own
    answer) turns its "Still loading" into an error, and the other panels still show."""
    page = contacts_page
    page.route("**/contacts/panels/connectiveone/**", lambda route: route.abort())

    look_up(page, "jane.cooper@example.net")

    expect(page.locator("#panel-connectiveone").get_by_role("alert")).to_have_text(
        "Could not load ConnectiveOne. Reload the page to try again."
    )
    expect(
        page.locator("#panel-connextlive").get_by_role("link", name="Jane Cooper")
    ).to_be_visible()
