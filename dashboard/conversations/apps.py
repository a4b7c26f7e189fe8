from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "dashboard.conversations"
    label = "conversations"
