from django.urls import path

from dashboard.connectiveone import views

app_name = "connectiveone"

urlpatterns = [
    path("chats/", views.chat_list, name="chats"),
    path("chats/<int:room_id>/", views.chat_detail, name="chat"),
    path("tickets/", views.ticket_list, name="tickets"),
]
