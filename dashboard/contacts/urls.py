from django.urls import path

from dashboard.contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.search, name="search"),
    path("panels/<slug:source>/", views.panel, name="panel"),
    path(
        "connextlive/visitors/<slug:visitor_id>/conversations/",
        views.visitor_conversations,
        name="conversations",
    ),
]
