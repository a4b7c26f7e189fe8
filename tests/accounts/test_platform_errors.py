"""A PlatformError that a view lets through becomes a readable banner with a 4xx/5xx status (a
page, or for htmx the banner alone retargeted to #platform-banner), never a 500; a 401 signs out.
The errors are real: the sandbox injects them and the real client raises them."""

import pytest

from tests.accounts.helpers import htmx_headers, platform_as
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.error_urls")]


@pytest.fixture
def visitor_url(console_platform) -> str:
    tenant = platform_as(console_platform, sandbox_fixtures.MANAGER_EMAIL).tenant
    visitor = tenant.list_visitors(limit=1).items[0]
    return f"/__test__/visitors/{visitor.id}"


def fail_visitor_calls(platform, **faults) -> None:
    platform.set_faults(errorRate=1.0, paths=r"/api/tenant/visitors/", **faults)


def test_the_test_page_works_without_faults(manager_client, visitor_url):
    assert manager_client.get(visitor_url).status_code == 200


def test_an_unavailable_platform_is_a_503_page_with_a_banner(manager_client, visitor_url, platform):
    fail_visitor_calls(platform, errorStatus=500)

    response = manager_client.get(visitor_url)
    html = response.content.decode()

    assert response.status_code == 503
    assert '<div id="platform-banner" aria-live="polite">' in html
    assert "Connextlive could not complete this request" in html
    assert "The platform is unavailable right now" in html
    assert 'aria-label="Main"' in html  # the whole layout, not a bare error


def test_on_htmx_the_banner_alone_goes_to_its_slot(manager_client, visitor_url, platform):
    fail_visitor_calls(platform, errorStatus=500)

    response = manager_client.get(visitor_url, headers=htmx_headers())
    html = response.content.decode()

    assert response.status_code == 503
    assert response["HX-Retarget"] == "#platform-banner"
    assert response["HX-Reswap"] == "innerHTML"
    assert "The platform is unavailable right now" in html
    assert "<html" not in html and "<nav" not in html


def test_rate_limiting_is_a_429_with_retry_after(manager_client, visitor_url, platform):
    # Retry-After beyond the client's cap: it gives up at once instead of waiting.
    fail_visitor_calls(platform, errorStatus=429, retryAfter=120)

    response = manager_client.get(visitor_url)

    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert "rate limiting" in response.content.decode()


def test_not_found_on_the_platform_is_a_404_banner(manager_client):
    response = manager_client.get("/__test__/visitors/vis_doesnotexist")

    assert response.status_code == 404
    assert "Not found on the platform" in response.content.decode()


def test_a_dropped_connection_is_a_503_not_a_500(manager_client, visitor_url, platform):
    platform.set_faults(dropRate=1.0, paths=r"/api/tenant/visitors/")

    response = manager_client.get(visitor_url)

    assert response.status_code == 503


def test_a_401_signs_out_instead_of_showing_a_banner(manager_client, visitor_url, platform):
    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)

    response = manager_client.get(visitor_url, headers=htmx_headers())

    assert response["HX-Redirect"] == "/login/?next=%2F"
    assert manager_client.get("/").status_code == 302
