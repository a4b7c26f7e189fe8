from django.urls import path

from dashboard.apikeys import views

app_name = "apikeys"

urlpatterns = [
    path("", views.key_list, name="list"),
    path("new/", views.create_key, name="create"),
    path("<str:key_id>/rotate/", views.rotate_key, name="rotate"),
    path("<str:key_id>/revoke/", views.revoke_key, name="revoke"),
    path(
        "rotations/<int:rotation_id>/revoke-now/",
        views.revoke_old_key_now,
        name="rotation-revoke-now",
    ),
    path("rotations/<int:rotation_id>/keep/", views.keep_old_key, name="rotation-keep"),
]
