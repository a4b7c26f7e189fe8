from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext_lazy

from accounts import vault
from accounts.navigation import navigation_for

NAV_LABEL = pgettext_lazy("navigation", "Main")


def console(request: HttpRequest) -> dict[str, Any]:
    """The layout's navigation and workspace name, for signed-in users only.

    The navigation's links are worked out only when a template shows them: base.html does, the
    htmx fragments do not (a live table's refresh is one every few seconds per open tab)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_links": SimpleLazyObject(lambda: navigation_for(request)),
        "nav_label": NAV_LABEL,
        "workspace_name": vault.workspace_name(request.session),
    }
