"""ConnectiveOne's paths under /connectiveone: seeds/000's exactly, and the authentication
endpoints and the chat by id it names without paths (guess: /kw/api/v1/auth/login|refresh|logout,
/kw/api/v1/OpChatRooms/{id})."""

from django.urls import path

from sandbox.connectiveone import views
from sandbox.connectiveone.http import endpoint

urlpatterns = [
    path("kw/api/v1/auth/login", endpoint(POST=views.login)),
    path("kw/api/v1/auth/refresh", endpoint(POST=views.refresh)),
    path("kw/api/v1/auth/logout", endpoint(POST=views.logout)),
    path("kw/api/call_node/", endpoint(POST=views.call_node_with_body)),
    path(
        "kw/api/call_node/<str:bot_id>/<str:node_id>/<str:channel>/<str:chat_id>",
        endpoint(POST=views.call_node_by_path),
    ),
    path("kw/api/broadcast/route", endpoint(POST=views.broadcast_route)),
    path("kw/api/v1/OpChatRooms/list", endpoint(GET=views.list_chat_rooms)),
    path("kw/api/v1/OpChatRooms/<str:room_id>", endpoint(GET=views.get_chat_room)),
    path("kw/api/v1/Ticket/list", endpoint(GET=views.list_tickets)),
]
