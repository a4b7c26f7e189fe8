"""Webhook receivers, under /hooks/: one unguessable secret per workspace in the path."""

from django.urls import path

from dashboard.alerts.receiver import naxon_keyword_hook

app_name = "hooks"

urlpatterns = [
    path("naxon/<str:secret>/", naxon_keyword_hook, name="naxon"),
]
