"""Bulk operations on Connextlive as job kinds: tag, untag or delete visitors matching a filter,
resolve or assign conversations matching a filter, invite agents from a CSV.

Audiences given as a filter reuse the list pages' own filter forms, so "everyone matching" means
exactly what the list page shows -- every page of it, not the one on screen.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from dashboard.agents.quota import (
    INVITE_ACTION,
    InviteInProgress,
    hourly_limit,
    next_invite_allowed_at,
    sending_slot,
)
from dashboard.audit import Target, record
from dashboard.audit.log import readable_error
from dashboard.conversations.forms import ConversationFilterForm
from dashboard.jobs.kinds import (
    CollectedPage,
    ItemSpec,
    JobKind,
    Performer,
    register,
    tenant_client,
)
from dashboard.jobs.models import Job
from dashboard.jobs.outcomes import ItemRefused, WaitUntil
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformNotFound
from dashboard.visitors.forms import MAX_TAGS, VisitorFilterForm

COLLECT_PAGE_SIZE = 100  # the visitors list's maximum (seeds/003)


def visitor_filters(query: str) -> dict[str, Any]:
    """The visitors page's filters for `query` (its own form), without the page and size."""
    params = VisitorFilterForm(QueryDict(query)).platform_params()
    return {name: params[name] for name in ("search", "is_online", "site_id", "tags")}


def conversation_filters(query: str) -> dict[str, Any]:
    params = ConversationFilterForm(QueryDict(query)).platform_params()
    return {name: params[name] for name in ("status", "agent_id", "search")}


def visitor_pages(client: ConnextliveClient, query: str, cursor: dict) -> Iterator[CollectedPage]:
    """Every visitor matching, a page at a time, from `cursor` ({"page": n})."""
    filters = visitor_filters(query)
    page = int(cursor.get("page", 1))
    while True:
        listed = client.tenant.list_visitors(**filters, page=page, limit=COLLECT_PAGE_SIZE)
        items = [ItemSpec(v.id, v.user_name or v.user_email or v.id) for v in listed.items]
        last = not listed.items or page >= listed.total_pages
        yield CollectedPage(items, {"page": page + 1}, total=listed.total, last=last)
        if last:
            return
        page += 1


def conversation_pages(
    client: ConnextliveClient, query: str, cursor: dict
) -> Iterator[CollectedPage]:
    """Every conversation matching, a page at a time, from `cursor` ({"offset": n})."""
    filters = conversation_filters(query)
    offset = int(cursor.get("offset", 0))
    while True:
        listed = client.tenant.list_conversations(**filters, limit=COLLECT_PAGE_SIZE, offset=offset)
        items = [
            ItemSpec(c.id, _conversation_label(c), {"visitorId": c.visitor_id})
            for c in listed.items
        ]
        offset += len(listed.items)
        last = not listed.items or offset >= listed.total
        yield CollectedPage(items, {"offset": offset}, total=listed.total, last=last)
        if last:
            return


def _conversation_label(conversation: Any) -> str:
    visitor = conversation.visitor
    name = (visitor.user_name or visitor.user_email) if visitor else ""
    return f"{name or conversation.visitor_id} ({conversation.status.lower()})"


# --- visitors ----------------------------------------------------------------------------------


class VisitorPerformer(Performer):
    def __init__(self, job: Job) -> None:
        self.client = tenant_client(job)
        self.query = job.params.get("query", "")
        self.tags = [str(tag) for tag in job.params.get("tags", [])]

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        return visitor_pages(self.client, self.query, cursor)


class AddTags(VisitorPerformer):
    def perform(self, item: ItemSpec) -> str:
        # The platform replaces the whole array: read the visitor's tags as they are now.
        current = self.client.tenant.get_visitor(item.key).tags
        missing = [tag for tag in self.tags if tag not in current]
        if not missing:
            return "already had the tags"
        if len(current) + len(missing) > MAX_TAGS:
            raise ItemRefused(f"would have more than {MAX_TAGS} tags")
        self.client.tenant.update_visitor(item.key, tags=[*current, *missing])
        return "added " + ", ".join(missing)


