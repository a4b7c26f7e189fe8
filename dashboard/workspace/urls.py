from django.urls import path

from dashboard.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.edit_workspace, name="edit"),
]
