from django.urls import path

from dashboard.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    # The navigation links every area by its `<namespace>:index` (accounts.navigation).
    path("", views.audit_list, name="index"),
    path("export.csv", views.audit_export, name="export"),
]
