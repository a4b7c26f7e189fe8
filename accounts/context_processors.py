from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts import vault
from accounts.navigation import navigation_for, navigation_html


def console(request: HttpRequest) -> dict[str, Any]:
    """The layout's navigation and workspace name, for signed-in users only.

    The navigation (`nav_links`, and `navigation`, its markup) is built only when a template
    shows it: base.html does, the htmx fragments do not (a live table's refresh is one every few
    seconds per open tab)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav_links = SimpleLazyObject(lambda: navigation_for(request))
    return {
        "nav_links": nav_links,
        "navigation": SimpleLazyObject(lambda: navigation_html(nav_links)),
        "workspace_name": vault.workspace_name(request.session),
    }
