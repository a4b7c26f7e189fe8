"""The console's navigation: the areas of DESIGN.md, each linked by its page's URL name and shown
only to users whose role may open it (the view's access decorator decides, so the menu and the
403 can never disagree). `templates/jinja2/includes/navigation.html` renders it on every full
page."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import (
    URLResolver,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.utils import translation
from django.utils.translation import gettext_noop as _

from accounts.access import access_of, levels_open_to
from dashboard.lib import words


@dataclass(frozen=True)
class Area:
    label: str  # in English; shown in the viewer's language (NavLink)
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
    Area(_("Overview"), "overview:index"),
    Area(_("Workspace"), "workspace:edit"),
    Area(_("Agents"), "agents:list"),
    Area(_("Keys"), "apikeys:list"),
    Area(_("Visitors"), "visitors:list"),
    Area(_("Conversations"), "conversations:list"),
    Area(_("Contacts"), "contacts:search"),
    Area(_("ConnectiveOne"), "connectiveone:chats"),
    Area(_("UChat"), "uchat:list"),
    Area(_("Naxon AI"), "naxon:index"),
    Area(_("Alerts"), "alerts:list"),
    Area(_("Reports"), "reports:index"),
    Area(_("Broadcasts"), "broadcasts:list"),
    Area(_("Jobs"), "jobs:list"),
    Area(_("Audit"), "audit:list"),
    Area(_("Integrations"), "integrations:edit"),
)


def navigation_for(request: HttpRequest) -> list[NavLink]:
    match = request.resolver_match
    current_namespace = match.namespace if match else ""
    language = translation.get_language()
    levels = levels_open_to(request.user)
    return [
        NavLink(words.gettext(area.label, language), url, area.namespace == current_namespace)
        for area, url, view in area_views(get_resolver(get_urlconf()), get_script_prefix())
        if access_of(view) in levels
    ]


@cache
def area_views(
    resolver: URLResolver, script_prefix: str
) -> tuple[tuple[Area, str, Callable[..., Any]], ...]:
    """Each area with its URL and view, worked out once per URL configuration (reversing and
    resolving ten URLs on every page would cost more than the rest of the navigation). Django
    builds a new resolver when ROOT_URLCONF changes (tests do), so that is a new entry here."""
    urlconf_name = resolver.urlconf_name
    areas = []
    for area in AREAS:
        url = reverse(area.url_name, urlconf=urlconf_name)
        areas.append((area, url, resolve(url, urlconf=urlconf_name).func))
    return tuple(areas)
