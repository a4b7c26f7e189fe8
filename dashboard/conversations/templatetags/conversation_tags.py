"""Template filters for conversation pages: `{% load conversation_tags %}`."""

from django import template
from django.urls import reverse

from dashboard.conversations.rows import sender_name as sender_label
from dashboard.conversations.rows import status_badge
from dashboard.lib.rows import Badge, detail_url

register = template.Library()


@register.filter
def conversation_url(conversation_id: object) -> str:
    """`/conversations/<id>/` for an id from a list: `{% url %}` would raise (a 500) on an id
    that is not a slug, and ids are platform data like the rest."""
    return detail_url(reverse("conversations:list"), str(conversation_id))


@register.filter
def visitor_url(visitor_id: object) -> str:
    return detail_url(reverse("visitors:list"), str(visitor_id))


@register.filter
def sender_name(sender_type: str) -> str:
    """Who sent a message ("Visitor", "Agent", "System"), in the active language."""
    return sender_label(sender_type or "")


@register.filter
def conversation_status(status: str) -> Badge:
    """{% include "lists/badge.html" with badge=conversation.status|conversation_status %}"""
    return status_badge(status)
