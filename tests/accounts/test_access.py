"""Who may open what, on every URL the console has: the resolver is walked, so a page added later
is covered without touching this file (and a page without an access decorator fails here)."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts import context_processors
from accounts.access import access_of
from accounts.navigation import AREAS, navigation_for

pytestmark = pytest.mark.django_db

SAMPLE_VALUES = {
    "int": "1",
    "int64": "1",
    "slug": "sample-1",
    "uuid": str(uuid.uuid4()),
    "path": "sample/1",
}


@dataclass(frozen=True)
class Route:
    path: str
    name: str
    view: Any

    @property
    def access(self) -> str | None:
        return access_of(self.view)

    def __str__(self) -> str:
        return f"{self.path} ({self.name})"


def routes() -> list[Route]:
    return sorted(_walk(get_resolver().url_patterns, "", ""), key=lambda route: route.path)


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + _sample(pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield Route(
                "/" + prefix + _sample(pattern), f"{namespace}{pattern.name}", pattern.callback
            )


def _sample(pattern: URLPattern | URLResolver) -> str:
    """The pattern's route with a plausible value in each parameter."""
    route = str(pattern.pattern)
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        value = SAMPLE_VALUES.get(kind, "sample1")
        for spelling in (f"<{kind}:{name}>", f"<{name}>"):
            route = route.replace(spelling, value)
    return route.lstrip("^").rstrip("$")


ROUTES = routes()


def open_route(client: Client, route: Route, **extra: Any):
    """GET the route; a POST-only route (405 to GET, before any access check) gets an empty POST
    instead, so its access check is exercised too."""
    response = client.get(route.path, **extra)
    if response.status_code == 405:
        response = client.post(route.path, **extra)
    return response


def test_the_resolver_walk_finds_the_console():
    paths = {route.path for route in ROUTES}
    assert {"/", "/login/", "/logout/", "/healthz", "/readyz"} <= paths


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_view_declares_who_may_open_it(route):
    assert route.access in {"public", "signed_in", "manager"}, (
        f"{route} has no access decorator (accounts.access: public, signed_in, manager_required)"
    )


@pytest.mark.parametrize("route", [r for r in ROUTES if r.access != "public"], ids=str)
def test_signed_out_visitors_are_sent_to_sign_in(route, console_platform):
    response = open_route(Client(), route)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("route", [r for r in ROUTES if r.access != "public"], ids=str)
def test_signed_out_htmx_requests_get_an_htmx_redirect(route, console_platform):
    response = open_route(Client(), route, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/")


@pytest.mark.parametrize("route", [r for r in ROUTES if r.access == "manager"], ids=str)
def test_agents_get_403_on_manager_pages(route, agent_client):
    response = open_route(agent_client, route)

    assert response.status_code == 403
    assert "Managers only" in response.content.decode()


@pytest.mark.parametrize("route", [r for r in ROUTES if r.access == "manager"], ids=str)
def test_agents_get_the_403_banner_on_manager_fragments(route, agent_client):
    response = open_route(agent_client, route, headers={"HX-Request": "true"})

    assert response.status_code == 403
    assert response["HX-Retarget"] == "#platform-banner"
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("route", [r for r in ROUTES if r.access == "signed_in"], ids=str)
def test_agents_may_open_pages_for_everyone_signed_in(route, agent_client):
    response = agent_client.get(route.path)

    assert response.status_code not in {401, 403, 500}
    assert not response.get("Location", "").startswith("/login/")


@pytest.mark.parametrize("route", [r for r in ROUTES if r.access != "public"], ids=str)
def test_managers_may_open_every_page(route, manager_client):
    response = manager_client.get(route.path)

    assert response.status_code not in {401, 403, 500}
    assert not response.get("Location", "").startswith("/login/")


def nav_labels(client: Client) -> set[str]:
    return {link.label for link in client.get("/").context["nav_links"]}


def existing_areas() -> dict[str, str]:
    """{label: access} of the areas whose index page exists."""
    by_name = {route.name: route.access for route in ROUTES}
    return {area.label: by_name[area.url_name] for area in AREAS if area.url_name in by_name}


def test_managers_see_every_area_that_exists(manager_client):
    assert nav_labels(manager_client) == set(existing_areas())


def test_agents_see_only_the_areas_they_may_open(agent_client):
    expected = {label for label, access in existing_areas().items() if access != "manager"}

    assert nav_labels(agent_client) == expected
    assert "Overview" in expected


def test_the_navigation_is_built_only_for_pages_that_show_it(manager_client, monkeypatch):
    built = []

    def counting_navigation(request):
        built.append(request.path)
        return navigation_for(request)

    monkeypatch.setattr(context_processors, "navigation_for", counting_navigation)

    fragment = manager_client.get("/visitors/", headers={"HX-Request": "true"})
    page = manager_client.get("/visitors/")

    assert fragment.status_code == page.status_code == 200
    assert built == ["/visitors/"]  # the page's, once; the fragment's never
    assert 'aria-current="page">Visitors</a>' in page.content.decode()


def nav_markup_labels(client: Client, path: str) -> tuple[set[str], str | None]:
    """The links of the navigation as the page's HTML shows them, and the current one."""
    html = client.get(path).content.decode()
    nav = html[html.index('<nav class="sb-nav"') : html.index("</nav>", html.index("sb-nav"))]
    labels = set(re.findall(r">([^<>]+)</a>", nav))
    current = re.search(r'aria-current="page">([^<]+)</a>', nav)
    return labels, current.group(1) if current else None


def test_the_navigation_markup_follows_the_role_and_the_page(manager_client, agent_client):
    # Each combination of links is rendered once per process: a manager's navigation must never
    # be served to an agent, nor one page's current link to another page.
    manager_areas = set(existing_areas())
    agent_areas = {label for label, access in existing_areas().items() if access != "manager"}

    for _ in range(2):  # the second time from the cache
        assert nav_markup_labels(manager_client, "/visitors/") == (manager_areas, "Visitors")
        assert nav_markup_labels(agent_client, "/visitors/") == (agent_areas, "Visitors")
        assert nav_markup_labels(manager_client, "/conversations/") == (
            manager_areas,
            "Conversations",
        )
