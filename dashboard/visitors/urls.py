from django.urls import path

from dashboard.visitors import views

app_name = "visitors"

urlpatterns = [
    path("", views.visitor_list, name="list"),
    path("<slug:visitor_id>/", views.visitor_detail, name="detail"),
    path("<slug:visitor_id>/tags/", views.visitor_tags, name="tags"),
    path("<slug:visitor_id>/notes/", views.visitor_notes, name="notes"),
    path("<slug:visitor_id>/delete/", views.visitor_delete, name="delete"),
]
