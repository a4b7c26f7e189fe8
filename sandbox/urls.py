from django.conf import settings
from django.urls import include, path

from sandbox.connextlive.http import endpoint
from sandbox.views import openapi

urlpatterns = [
    path("connextlive/", include("sandbox.connextlive.urls")),
    path("connectiveone/", include("sandbox.connectiveone.urls")),
    path("naxon/", include("sandbox.naxon.urls")),
    path("uchat/", include("sandbox.uchat.urls")),
    path("liveperson/", include("sandbox.liveperson.urls")),
    path("openapi.json", endpoint(GET=openapi)),
]
if settings.SANDBOX_CONTROL:
    urlpatterns.append(path("__sandbox__/", include("sandbox.control")))

handler400 = "sandbox.views.bad_request"
handler403 = "sandbox.views.forbidden"
handler404 = "sandbox.views.not_found"
handler500 = "sandbox.views.server_error"
