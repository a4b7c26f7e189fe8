"""UChat's paths under /uchat: the documented base is `https://<partner domain>/api` (doc), so
the paths platforms.md lists are served below /uchat/api."""

from django.urls import path

from sandbox.uchat import views
from sandbox.uchat.http import endpoint

urlpatterns = [
    path("api/flow/subflows", endpoint(GET=views.list_sub_flows)),
    path("api/flow/tags", endpoint(GET=views.list_tags)),
    path("api/flow/create-tag", endpoint(POST=views.create_tag)),
    path("api/flow/delete-tag", endpoint(DELETE=views.delete_tag)),
    path("api/flow/user-fields", endpoint(GET=views.list_user_fields)),
    path("api/subscribers", endpoint(GET=views.list_subscribers)),
    path("api/subscriber/get-info", endpoint(GET=views.get_subscriber_info)),
    path("api/subscriber/add-tag", endpoint(POST=views.add_tag)),
    path("api/subscriber/remove-tag", endpoint(DELETE=views.remove_tag)),
    path("api/subscriber/set-user-field", endpoint(PUT=views.set_user_field)),
    path("api/subscriber/send-sub-flow", endpoint(POST=views.send_sub_flow)),
    path("api/subscriber/send-text", endpoint(POST=views.send_text)),
    path("api/subscriber/broadcast-by-tag", endpoint(POST=views.broadcast_by_tag)),
]
