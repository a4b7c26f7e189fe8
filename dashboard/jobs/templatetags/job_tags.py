"""`{% load job_tags %}`: the CSS kit's badge colour for a job's state, a kind's label, and
numbers with thousands separators."""

from django import template

from dashboard.jobs.kinds import label_of

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


@register.filter
def kind_label(kind: str) -> str:
    """What the pages call a job kind ("Delete visitors"), from the app that registered it."""
    return label_of(kind)


@register.filter
def thousands(number: int | None) -> str:
    """1200 as "1,200" (the pages' English)."""
    return "" if number is None else f"{int(number):,}"
