"""The console's navigation: the areas of DESIGN.md, each shown once its page exists (its
`<app>:index` URL name resolves) and only to users whose role may open it (the view's access
decorator decides, so the menu and the 403 can never disagree)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import (
    NoReverseMatch,
    URLResolver,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.utils.safestring import SafeString, mark_safe

from accounts.access import may_open


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str

    @property
    def namespace(self) -> str:
        return self.url_name.split(":", 1)[0]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


AREAS = (
    Area("Overview", "overview:index"),
    Area("Workspace", "workspace:index"),
    Area("Agents", "agents:index"),
    Area("Keys", "apikeys:index"),
    Area("Visitors", "visitors:index"),
    Area("Conversations", "conversations:index"),
    Area("Broadcasts", "broadcasts:index"),
    Area("Audit", "audit:index"),
    Area("Integrations", "integrations:index"),
)


def navigation_for(request: HttpRequest) -> list[NavLink]:
    match = request.resolver_match
    current_namespace = match.namespace if match else ""
    return [
        NavLink(area.label, url, area.namespace == current_namespace)
        for area, url, view in built_areas(get_resolver(get_urlconf()), get_script_prefix())
        if may_open(request.user, view)
    ]


@lru_cache(maxsize=8)
def built_areas(
    resolver: URLResolver, script_prefix: str
) -> tuple[tuple[Area, str, Callable[..., Any]], ...]:
    """Each area whose page exists, with its URL and view, for one URL configuration.

    Worked out once per configuration rather than for every page: reversing and resolving nine
    URLs was about a twentieth of a list page's work. Django builds a new resolver when
    ROOT_URLCONF changes (tests do), so a changed configuration is a new entry here.
    """
    areas = []
    for area in AREAS:
        try:
            url = reverse(area.url_name, urlconf=resolver.urlconf_name)
        except NoReverseMatch:
            continue  # that area has not been built yet
        areas.append((area, url, resolve(url, urlconf=resolver.urlconf_name).func))
    return tuple(areas)


def navigation_html(links: list[NavLink]) -> SafeString:
    """The navigation's markup (includes/navigation.html); none without links.

    It depends only on the links (the areas a role may open, which one is current), so each set
    is rendered once per process: through the template engine, nine links cost a twentieth of a
    list page's work. With DEBUG on it is rendered every time, so template edits show at once.
    """
    if not links:
        return SafeString("")
    if settings.DEBUG:
        return _render_navigation(tuple(links))
    return _cached_navigation(tuple(links))


def _render_navigation(links: tuple[NavLink, ...]) -> SafeString:
    # Safe: the template engine escaped every value on the way in (autoescape).
    html = render_to_string("includes/navigation.html", {"nav_links": links})
    return mark_safe(html)  # noqa: S308


_cached_navigation = lru_cache(maxsize=64)(_render_navigation)
