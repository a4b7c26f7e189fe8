"""Naxon's paths under /naxon, as platforms.md guesses them (seeds/001 gives the operations and
their parameters, not the paths)."""

from django.urls import path

from sandbox.naxon import views
from sandbox.naxon.http import endpoint

urlpatterns = [
    path("models", endpoint(GET=views.list_models)),
    path("models/<str:model_id>", endpoint(GET=views.get_model)),
    path("models/<str:model_id>/conversations", endpoint(GET=views.list_model_conversations)),
    path("conversations", endpoint(GET=views.list_conversations)),
    path("conversations/<str:conversation_id>", endpoint(GET=views.get_conversation)),
    path("conversations/<str:conversation_id>/messages", endpoint(GET=views.list_messages)),
]
