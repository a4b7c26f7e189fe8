from django.urls import path

from dashboard.conversations import bulk, exports, views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    # Bulk actions on everyone matching the list's filter (before <id>/: "bulk" is a slug).
    path("bulk/resolve/", bulk.resolve_all, name="bulk_resolve"),
    path("bulk/assign/", bulk.assign_all, name="bulk_assign"),
    path("bulk/export/", exports.export_all, name="bulk_export"),
    path("<slug:conversation_id>/", views.conversation_detail, name="detail"),
    path("<slug:conversation_id>/assign/", views.conversation_assign, name="assign"),
    path("<slug:conversation_id>/resolve/", views.conversation_resolve, name="resolve"),
    path("<slug:conversation_id>/status/", views.conversation_status, name="status"),
    path("<slug:conversation_id>/mark-read/", views.conversation_mark_read, name="mark_read"),
    path("<slug:conversation_id>/reply/", views.conversation_reply, name="reply"),
    path("<slug:conversation_id>/delete/", views.conversation_delete, name="delete"),
]
