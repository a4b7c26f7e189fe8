"""The console's URLs plus one test page that lets platform errors through, as a page that does
not handle them would (tests/accounts/test_platform_errors.py)."""

from django.http import HttpResponse
from django.urls import path

from accounts.access import AuthedRequest, signed_in
from accounts.vault import platform_client
from dashboard.urls import urlpatterns as console_urlpatterns


@signed_in
def visitor_name(request: AuthedRequest, visitor_id: str) -> HttpResponse:
    visitor = platform_client(request).tenant.get_visitor(visitor_id)
    return HttpResponse(visitor.user_name or "")


urlpatterns = [*console_urlpatterns, path("__test__/visitors/<str:visitor_id>", visitor_name)]