class RemoveTags(VisitorPerformer):
    def perform(self, item: ItemSpec) -> str:
        current = self.client.tenant.get_visitor(item.key).tags
        present = [tag for tag in current if tag in self.tags]
        if not present:
            return "had none of the tags"
        self.client.tenant.update_visitor(
            item.key, tags=[tag for tag in current if tag not in self.tags]
        )
        return "removed " + ", ".join(present)


class DeleteVisitor(VisitorPerformer):
    def perform(self, item: ItemSpec) -> str:
        try:
            self.client.tenant.delete_visitor(item.key)
        except PlatformNotFound:
            return "already deleted"
        return "deleted"


@register
class AddTagsKind(JobKind):
    kind = Job.Kind.VISITORS_ADD_TAGS
    requests_per_item = 2  # read the tags, write them

    def performer(self, job: Job) -> Performer:
        return AddTags(job)


@register
class RemoveTagsKind(JobKind):
    kind = Job.Kind.VISITORS_REMOVE_TAGS
    requests_per_item = 2

    def performer(self, job: Job) -> Performer:
        return RemoveTags(job)


@register
class DeleteVisitorsKind(JobKind):
    kind = Job.Kind.VISITORS_DELETE

    def performer(self, job: Job) -> Performer:
        return DeleteVisitor(job)


# --- conversations -----------------------------------------------------------------------------


class ConversationPerformer(Performer):
    def __init__(self, job: Job) -> None:
        self.client = tenant_client(job)
        self.query = job.params.get("query", "")
        self.agent_id = str(job.params.get("agentId", ""))
        self.agent_name = str(job.params.get("agentName", ""))

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        return conversation_pages(self.client, self.query, cursor)


class Resolve(ConversationPerformer):
    def perform(self, item: ItemSpec) -> str:
        return "status " + self.client.tenant.resolve_conversation(item.key).status


class Assign(ConversationPerformer):
    def perform(self, item: ItemSpec) -> str:
        self.client.tenant.assign_conversation(item.key, self.agent_id)
        return f"assigned to {self.agent_name or self.agent_id}"


@register
class ResolveKind(JobKind):
    kind = Job.Kind.CONVERSATIONS_RESOLVE

    def performer(self, job: Job) -> Performer:
        return Resolve(job)


@register
class AssignKind(JobKind):
    kind = Job.Kind.CONVERSATIONS_ASSIGN

    def performer(self, job: Job) -> Performer:
        return Assign(job)


# --- agents ------------------------------------------------------------------------------------


class Invite(Performer):
    """One invitation per row, under the same hourly limit as the agents page: past it the job
    waits (not an error) until the oldest counted invitation leaves the hour. Each invitation is
    its own audit event, which is also what the limit counts; the manager's sending slot is held
    for each one, so the agents page and the job cannot both slip past the limit at once."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.client = tenant_client(job)

    def perform(self, item: ItemSpec) -> str:
        manager = self.job.created_by
        if manager is None:
            return self._invite(item)
        try:
            with sending_slot(manager):
                if allowed_at := next_invite_allowed_at(manager):
                    limit = hourly_limit()
                    raise WaitUntil(
                        allowed_at, f"The limit of {limit} invitations an hour is reached."
                    )
                return self._invite(item)
        except InviteInProgress:
            retry_at = timezone.now() + timedelta(seconds=2)
            raise WaitUntil(retry_at, "Another invitation of this manager is being sent.") from None

    def _invite(self, item: ItemSpec) -> str:
        name, email = str(item.payload.get("name", "")), item.key
        label = f"{name} <{email}>"
        try:
            invitation = self.client.tenant.invite_agent(name=name, email=email)
        except Exception as error:
            self._audit(label, "", error=readable_error(error))
            raise
        self._audit(label, invitation.id)
        return f"invited ({invitation.id})"

    def _audit(self, label: str, invitation_id: str, *, error: str = "") -> None:
        record(
            None,
            INVITE_ACTION,
            actor=self.job.created_by,
            tenant_id=self.job.tenant_id,
            target=Target("invitation", invitation_id, label),
            changes={"job": [None, self.job.pk]},
            outcome="failure" if error else "success",
            error=error,
        )


@register
class InviteKind(JobKind):
    kind = Job.Kind.AGENTS_INVITE
    idempotent = False  # an invitation is an email to a person
    # One at a time: the hourly limit is counted before each invitation.
    max_runners = 1
    max_concurrency = 1

    def performer(self, job: Job) -> Performer:
        return Invite(job)
