from django.urls import path

from dashboard.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("rejected/", views.rejected_list, name="rejected"),
    path("hook/rotate/", views.hook_rotate, name="rotate_hook"),
    path("<int:alert_id>/handle/", views.alert_handle, name="handle"),
]
