"""Template filters for platform data that becomes a link."""

from urllib.parse import quote, urlsplit

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def http_url(value: object) -> str:
    """The URL if it is an absolute http(s) URL, else "": an attachment URL comes from the
    platform (untrusted), and a `javascript:` or `data:` URL must never become an href."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme in ("http", "https") and parts.netloc else ""


@register.filter
def conversation_url(conversation_id: object) -> str:
    """`/conversations/<id>/` for an id from a list: `{% url %}` would raise (a 500) on an id
    that is not a slug, and ids are platform data like the rest."""
    return f"{reverse('conversations:list')}{quote(str(conversation_id), safe='')}/"


@register.filter
def visitor_url(visitor_id: object) -> str:
    return f"{reverse('visitors:list')}{quote(str(visitor_id), safe='')}/"
