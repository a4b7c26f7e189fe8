from django.urls import path

from dashboard.agents import views

app_name = "agents"

urlpatterns = [
    path("", views.agent_list, name="list"),
    path("invite/", views.invite_agent, name="invite"),
]
