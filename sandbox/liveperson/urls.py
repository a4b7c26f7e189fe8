"""LivePerson's paths under /liveperson (doc). The real service spreads them over two domains
(the sentinel's and the messaging one's, found through its domain API); the sandbox serves both
below one prefix."""

from django.urls import path

from sandbox.liveperson import views
from sandbox.liveperson.http import endpoint

urlpatterns = [
    path("sentinel/api/account/<str:account_id>/app/token", endpoint(POST=views.app_token)),
    path("api/account/<str:account_id>/consumer", endpoint(POST=views.consumer_token)),
    path(
        "api/account/<str:account_id>/messaging/consumer/conversation",
        endpoint(POST=views.open_conversation),
    ),
    path(
        "api/account/<str:account_id>/messaging/consumer/conversation/send",
        endpoint(POST=views.send),
    ),
]
