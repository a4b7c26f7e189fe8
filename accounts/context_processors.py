from typing import Any

from django.http import HttpRequest

from accounts import vault
from accounts.navigation import navigation_for


def console(request: HttpRequest) -> dict[str, Any]:
    """The layout's navigation and workspace name, for signed-in users only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_links": navigation_for(request),
        "workspace_name": vault.workspace_name(request.session),
    }
