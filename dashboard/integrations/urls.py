from django.urls import path

from dashboard.integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.integrations, name="edit"),
    path("<slug:slug>/", views.save, name="save"),
    path("<slug:slug>/test/", views.test_connection, name="test"),
    path("<slug:slug>/remove/", views.remove, name="remove"),
]
