"""Webhook receivers, under /hooks/: no sign-in and no CSRF; each proves itself another way
(a workspace's unguessable secret in the path, or a signature over the body)."""

from django.urls import path

from dashboard.alerts.receiver import naxon_keyword_hook
from dashboard.broadcasts.hooks import liveperson_hook

app_name = "hooks"

urlpatterns = [
    path("naxon/<str:secret>/", naxon_keyword_hook, name="naxon"),
    path("liveperson/<slug:hook_id>/", liveperson_hook, name="liveperson"),
]
