"""/uchat/tags/: the bot's flow tags, in a namespace of their own (list, detail, delete: what
dashboard.lib.deletion links)."""

from django.urls import path

from dashboard.uchat import views

app_name = "uchat_tags"

urlpatterns = [
    path("", views.tag_list, name="list"),
    path("<slug:tag_ns>/", views.tag_detail, name="detail"),
    path("<slug:tag_ns>/delete/", views.tag_delete, name="delete"),
]
