from django.urls import path

from dashboard.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh, name="refresh"),
    path("queue/", views.waiting_queue, name="queue"),
    path("<slug:table>.csv", views.download, name="download"),
]
