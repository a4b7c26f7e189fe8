from django.urls import path

from dashboard.broadcasts import views

app_name = "broadcasts"

urlpatterns = [
    path("", views.broadcast_list, name="list"),
    path("new/", views.compose, name="new"),
    path("preview/", views.preview, name="preview"),
    path("<int:broadcast_id>/", views.broadcast_detail, name="detail"),
    path("<int:broadcast_id>/count/", views.refresh_count, name="count"),
    path("<int:broadcast_id>/test/", views.test_send, name="test"),
    path("<int:broadcast_id>/discard/", views.discard, name="discard"),
]
