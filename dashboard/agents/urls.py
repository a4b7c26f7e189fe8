from django.urls import path

from dashboard.agents import bulk, views

app_name = "agents"

urlpatterns = [
    path("", views.agent_list, name="list"),
    path("invite/", views.invite_agent, name="invite"),
    path("bulk/invite/", bulk.invite_from_csv, name="bulk_invite"),
]
