"""The sandbox's hostile strings (markup, scripts, htmx attributes, template syntax) in every column
of every list page, in a real browser: they show as text and nothing of them runs or becomes an
element, on the full page and after htmx swaps alike.

The seed puts them in visitor names, notes and tags and in messages; this test adds them where
the seed does not (an agent invitation, a widget key, a job, a broadcast, an audit event)."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.alerts.models import KeywordAlert
from dashboard.audit import Target, record
from dashboard.integrations.models import Integration
from dashboard.jobs import engine
from sandbox.connextlive.hostile import (
    ATTRIBUTE_BREAKOUT,
    HOSTILE_TAGS,
    HTMX_ATTRIBUTES,
    IMG_ONERROR,
    LINK_WITH_JAVASCRIPT,
    SCRIPT_TAG,
    TEMPLATE_TAG,
)
from sandbox.naxon.credentials import API_TOKEN as NAXON_TOKEN
from sandbox.uchat.credentials import BOT_TOKEN
from tests.accounts.helpers import platform_as
from tests.broadcasts.helpers import draft_broadcast
from tests.connectiveone.helpers import connect_connectiveone
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What any of the hostile strings would leave in the DOM had it been taken as markup.
INJECTED = (
    'img[src="x"], svg[onload], [onerror], [onload], script:not([src]), '
    'div[hx-get="/logout/"], a[href^="javascript:"]'
)
# Each list page, and a hostile string it shows (as text: proof the check is not vacuous).
LIST_PAGES = {
    "/visitors/?limit=100": SCRIPT_TAG,
    "/visitors/?limit=100&tags=%3Cscript%3Ealert(1)%3C%2Fscript%3E": SCRIPT_TAG,
    "/conversations/?status=all&limit=100": SCRIPT_TAG,
    "/agents/": IMG_ONERROR,
    "/keys/": ATTRIBUTE_BREAKOUT,
    "/jobs/": SCRIPT_TAG,
    "/broadcasts/": HTMX_ATTRIBUTES,
    "/audit/": LINK_WITH_JAVASCRIPT,
    "/naxon/conversations/?sort=updated_at&limit=100": SCRIPT_TAG,
    "/alerts/": IMG_ONERROR,
    "/uchat/?limit=100": HOSTILE_TAGS[0],
    "/uchat/tags/": HOSTILE_TAGS[0],
    # ConnectiveOne's seed names every 97th chat with a hostile string: room 2425 is among the
    # newest 100 chats, and ticket 277's chat is room 1940 (sandbox/connectiveone/seed.py).
    "/connectiveone/chats/?limit=100": TEMPLATE_TAG,
    "/connectiveone/tickets/?limit=100": SCRIPT_TAG,
    "/connectiveone/chats/1940/": SCRIPT_TAG,
    # A contact panel as its own page (what htmx swaps in): room 2425's phone.
    "/contacts/panels/connectiveone/?phone=%2B380500089725": TEMPLATE_TAG,
}


def add_hostile_records(sandbox) -> None:
    manager = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    manager.invite_agent(name=IMG_ONERROR[:100], email="hostile.invite@example.com")
    manager.create_api_key(name=ATTRIBUTE_BREAKOUT, domains=["example.com"])
    from accounts.models import User

    user = User.objects.filter(email=sandbox_fixtures.MANAGER_EMAIL).first()
    tenant_id = user.tenant_id
    job = engine.create_job(
        kind="visitors.add_tags",
        title=f"Add tags {SCRIPT_TAG}",
        tenant_id=tenant_id,
        created_by=user,
        params={"query": "", "tags": [SCRIPT_TAG]},
    )
    draft_broadcast(user, HTMX_ATTRIBUTES, LINK_WITH_JAVASCRIPT)
    record(
        None,
        "visitor.tags",
        actor=user,
        tenant_id=tenant_id,
        target=Target("visitor", ATTRIBUTE_BREAKOUT, LINK_WITH_JAVASCRIPT),
        changes={"tags": [[SCRIPT_TAG], [IMG_ONERROR]]},
        error=HTMX_ATTRIBUTES,
        outcome="failure",
    )
    uchat = Integration(
        tenant_id=tenant_id,
        kind=Integration.Kind.UCHAT,
        config={"base_url": sandbox.url + "/uchat/api"},
    )
    uchat.store_secrets({"bot_token": BOT_TOKEN})
    uchat.save()
    assert job.pk
    add_hostile_naxon_records(sandbox, tenant_id)


def add_hostile_naxon_records(sandbox, tenant_id: str) -> None:
    """Naxon AI set up, a customer's hostile message as a conversation's latest (the list shows
    the latest), and an alert whose every field is hostile."""
    naxon = Integration(tenant_id=tenant_id, kind=Integration.Kind.NAXON)
    naxon.config = {"base_url": sandbox.url + "/naxon"}
    naxon.store_secrets({"api_token": NAXON_TOKEN})
    naxon.save()
    listed = sandbox.http.get(
        "/naxon/conversations", headers={"Authorization": f"Bearer {NAXON_TOKEN}"}
    ).json()["data"]
    injected = sandbox.http.post(
        f"/__sandbox__/naxon/conversations/{listed[0]['id']}/messages",
        json={"message": SCRIPT_TAG},
    )
    assert injected.status_code == 200, injected.text
    KeywordAlert.objects.create(
        tenant_id=tenant_id,
        dedup_key="hostile",
        keyword=IMG_ONERROR[:200],
        model_id=123,
        model_name=HTMX_ATTRIBUTES[:200],
        conversation_id=listed[0]["id"],
        platform=ATTRIBUTE_BREAKOUT[:64],
        platform_user_id=LINK_WITH_JAVASCRIPT[:200],
        message=SCRIPT_TAG,
    )


def assert_inert(page) -> None:
    assert page.locator(INJECTED).count() == 0
    assert page.dialogs == []
    # The htmx attributes in a name would have signed the manager out on load.
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.fixture
def hostile_page(page, live_console, sandbox):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    add_hostile_records(sandbox)
    connect_connectiveone(sandbox_fixtures.MANAGER_EMAIL, sandbox.url)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


@pytest.mark.parametrize(("path", "shown"), LIST_PAGES.items())
def test_hostile_strings_render_inert_on_every_list_page(hostile_page, path, shown):
    page = hostile_page

    response = page.goto(path)

    assert response.status == 200
    assert shown in page.locator("main").inner_text()
    assert_inert(page)
    assert page.console_problems == []


def test_hostile_strings_stay_inert_after_htmx_swaps(hostile_page):
    page = hostile_page
    page.goto("/visitors/?limit=100")

    page.get_by_label("Search").press_sequentially("<", delay=20)  # the table fragment
    expect(page).to_have_url(re.compile(r"search=%3C"))
    page.locator("#visitor-rows").evaluate(
        "rows => htmx.trigger(rows, 'livetable:refresh')"  # the live rows fragment
    )
    page.wait_for_load_state("networkidle")
    assert_inert(page)

    page.goto("/conversations/?status=all&limit=100")
    page.get_by_role("link", name="Waiting").click()  # a tab: the table and its counts
    page.wait_for_load_state("networkidle")
    assert_inert(page)
    assert page.console_problems == []
