from django.urls import path

from dashboard.visitors import bulk, exports, views

app_name = "visitors"

urlpatterns = [
    path("", views.visitor_list, name="list"),
    # Bulk actions on everyone matching the list's filter (before <visitor_id>/: "bulk" is a slug).
    path("bulk/tags/", bulk.tag_all, name="bulk_tags"),
    path("bulk/delete/", bulk.delete_all, name="bulk_delete"),
    path("bulk/export/", exports.export_all, name="bulk_export"),
    path("<slug:visitor_id>/", views.visitor_detail, name="detail"),
    path("<slug:visitor_id>/tags/", views.visitor_tags, name="tags"),
    path("<slug:visitor_id>/notes/", views.visitor_notes, name="notes"),
    path("<slug:visitor_id>/delete/", views.visitor_delete, name="delete"),
]
