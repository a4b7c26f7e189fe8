"""The console's navigation: the areas of DESIGN.md, each shown once its page exists (its
`<app>:index` URL name resolves) and only to users whose role may open it (the view's access
decorator decides, so the menu and the 403 can never disagree)."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse

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
    links = []
    for area in AREAS:
        try:
            url = reverse(area.url_name)
        except NoReverseMatch:
            continue  # that area has not been built yet
        if may_open(request.user, resolve(url).func):
            links.append(NavLink(area.label, url, area.namespace == current_namespace))
    return links
