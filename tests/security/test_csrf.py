"""CSRF is enforced on sign-in and sign-out (the test client skips it unless told not to)."""

import re

import pytest
from django.test import Client

from tests.accounts.helpers import session_exists, session_key
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db


def csrf_field(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def credentials() -> dict[str, str]:
    return {"email": sandbox_fixtures.MANAGER_EMAIL, "password": sandbox_fixtures.DEMO_PASSWORD}


def test_sign_in_without_the_token_is_refused(console_platform):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", credentials())

    assert response.status_code == 403
    assert not [r for r in console_platform.requests() if r["path"].endswith("/auth/login")]


def test_sign_in_with_the_token_works(console_platform):
    client = Client(enforce_csrf_checks=True)
    token = csrf_field(client.get("/login/").content.decode())

    response = client.post("/login/", {**credentials(), "csrfmiddlewaretoken": token})

    assert response.status_code == 302


def test_sign_out_without_the_token_is_refused_and_the_session_lives(console_platform):
    client = Client(enforce_csrf_checks=True)
    token = csrf_field(client.get("/login/").content.decode())
    client.post("/login/", {**credentials(), "csrfmiddlewaretoken": token})
    key = session_key(client)

    response = client.post("/logout/")

    assert response.status_code == 403
    assert session_exists(key)
    assert client.get("/").status_code == 200


def test_sign_out_with_the_token_from_the_page_works(console_platform):
    client = Client(enforce_csrf_checks=True)
    token = csrf_field(client.get("/login/").content.decode())
    client.post("/login/", {**credentials(), "csrfmiddlewaretoken": token})
    key = session_key(client)
    page_token = csrf_field(client.get("/").content.decode())  # the sign-out form's

    response = client.post("/logout/", {"csrfmiddlewaretoken": page_token})

    assert response.status_code == 303
    assert not session_exists(key)


def test_htmx_requests_authenticate_with_the_header_token(console_platform):
    client = Client(enforce_csrf_checks=True)
    token = csrf_field(client.get("/login/").content.decode())
    client.post("/login/", {**credentials(), "csrfmiddlewaretoken": token})
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', client.get("/").content.decode()).group(1)
    key = session_key(client)

    response = client.post("/logout/", headers={"X-CSRFToken": header_token, "HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/"
    assert not session_exists(key)
