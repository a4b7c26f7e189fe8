"""The console's navigation: the areas of DESIGN.md, each shown once its page exists (its
`<app>:index` URL name resolves) and only to users whose role may open it (the view's access
decorator decides, so the menu and the 403 can never disagree)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import (
    NoReverseMatch,
    URLResolver,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)

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
