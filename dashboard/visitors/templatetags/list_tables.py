"""Tags for the list pattern of `dashboard.visitors.listing` (the visitors and conversations
lists, a conversation's messages)."""

from django import template
from django.http import QueryDict

from dashboard.visitors.listing import Pager, PagerLinks
from dashboard.visitors.listing import pager_links as build_pager_links

register = template.Library()


@register.simple_tag
def pager_links(pager: Pager, query: QueryDict, list_url: str) -> PagerLinks:
    """`{% pager_links pager query list_url as links %}`: the previous, next and numbered links
    of includes/table_pager.html."""
    return build_pager_links(pager, query, list_url)
