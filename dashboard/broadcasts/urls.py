from django.urls import path

from dashboard.broadcasts import views

app_name = "broadcasts"

urlpatterns = [
    path("", views.broadcast_list, name="list"),
    # The navigation (accounts.navigation) links every area by its `<app>:index` name.
    path("", views.broadcast_list, name="index"),
    path("new/", views.compose, name="new"),
    path("preview/", views.preview, name="preview"),
    path("<int:broadcast_id>/", views.broadcast_detail, name="detail"),
    path("<int:broadcast_id>/count/", views.refresh_count, name="count"),
    path("<int:broadcast_id>/test/", views.test_send, name="test"),
    path("<int:broadcast_id>/discard/", views.discard, name="discard"),
]
