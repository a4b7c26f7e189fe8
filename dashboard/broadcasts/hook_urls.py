from django.urls import path

from dashboard.broadcasts import hooks

app_name = "hooks"

urlpatterns = [
    path("liveperson/<slug:hook_id>/", hooks.liveperson_hook, name="liveperson"),
]
