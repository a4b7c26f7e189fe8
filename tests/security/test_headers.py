"""Security headers on pages and fragments, and markup that a strict CSP can run."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts.helpers import htmx_headers

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_headers(response) -> None:
    csp = csp_directives(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    style_src = csp.get("style-src", csp.get("default-src"))
    assert script_src == ["'self'"], script_src
    assert "'unsafe-inline'" not in style_src and "'unsafe-eval'" not in style_src
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert_restrictive_permissions_policy(response)


def assert_restrictive_permissions_policy(response) -> None:
    """Every powerful browser feature the console never uses is switched off for everyone."""
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert policy.get(feature) == "()", (feature, response["Permissions-Policy"])
    assert all(allowed == "()" for allowed in policy.values())


def test_the_sign_in_page_has_the_security_headers():
    assert_secure_headers(Client().get("/login/"))


def test_console_pages_have_the_security_headers(manager_client, agent_client):
    assert_secure_headers(manager_client.get("/"))
    assert_secure_headers(agent_client.get("/"))


def test_fragments_have_the_security_headers(agent_client, manager_client, console_platform):
    # The 403 banner fragment, an htmx redirect, and an error page all carry them.
    from tests.accounts.test_access import ROUTES

    manager_routes = [r for r in ROUTES if r.access == "manager"]
    if manager_routes:
        banner = agent_client.get(manager_routes[0].path, headers=htmx_headers())
        assert banner["HX-Retarget"] == "#platform-banner"
        assert_secure_headers(banner)
    redirect = Client().get("/", headers=htmx_headers())
    assert redirect["HX-Redirect"]
    assert_secure_headers(redirect)


def test_health_probes_have_the_security_headers(console_platform):
    assert_secure_headers(Client().get("/healthz"))


def test_cookies_are_http_only_and_same_site(manager_client):
    cookie = manager_client.cookies["sessionid"]

    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


class InlineCodeFinder(HTMLParser):
    """Collects everything a strict CSP would block: inline scripts, styles and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name in names:
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"{name}= on <{tag}>")


def inline_code_in(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_rendered_pages_have_no_inline_script_or_style(manager_client, agent_client):
    pages = [
        Client().get("/login/"),
        manager_client.get("/"),
        agent_client.get("/"),
    ]
    for response in pages:
        assert inline_code_in(response.content.decode()) == [], response.wsgi_request.path


def test_no_template_has_inline_script_or_style():
    problems = {}
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        found = inline_code_in(template.read_text())
        if found:
            problems[str(template)] = found
    assert problems == {}


def test_htmx_is_configured_for_a_strict_csp(db):
    html = Client().get("/login/").content.decode()

    assert '"allowEval":false' in html
    assert '"includeIndicatorStyles":false' in html
    assert '"allowScriptTags":false' in html
    assert '"historyCacheSize":0' in html
    assert "vendor/htmx/htmx.min.js" in html
    assert "https://" not in html.split("<body")[0]  # nothing from a CDN


def test_the_body_sends_the_csrf_token_with_every_htmx_request(manager_client):
    html = manager_client.get("/").content.decode()
    token = manager_client.cookies["csrftoken"].value

    assert '<body hx-headers=\'{"X-CSRFToken": "' in html
    assert token  # the cookie exists; the body carries a masked form of it
