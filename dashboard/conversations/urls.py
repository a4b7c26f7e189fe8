from django.urls import path

from dashboard.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<slug:conversation_id>/", views.conversation_detail, name="detail"),
    path("<slug:conversation_id>/assign/", views.conversation_assign, name="assign"),
    path("<slug:conversation_id>/resolve/", views.conversation_resolve, name="resolve"),
    path("<slug:conversation_id>/status/", views.conversation_status, name="status"),
    path("<slug:conversation_id>/mark-read/", views.conversation_mark_read, name="mark_read"),
    path("<slug:conversation_id>/reply/", views.conversation_reply, name="reply"),
    path("<slug:conversation_id>/delete/", views.conversation_delete, name="delete"),
]
