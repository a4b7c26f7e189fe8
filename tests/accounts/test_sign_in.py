"""Signing in against the sandbox's Connextlive: success, refusals, outages, and the session."""

import pytest
from django.test import Client

from accounts.models import Role, User
from accounts.views import INCORRECT, UNREACHABLE
from tests.accounts.helpers import closed_port_url, platform_as, session_exists, session_key
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db


def post_sign_in(client: Client, email: str, password: str, **extra) -> object:
    return client.post("/login/", {"email": email, "password": password}, **extra)


def test_manager_signs_in_and_lands_on_the_overview_with_real_numbers(console_platform):
    client = Client()
    truth = platform_as(console_platform, sandbox_fixtures.MANAGER_EMAIL).tenant
    workspace = truth.get_workspace()
    visitors = truth.list_visitors(limit=1).stats
    active = truth.list_conversations(status="ACTIVE", limit=1).total

    response = post_sign_in(client, sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"

    page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert workspace.name and workspace.name in html
    assert f'id="figure-visitors-total">{visitors.total}<' in html
    assert f'id="figure-visitors-online">{visitors.online}<' in html
    assert f'id="figure-active">{active}<' in html


def test_sign_in_mirrors_the_platform_user_locally(console_platform):
    post_sign_in(Client(), sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)

    profile = platform_as(console_platform, sandbox_fixtures.MANAGER_EMAIL)
    user = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    assert user.role == Role.MANAGER
    assert user.platform_user_id.startswith("usr_")
    assert user.tenant_id
    assert not user.has_usable_password()
    assert profile.has_token


def test_agent_signs_in_with_the_agent_role(console_platform):
    post_sign_in(Client(), sandbox_fixtures.AGENT_EMAIL, sandbox_fixtures.DEMO_PASSWORD)

    assert User.objects.get(email=sandbox_fixtures.AGENT_EMAIL).role == Role.AGENT


def test_email_is_matched_case_insensitively(console_platform):
    response = post_sign_in(
        Client(), sandbox_fixtures.MANAGER_EMAIL.upper(), sandbox_fixtures.DEMO_PASSWORD
    )

    assert response.status_code == 302


def test_wrong_password_gets_one_message_that_does_not_say_which_part(console_platform):
    client = Client()

    response = post_sign_in(client, sandbox_fixtures.MANAGER_EMAIL, "not-the-password")

    assert response.status_code == 200
    assert INCORRECT in response.content.decode()
    assert not session_exists(session_key(client))
    assert client.get("/").status_code == 302


def test_unknown_email_gets_exactly_the_same_message(console_platform):
    wrong_password = post_sign_in(Client(), sandbox_fixtures.MANAGER_EMAIL, "not-the-password")
    unknown_email = post_sign_in(Client(), "nobody@example.com", sandbox_fixtures.DEMO_PASSWORD)

    assert unknown_email.status_code == wrong_password.status_code == 200
    assert wrong_password.context["form"].non_field_errors() == [INCORRECT]
    assert unknown_email.context["form"].non_field_errors() == [INCORRECT]


def test_a_password_too_short_for_the_platform_is_just_incorrect(console_platform):
    response = post_sign_in(Client(), sandbox_fixtures.MANAGER_EMAIL, "abc")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INCORRECT]


def test_a_malformed_email_is_a_field_error_and_never_reaches_the_platform(console_platform):
    response = post_sign_in(Client(), "not an email", sandbox_fixtures.DEMO_PASSWORD)

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not [r for r in console_platform.requests() if r["path"].endswith("/auth/login")]


def test_platform_unreachable_says_so_and_does_not_count_as_a_failure(console_platform, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP = 2
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 2
    settings.PLATFORM_URL = closed_port_url()
    client = Client()

    for _ in range(3):
        response = post_sign_in(client, sandbox_fixtures.MANAGER_EMAIL, "whatever-it-is")
        assert response.status_code == 503
        assert response.context["form"].non_field_errors() == [UNREACHABLE]

    settings.PLATFORM_URL = console_platform.connextlive_url
    response = post_sign_in(client, sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)
    assert response.status_code == 302


def test_the_session_key_changes_at_sign_in(console_platform):
    client = Client()
    before = client.session
    before["visited"] = True
    before.save()
    client.cookies["sessionid"] = before.session_key
    old_key = before.session_key

    post_sign_in(client, sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)

    assert session_key(client) != old_key
    assert not session_exists(old_key)
    assert session_exists(session_key(client))


def test_it_goes_back_to_the_page_asked_for(console_platform):
    client = Client()
    response = client.post(
        "/login/?next=/readyz",
        {
            "email": sandbox_fixtures.MANAGER_EMAIL,
            "password": sandbox_fixtures.DEMO_PASSWORD,
            "next": "/readyz",
        },
    )

    assert response["Location"] == "/readyz"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/login/", "javascript:alert(1)"]
)
def test_it_never_redirects_off_site_or_back_to_sign_in(console_platform, next_url):
    response = Client().post(
        "/login/",
        {
            "email": sandbox_fixtures.MANAGER_EMAIL,
            "password": sandbox_fixtures.DEMO_PASSWORD,
            "next": next_url,
        },
    )

    assert response["Location"] == "/"


def test_a_signed_in_user_opening_sign_in_goes_to_the_console(manager_client):
    response = manager_client.get("/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_locally_disabled_user_cannot_sign_in(console_platform):
    post_sign_in(Client(), sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD)
    User.objects.filter(email=sandbox_fixtures.MANAGER_EMAIL).update(is_active=False)

    response = post_sign_in(
        Client(), sandbox_fixtures.MANAGER_EMAIL, sandbox_fixtures.DEMO_PASSWORD
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INCORRECT]


def test_sign_in_page_labels_its_fields(db):
    html = Client().get("/login/").content.decode()

    assert '<label class="form-label required" for="id_email">Email</label>' in html
    assert '<label class="form-label required" for="id_password">Password</label>' in html
    assert 'autocomplete="current-password"' in html


def test_a_user_disabled_while_signed_in_is_signed_out_at_the_next_request(manager_client):
    assert manager_client.get("/preferences/").status_code == 200

    User.objects.filter(email=sandbox_fixtures.MANAGER_EMAIL).update(is_active=False)
    response = manager_client.get("/preferences/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
