"""Adding or removing tags on, or deleting, every visitor the list's filter matches -- on every
page, not only the one on screen: the audience (read through the list page's own filter form),
the job kinds (registered from apps.py) and their start pages under /visitors/bulk/. Exporting
them is in exports.py.
"""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts import reauth
from accounts.access import AuthedRequest, manager_required
from dashboard.jobs.confirmation import Audience, BulkStart
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
from dashboard.jobs.outcomes import ItemRefused
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import Visitor
from dashboard.platforms.errors import PlatformNotFound
from dashboard.visitors.forms import MAX_TAG_LENGTH, MAX_TAGS, VisitorFilterForm, clean_tag

MAX_TAGS_AT_ONCE = 10

# --- the audience: visitors matching a filter ---------------------------------------------------


def visitor_filters(query: str) -> dict[str, Any]:
    """The visitors page's filters for `query` (its own form), without the page and size."""
    params = VisitorFilterForm(QueryDict(query)).platform_params()
    return {name: params[name] for name in ("search", "is_online", "site_id", "tags")}


def fetch_visitors(
    client: ConnextliveClient,
    filters: dict[str, Any],
    cursor: dict[str, Any],
    page_size: int = COLLECT_PAGE_SIZE,
) -> FetchedPage:
    """One page of the visitors matching `filters`, from `cursor` ({"page": n}, 1 at first)."""
    page = int(cursor.get("page", 1))
    listed = client.tenant.list_visitors(**filters, page=page, limit=page_size)
    last = not listed.items or page >= listed.total_pages
    return FetchedPage(listed.items, {"page": page + 1}, listed.total, last)


def visitor_item(visitor: Visitor) -> ItemSpec:
    return ItemSpec(visitor.id, visitor.user_name or visitor.user_email or visitor.id)


def visitor_pages(client: ConnextliveClient, query: str, cursor: dict) -> Iterator[CollectedPage]:
    """Every visitor matching `query`, a page at a time, from `cursor`."""
    filters = visitor_filters(query)
    return collect_pages(lambda at: fetch_visitors(client, filters, at), cursor, visitor_item)


def count_visitors(client: ConnextliveClient, query: str) -> int:
    return client.tenant.list_visitors(**visitor_filters(query), limit=1).total


AUDIENCE = Audience(
    noun="visitor",
    list_url_name="visitors:list",
    labels={"search": "Search", "isOnline": "Online", "siteId": "Site", "tags": "Tags"},
    filter_form=VisitorFilterForm,
    count=count_visitors,
)


# --- the job kinds ------------------------------------------------------------------------------


class VisitorPerformer(FilteredPerformer):
    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        return visitor_pages(self.client, self.query, cursor)

    @property
    def tags(self) -> list[str]:
        """The tags to add or remove."""
        return [str(tag) for tag in self.job.params.get("tags", [])]


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
    kind = "visitors.add_tags"
    label = "Add tags to visitors"
    requests_per_item = 2  # read the tags, write them
    performer_class = AddTags


@register
class RemoveTagsKind(JobKind):
    kind = "visitors.remove_tags"
    label = "Remove tags from visitors"
    requests_per_item = 2
    performer_class = RemoveTags


@register
class DeleteVisitorsKind(JobKind):
    kind = "visitors.delete"
    label = "Delete visitors"
    performer_class = DeleteVisitor


# --- the start pages ----------------------------------------------------------------------------


class TagsForm(forms.Form):
    operation = forms.ChoiceField(
        label=_("Operation"),
        choices=[("add", _("Add these tags")), ("remove", _("Remove these tags"))],
    )
    tags = forms.CharField(
        max_length=MAX_TAG_LENGTH * MAX_TAGS_AT_ONCE,
        label=_("Tags"),
        help_text=_("Separate tags with commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_tags(self) -> list[str]:
        tags: list[str] = []
        for raw in self.cleaned_data["tags"].split(","):
            if raw.strip():
                tag = clean_tag(raw)
                if tag not in tags:
                    tags.append(tag)
        if not tags:
            raise forms.ValidationError(_("Type at least one tag."))
        if len(tags) > MAX_TAGS_AT_ONCE:
            raise forms.ValidationError(
                gettext("At most %(most)d tags at once.") % {"most": MAX_TAGS_AT_ONCE}
            )
        return tags


class ConfirmCountForm(forms.Form):
    """Type the number of visitors to confirm deleting all of them. The number to type is the
    platform's count now (`expected`), never one the page sent back."""

    typed = forms.CharField(max_length=20, label=_("Type the number of visitors to confirm"))

    def __init__(self, *args: Any, expected: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.expected is None:
            raise forms.ValidationError(
                _(
                    "The visitors matching cannot be counted right now, so nothing can be "
                    "confirmed. Try again in a moment."
                )
            )
        if self.expected == 0:
            raise forms.ValidationError(
                _("No visitor matches the filter: there is nothing to delete.")
            )
        if "typed" in data and data["typed"].strip() != str(self.expected):
            self.add_error(
                "typed", gettext("Type %(count)s to confirm.") % {"count": self.expected}
            )
        return data


@require_http_methods(["GET", "POST"])
@manager_required
def tag_all(request: AuthedRequest) -> HttpResponse:
    bulk = BulkStart(request, AUDIENCE)
    form = TagsForm(bulk.posted)
    if form.is_bound and form.is_valid():
        tags = form.cleaned_data["tags"]
        if form.cleaned_data["operation"] == "add":
            return bulk.started(AddTagsKind.kind, f"Add tags {', '.join(tags)}", tags=tags)
        return bulk.started(RemoveTagsKind.kind, f"Remove tags {', '.join(tags)}", tags=tags)
    return bulk.page(
        form=form,
        heading=_("Tag visitors"),
        intro=_("Add or remove tags on every visitor matching the filter, on every page."),
        submit=_("Start"),
    )


@require_http_methods(["GET", "POST"])
@manager_required
def delete_all(request: AuthedRequest) -> HttpResponse:
    """Irreversible: the password again (re-authentication), then the number of visitors
    matching typed out -- counted again on the platform when the form is sent, so what is
    confirmed is what matches now, not what the page showed a while ago."""
    if request.method == "POST" and not reauth.recently_authenticated(request):
        # Back to this very page after the password, filter included, with what was typed.
        return reauth.confirmation_required_response(request)
    bulk = BulkStart(request, AUDIENCE)
    count, _error = bulk.counted
    data = request.POST if request.method == "POST" else reauth.take_pending_form(request)
    form = ConfirmCountForm(data, expected=count)
    if request.method == "POST" and form.is_valid():
        return bulk.started(DeleteVisitorsKind.kind, f"Delete {count} visitors", count=count)
    return bulk.page(
        form=form,
        heading=_("Delete visitors"),
        intro=_(
            "Permanently deletes every visitor matching the filter, with all their data. "
            "This cannot be undone."
        ),
        submit=_("Delete them all"),
        danger=True,
        reauth_needed=not reauth.recently_authenticated(request),
    )
