"""Resolving, or assigning to one agent, all the conversations a filter of the list matches:
who they are (the list page's own filter form decides, so it is exactly what the list shows),
the two job kinds (registered from apps.py), and the pages that start them under
/conversations/bulk/. The export has a module of its own, exports.py.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthedRequest, manager_required
from accounts.vault import platform_client
from dashboard.conversations.forms import ConversationFilterForm
from dashboard.jobs.confirmation import Audience, BulkStart, confirm_and_start
from dashboard.jobs.kinds import (
    COLLECT_PAGE_SIZE,
    CollectedPage,
    FetchedPage,
    FilteredPerformer,
    ItemSpec,
    JobKind,
    collect_pages,
    register,
)
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import ConversationSummary

# --- the audience: conversations matching a filter ----------------------------------------------


def conversation_filters(query: str) -> dict[str, Any]:
    """The conversations page's filters for `query` (its own form), without the page and size."""
    params = ConversationFilterForm(QueryDict(query)).platform_params()
    return {name: params[name] for name in ("status", "agent_id", "search")}


def fetch_conversations(
    client: ConnextliveClient,
    filters: dict[str, Any],
    cursor: dict[str, Any],
    page_size: int = COLLECT_PAGE_SIZE,
) -> FetchedPage:
    """One page of the conversations matching `filters`, from `cursor` ({"offset": n})."""
    offset = int(cursor.get("offset", 0))
    listed = client.tenant.list_conversations(**filters, limit=page_size, offset=offset)
    after = offset + len(listed.items)
    last = not listed.items or after >= listed.total
    return FetchedPage(listed.items, {"offset": after}, listed.total, last)


def conversation_item(conversation: ConversationSummary) -> ItemSpec:
    visitor = conversation.visitor
    name = (visitor.user_name or visitor.user_email) if visitor else ""
    label = f"{name or conversation.visitor_id} ({conversation.status.lower()})"
    payload = {"visitorId": conversation.visitor_id}
    if visitor and visitor.user_email:
        payload["email"] = visitor.user_email  # a broadcast on several channels matches by it
    return ItemSpec(conversation.id, label, payload)


def conversation_pages(
    client: ConnextliveClient,
    query: str,
    cursor: dict,
    keep: Callable[[ConversationSummary], bool] | None = None,
) -> Iterator[CollectedPage]:
    """Every conversation matching `query` (and `keep`, when given), a page at a time, from
    `cursor`."""
    filters = conversation_filters(query)
    return collect_pages(
        lambda at: fetch_conversations(client, filters, at), cursor, conversation_item, keep
    )


def count_conversations(client: ConnextliveClient, query: str) -> int:
    return client.tenant.list_conversations(**conversation_filters(query), limit=1).total


AUDIENCE = Audience(
    noun="conversation",
    list_url_name="conversations:list",
    labels={"status": "Status", "agentId": "Agent", "search": "Search"},
    filter_form=ConversationFilterForm,
    count=count_conversations,
)


# --- the job kinds ------------------------------------------------------------------------------


class ConversationPerformer(FilteredPerformer):
    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        return conversation_pages(self.client, self.query, cursor)


class Resolve(ConversationPerformer):
    def perform(self, item: ItemSpec) -> str:
        return "status " + self.client.tenant.resolve_conversation(item.key).status


class Assign(ConversationPerformer):
    def perform(self, item: ItemSpec) -> str:
        agent_id = str(self.job.params.get("agentId", ""))
        self.client.tenant.assign_conversation(item.key, agent_id)
        return f"assigned to {self.job.params.get('agentName') or agent_id}"


@register
class ResolveKind(JobKind):
    kind = "conversations.resolve"
    label = "Resolve conversations"
    performer_class = Resolve


@register
class AssignKind(JobKind):
    kind = "conversations.assign"
    label = "Assign conversations"
    performer_class = Assign


# --- the start pages ----------------------------------------------------------------------------


class AssignAllForm(forms.Form):
    agent_id = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args: Any, agents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent_id"].choices = agents


@require_http_methods(["GET", "POST"])
@manager_required
def resolve_all(request: AuthedRequest) -> HttpResponse:
    return confirm_and_start(
        request,
        AUDIENCE,
        ResolveKind.kind,
        title="Resolve conversations",
        heading=_("Resolve conversations"),
        intro=_(
            "Closes every conversation matching the filter (each gets the platform's "
            "resolution message)."
        ),
        submit=_("Resolve them all"),
    )


@require_http_methods(["GET", "POST"])
@manager_required
def assign_all(request: AuthedRequest) -> HttpResponse:
    bulk = BulkStart(request, AUDIENCE)
    roster = platform_client(request).tenant.list_agents().agents
    agents = [(agent.id, agent.name or agent.email) for agent in roster]
    form = AssignAllForm(bulk.posted, agents=agents)
    if form.is_bound and form.is_valid():
        agent_id = form.cleaned_data["agent_id"]
        name = dict(agents)[agent_id]
        title = f"Assign conversations to {name}"
        return bulk.started(AssignKind.kind, title, agentId=agent_id, agentName=name)
    return bulk.page(
        form=form,
        heading=_("Assign conversations"),
        intro=_("Assigns every conversation matching the filter to one agent."),
        submit=_("Assign them all"),
    )
