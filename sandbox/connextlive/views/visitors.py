"""Tenant — Visitors (CUSTOMER role) and Agent — Visitors (AGENT role)."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from sandbox.connextlive import serializers
from sandbox.connextlive.auth import agent_only, customer_only
from sandbox.connextlive.http import (
    String,
    StringList,
    json_object,
    query_bool,
    query_int,
    query_string,
    validate_body,
)
from sandbox.connextlive.models import Tenant, User, Visitor, VisitorTag
from sandbox.connextlive.queries import visitor_of, with_visitor_details

PAGE_LIMIT_CAP = 100  # doc for the tenant list; the agent list's cap is a guess
TENANT_SEARCH_FIELDS = ("user_name", "user_email", "user_phone", "ip", "country", "city")
AGENT_SEARCH_FIELDS = ("user_name", "user_email")


def _visitor_page(request: HttpRequest, visitors: QuerySet[Visitor], tenant: Tenant) -> dict:
    page = query_int(request, "page", default=1, minimum=1)
    limit = query_int(request, "limit", default=25, minimum=1, cap=PAGE_LIMIT_CAP)
    offset = (page - 1) * limit
    ordered = with_visitor_details(visitors.order_by("-last_seen_at", "-id"))
    items = [serializers.visitor(item) for item in ordered[offset : offset + limit]]
    return {
        **serializers.page_envelope("visitors", items, visitors.count(), page, limit),
        "stats": _stats(tenant),
    }


def _stats(tenant: Tenant) -> dict[str, int]:
    """Global for the workspace, whatever the filters (doc)."""
    return Visitor.objects.filter(tenant=tenant).aggregate(
        total=Count("id"),
        online=Count("id", filter=Q(is_online=True)),
        returning=Count("id", filter=Q(is_returning=True)),
    )


def _search(visitors: QuerySet[Visitor], request: HttpRequest, fields: tuple[str, ...]):
    search = query_string(request, "search")
    if search:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": search})
        visitors = visitors.filter(any_field)
    is_online = query_bool(request, "isOnline")
    if is_online is not None:
        visitors = visitors.filter(is_online=is_online)
    return visitors


@customer_only
def list_visitors(request: HttpRequest, user: User) -> dict:
    visitors = _search(Visitor.objects.filter(tenant=user.tenant), request, TENANT_SEARCH_FIELDS)
    site_id = query_string(request, "siteId")
    if site_id:
        visitors = visitors.filter(site_id=site_id)
    # A visitor matches when it has every tag asked for (guess: the document says "tag(s)").
    for tag in dict.fromkeys(value for value in request.GET.getlist("tags") if value):
        visitors = visitors.filter(
            Exists(VisitorTag.objects.filter(visitor=OuterRef("pk"), tag=tag))
        )
    return _visitor_page(request, visitors, user.tenant)


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
            Visitor.objects.filter(pk=visitor.pk).update(**columns)
        if "tags" in changes:
            _replace_tags(visitor, list(dict.fromkeys(changes["tags"])))
    return serializers.visitor(visitor_of(user.tenant, visitor_id))


def _replace_tags(visitor: Visitor, tags: list[str]) -> None:
    VisitorTag.objects.filter(visitor=visitor).delete()
    VisitorTag.objects.bulk_create(
        VisitorTag(visitor=visitor, tag=tag, position=position) for position, tag in enumerate(tags)
    )


@customer_only
def delete_visitor(request: HttpRequest, user: User, visitor_id: str) -> dict:
    """The visitor and everything of theirs: tags, conversations, messages (doc: "all their
    associated data")."""
    visitor_of(user.tenant, visitor_id).delete()
    return serializers.success()


@agent_only
def agent_list_visitors(request: HttpRequest, user: User) -> dict:
    visitors = _search(Visitor.objects.filter(tenant=user.tenant), request, AGENT_SEARCH_FIELDS)
    return _visitor_page(request, visitors, user.tenant)


@agent_only
def agent_get_visitor(request: HttpRequest, user: User, visitor_id: str) -> dict:
    return serializers.visitor(visitor_of(user.tenant, visitor_id))
