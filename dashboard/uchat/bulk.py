"""Adding or removing one flow tag on every subscriber the list's filter matches -- on every page,
not only the one on screen -- as a job: the audience (read through the list's own filter form),
the job kinds, and the start page under /uchat/bulk/tags/.

Tagging is idempotent on UChat (a subscriber who has the tag keeps it as it is), so the engine
may send an item again after a lost answer."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthedRequest, manager_required
from dashboard.integrations.channels import uchat_for
from dashboard.integrations.models import Integration
from dashboard.jobs.conf import setting
from dashboard.jobs.confirmation import Audience, BulkStart
from dashboard.jobs.kinds import (
    CollectedPage,
    FetchedPage,
    ItemSpec,
    JobKind,
    Performer,
    collect_pages,
    register,
)
from dashboard.jobs.models import Job
from dashboard.platforms.errors import PlatformCallFailed, PlatformError
from dashboard.platforms.uchat import MAX_PAGE_SIZE, UChatClient
from dashboard.platforms.uchat_records import Subscriber
from dashboard.uchat.forms import SubscriberFilterForm, is_namespace
from dashboard.uchat.rows import subscriber_label

# --- the audience: subscribers matching a filter -------------------------------------------------


def subscriber_filters(query: str) -> dict[str, Any]:
    """The list page's filters for `query` (its own form), without the page and size."""
    return SubscriberFilterForm(QueryDict(query)).search_params()


def fetch_subscribers(
    client: UChatClient, filters: dict[str, Any], cursor: dict[str, Any]
) -> FetchedPage:
    page = int(cursor.get("page", 1))
    listed = client.search_subscribers(**filters, page=page, limit=MAX_PAGE_SIZE)
    last = not listed.items or page >= listed.total_pages
    return FetchedPage(listed.items, {"page": page + 1}, listed.total, last)


def subscriber_item(subscriber: Subscriber) -> ItemSpec:
    return ItemSpec(subscriber.user_ns, subscriber_label(subscriber))


def subscriber_pages(
    client: UChatClient, filters: dict[str, Any], cursor: dict[str, Any]
) -> Iterator[CollectedPage]:
    return collect_pages(lambda at: fetch_subscribers(client, filters, at), cursor, subscriber_item)


def audience_for(tenant_id: str) -> Audience:
    """The list's audience, counted on this workspace's bot."""

    def count(_connextlive: Any, query: str) -> int:
        try:
            return uchat_for(tenant_id).search_subscribers(**subscriber_filters(query)).total
        except PlatformError as error:  # the bot's token, not the manager's sign-in
            raise PlatformCallFailed(str(error)) from error

    return Audience(
        noun="subscriber",
        list_url_name="uchat:list",
        labels={"search": "Search", "tag": "Tag"},
        filter_form=SubscriberFilterForm,
        count=count,
    )


# --- the job kinds ---------------------------------------------------------------------------


class UChatKind(JobKind):
    """A job on the workspace's UChat bot: its requests count in the bot's own bucket."""

    def rate_key(self, job: Job) -> str:
        integration = Integration.objects.filter(
            tenant_id=job.tenant_id, kind=Integration.Kind.UCHAT
        ).first()
        parts = urlsplit(integration.setting("base_url", "") if integration else "")
        return f"uchat:{parts.netloc}{parts.path}"

    def rate(self, job: Job) -> float:
        integration = Integration.objects.filter(
            tenant_id=job.tenant_id, kind=Integration.Kind.UCHAT
        ).first()
        configured = integration.setting("rate_limit") if integration else None
        return float(configured) if configured else setting("JOBS_RATE_LIMIT")


class TagPerformer(Performer):
    def __init__(self, job: Job) -> None:
        self.job = job
        self.client = uchat_for(job.tenant_id)
        self.tag_ns = str(job.params["tag_ns"])
        self.filters = subscriber_filters(str(job.params.get("query", "")))

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        return subscriber_pages(self.client, self.filters, cursor)


class AddTag(TagPerformer):
    def perform(self, item: ItemSpec) -> str:
        self.client.add_tag(item.key, self.tag_ns)
        return "tagged"


class RemoveTag(TagPerformer):
    def perform(self, item: ItemSpec) -> str:
        self.client.remove_tag(item.key, self.tag_ns)
        return "untagged"


@register
class AddTagKind(UChatKind):
    kind = "uchat.add_tag"
    label = "Tag UChat subscribers"
    performer_class = AddTag


@register
class RemoveTagKind(UChatKind):
    kind = "uchat.remove_tag"
    label = "Untag UChat subscribers"
    performer_class = RemoveTag


# --- the start page --------------------------------------------------------------------------


class BulkTagForm(forms.Form):
    operation = forms.ChoiceField(
        choices=[("add", _("Add this tag")), ("remove", _("Remove this tag"))],
        label=_("Operation"),
    )
    tag = forms.ChoiceField(label=_("Tag"))

    def __init__(self, *args: Any, tags: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", gettext("Choose a tag…")), *tags]

    def clean_tag(self) -> str:
        if not is_namespace(self.cleaned_data["tag"]):
            raise forms.ValidationError(gettext("Choose a tag."))
        return self.cleaned_data["tag"]


@require_http_methods(["GET", "POST"])
@manager_required
def tag_all(request: AuthedRequest) -> HttpResponse:
    tenant_id = request.user.tenant_id
    bulk = BulkStart(request, audience_for(tenant_id))
    try:
        tags = [(tag.tag_ns, tag.name) for tag in uchat_for(tenant_id).iter_tags()]
    except PlatformError as error:
        tags, problem = [], str(error)
    else:
        problem = ""
    form = BulkTagForm(bulk.posted, tags=tags)
    if problem:
        form.fields["tag"].help_text = gettext(
            "The bot’s tags cannot be read right now: %(problem)s"
        ) % {"problem": problem}
    elif form.is_bound and form.is_valid():
        tag_ns = form.cleaned_data["tag"]
        name = dict(tags).get(tag_ns, tag_ns)
        if form.cleaned_data["operation"] == "add":
            return bulk.started(AddTagKind.kind, f"Tag subscribers “{name}”", tag_ns=tag_ns)
        return bulk.started(RemoveTagKind.kind, f"Untag subscribers “{name}”", tag_ns=tag_ns)
    return bulk.page(
        form=form,
        heading=_("Tag UChat subscribers"),
        intro=_("Add or remove a flow tag on every subscriber matching the filter, on every page."),
        submit=_("Start"),
    )
