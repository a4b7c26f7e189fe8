from django.urls import path, register_converter

from dashboard.naxon import views
from dashboard.naxon.converters import Int64Converter

register_converter(Int64Converter, "int64")

app_name = "naxon"

urlpatterns = [
    path("", views.index, name="index"),
    path("conversations/", views.all_conversations, name="conversations"),
    path("conversations/<int64:conversation_id>/", views.conversation_detail, name="detail"),
    path("models/<int64:model_id>/", views.model_conversations, name="model"),
]
