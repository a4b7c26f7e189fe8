"""`{% load job_tags %}`: the CSS kit's badge colour for a job's state."""

from django import template

register = template.Library()

_BADGES = {
    "draft": "bg-secondary-lt",
    "scheduled": "bg-azure-lt",
    "running": "bg-blue-lt",
    "paused": "bg-yellow-lt",
    "done": "bg-green-lt",
    "cancelled": "bg-red-lt",
}


@register.filter
def state_badge(state: str) -> str:
    return _BADGES.get(state, "bg-secondary-lt")
