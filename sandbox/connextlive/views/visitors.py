"""Tenant — Visitors (CUSTOMER role) and Agent — Visitors (AGENT role)."""

from django.db import transaction
from django.http import HttpRequest

from sandbox.connextlive import serializers
from sandbox.connextlive.auth import agent_only, customer_only
from sandbox.connextlive.http import (
    String,
    StringList,
    json_object,
    not_found,
    query_bool,
    query_int,
    query_string,
    validate_body,
)
from sandbox.connextlive.models import Tenant, User, Visitor, VisitorTag
from sandbox.connextlive.queries import (
    Where,
    visitor_figures,
    visitor_of,
    visitor_page,
    visitors_matching,
)

PAGE_LIMIT_CAP = 100  # doc for the tenant list; the agent list's cap is a guess
TENANT_SEARCH_FIELDS = ("user_name", "user_email", "user_phone", "ip", "country", "city")
AGENT_SEARCH_FIELDS = ("user_name", "user_email")


def _visitor_page(request: HttpRequest, matching: Where, tenant: Tenant) -> dict:
    page = query_int(request, "page", default=1, minimum=1)
    limit = query_int(request, "limit", default=25, minimum=1, cap=PAGE_LIMIT_CAP)
    rows = visitor_page(matching, offset=(page - 1) * limit, limit=limit)
    # `stats` are global for the workspace, whatever the filters (doc).
    total, stats = visitor_figures(matching, tenant)
    items = [serializers.visitor(row) for row in rows]
    return {**serializers.page_envelope("visitors", items, total, page, limit), "stats": stats}


@customer_only
def list_visitors(request: HttpRequest, user: User) -> dict:
    # A visitor matches when it has every tag asked for (guess: the document says "tag(s)").
    tags = dict.fromkeys(value for value in request.GET.getlist("tags") if value)
    matching = visitors_matching(
        user.tenant,
        search=query_string(request, "search"),
        search_fields=TENANT_SEARCH_FIELDS,
        is_online=query_bool(request, "isOnline"),
        site_id=query_string(request, "siteId"),
        tags=list(tags),
    )
    return _visitor_page(request, matching, user.tenant)


@customer_only
def get_visitor(request: HttpRequest, user: User, visitor_id: str) -> dict:
    return serializers.visitor(visitor_of(user.tenant, visitor_id))


PATCH_FIELDS = {
    # Lengths are guesses, wide enough for every seeded value.
    "userName": String(max_length=5000, nullable=True),
    "userEmail": String(max_length=254, nullable=True, email=True),
    "userPhone": String(max_length=50, nullable=True),
    "tags": StringList(max_items=50, max_length=100),
    "notes": String(max_length=10_000, nullable=True),
}
_COLUMNS = {
    "userName": "user_name",
    "userEmail": "user_email",
    "userPhone": "user_phone",
    "notes": "notes",
}


@customer_only
def update_visitor(request: HttpRequest, user: User, visitor_id: str) -> dict:
    """Only the fields given change; `tags` replaces the whole array (doc), duplicates are
    dropped keeping the first (guess)."""
    visitor = visitor_of(user.tenant, visitor_id)
    changes = validate_body(json_object(request), PATCH_FIELDS)
    with transaction.atomic():
        columns = {_COLUMNS[name]: value for name, value in changes.items() if name in _COLUMNS}
        if columns:
            Visitor.objects.filter(pk=visitor.id).update(**columns)
        if "tags" in changes:
            _replace_tags(visitor.id, list(dict.fromkeys(changes["tags"])))
    return serializers.visitor(visitor_of(user.tenant, visitor_id))


def _replace_tags(visitor_id: str, tags: list[str]) -> None:
    VisitorTag.objects.filter(visitor_id=visitor_id).delete()
    VisitorTag.objects.bulk_create(
        VisitorTag(visitor_id=visitor_id, tag=tag, position=position)
        for position, tag in enumerate(tags)
    )


@customer_only
def delete_visitor(request: HttpRequest, user: User, visitor_id: str) -> dict:
    """The visitor and everything of theirs: tags, conversations, messages (doc: "all their
    associated data")."""
    deleted, _ = Visitor.objects.filter(tenant=user.tenant, id=visitor_id).delete()
    if not deleted:
        raise not_found("Visitor")
    return serializers.success()


@agent_only
def agent_list_visitors(request: HttpRequest, user: User) -> dict:
    matching = visitors_matching(
        user.tenant,
        search=query_string(request, "search"),
        search_fields=AGENT_SEARCH_FIELDS,
        is_online=query_bool(request, "isOnline"),
    )
    return _visitor_page(request, matching, user.tenant)


@agent_only
def agent_get_visitor(request: HttpRequest, user: User, visitor_id: str) -> dict:
    return serializers.visitor(visitor_of(user.tenant, visitor_id))
