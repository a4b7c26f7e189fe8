from django.urls import path

from dashboard.overview import health, views

app_name = "overview"

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
