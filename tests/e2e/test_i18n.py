"""A manager switches the console to Turkish on /preferences/ in a real browser: the navigation,
the top bar and the visitors page (its table, its rows' times) are in Turkish from the next page
on, with `<html lang="tr">`; and back to the workspace's language."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures
from tests.i18n.catalogues import fresh_catalogues

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True, scope="module")
def _compiled_catalogues() -> None:
    fresh_catalogues()


def sign_in(page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(sandbox_fixtures.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_switching_to_turkish_on_preferences_translates_the_console(page, live_console):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/preferences/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Your language").select_option("tr")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tercihleriniz")
    expect(page.get_by_role("status").first).to_contain_text("Kaydedildi.")
    navigation = page.get_by_role("navigation", name="Ana menü")
    for label in ("Genel bakış", "Ziyaretçiler", "Görüşmeler", "Temsilciler", "Raporlar"):
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Oturumu kapat")).to_be_visible()

    navigation.get_by_role("link", name="Ziyaretçiler", exact=True).click()

    expect(page).to_have_url(re.compile(r"/visitors/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ziyaretçiler")
    expect(page.get_by_role("columnheader", name="Son görülme")).to_be_visible()
    expect(page.locator("#visitor-rows tr")).to_have_count(25)
    expect(page.locator("#visitor-pager")).to_contain_text("sonuçtan 1–25 gösteriliyor")
    last_seen = page.locator("#visitor-rows tr time").first
    expect(last_seen).to_have_text(re.compile(r"^(\d+ (dk|sa|gün) önce|az önce)$"))
    expect(page.get_by_role("button", name="Ara")).to_be_visible()

    # Back to the workspace's language (English in the seed).
    page.goto("/preferences/")
    page.get_by_label("Diliniz").select_option("")
    page.get_by_role("button", name="Kaydet").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Visitors")
    assert page.console_problems == []


def test_a_turkish_managers_key_countdown_and_copy_messages_stay_in_turkish(
    page, live_console, sandbox
):
    """The countdown is rewritten every second by static/js/apikeys.js, and the copy button
    speaks through it: both in the page's language, not the script's English."""
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    old = truth.create_api_key("Mağaza", ["www.example.com"]).key
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_console.url)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/preferences/")
    page.get_by_label("Your language").select_option("tr")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("html")).to_have_attribute("lang", "tr")

    page.goto(f"/keys/{old.id}/rotate/")
    page.locator("input[name=window][value='1h']").check()
    page.get_by_role("button", name="Anahtarı değiştir").click()

    countdown = page.locator("#rotation-status time[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^59 dk \d+ sn$"))
    first_reading = countdown.text_content()
    expect(countdown).not_to_have_text(first_reading)  # live, and still in Turkish
    expect(countdown).to_have_text(re.compile(r"^59 dk \d+ sn$"))
    page.locator("#copy-key").click()
    expect(page.locator("#copy-status")).to_have_text("Panoya kopyalandı.")
    expect(page.locator("#copy-key")).to_have_text("Kopyalandı")
    assert page.console_problems == []
