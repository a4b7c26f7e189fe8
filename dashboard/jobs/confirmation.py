"""What every bulk action's start page shares, whichever area it belongs to.

A bulk action acts on everyone a list page's filter matches ("everyone matching", not the page
shown). Its page says what will happen to how many records, counted on the platform, takes what
the action needs, and on POST creates the job -- which collects the audience page by page and
acts on each record -- and opens the job's page. Links from the list pages carry their query
string, so the audience is exactly what the manager was looking at.

An area describes its list once (an `Audience`); each of its actions is then a short view:

    bulk = BulkStart(request, AUDIENCE)
    form = SomeForm(bulk.posted)
    if form.is_bound and form.is_valid():
        return bulk.started(SomeKind.kind, "Title", some_param=...)
    return bulk.page(form=form, heading=..., intro=..., submit=...)
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django import forms
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthedRequest, manager_required
from accounts.platform_session import sensitive_action
from accounts.vault import platform_client
from dashboard.audit import Target, record
from dashboard.jobs import engine
from dashboard.jobs.kinds import ItemSpec, sealed_sign_in
from dashboard.jobs.models import Job
from dashboard.lib.fragments import redirect_after_post
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformCallFailed

PAGE = "jobs/confirm.html"
# An export's page in the viewer's language, for the audiences the console has.
EXPORT_TITLES = {
    "visitor": _("Export visitors"),
    "conversation": _("Export conversations"),
    "subscriber": _("Export subscribers"),
}
EXPORT_INTROS = {
    "visitor": _(
        "Every visitor matching the filter as a CSV file, fetched page by page; "
        "download it from the job page when it is ready."
    ),
    "conversation": _(
        "Every conversation matching the filter as a CSV file, fetched page by page; "
        "download it from the job page when it is ready."
    ),
    "subscriber": _(
        "Every subscriber matching the filter as a CSV file, fetched page by page; "
        "download it from the job page when it is ready."
    ),
}
# The list's own paging, which says nothing about who matches.
NOT_FILTERS = ("page", "limit")


class FilterForm(Protocol):
    """A list page's filter form, as bulk actions use it."""

    def canonical_query(self, **overrides: Any) -> QueryDict:
        """The filters as a query string without default values."""
        ...


@dataclass(frozen=True)
class Audience:
    """The records of one list page that match its filter, as bulk actions see them."""

    noun: str  # "visitor": the page says "3 visitors match"
    list_url_name: str  # "visitors:list", where "Back to the list" goes
    labels: Mapping[str, str]  # query parameter -> the filter's name on the list page
    filter_form: Callable[[QueryDict], FilterForm]  # the list page's own form
    # How many records match a canonical query, on the platform.
    count: Callable[[ConnextliveClient, str], int]

    def canonical_query(self, data: QueryDict) -> str:
        """The filter of a query string as the list page reads it (paging aside: page 1)."""
        return self.filter_form(data).canonical_query(page=1).urlencode()

    def describe(self, query: str) -> list[tuple[str, str]]:
        """The filter as the page lists it: (name, values) for each parameter."""
        params = QueryDict(query)
        return [
            (self.labels.get(name, name), ", ".join(params.getlist(name)))
            for name in params
            if name not in NOT_FILTERS
        ]


class BulkStart:
    """One bulk action's start page for one request: its audience's filter, counted on the
    platform, the page that asks for confirmation, and the job it starts."""

    def __init__(self, request: AuthedRequest, audience: Audience) -> None:
        self.request, self.audience = request, audience
        self.query = audience.canonical_query(request.GET)

    @property
    def posted(self) -> QueryDict | None:
        """The form's data on a POST, even an empty one (a confirmation has no fields: with
        `request.POST or None` it would never be bound), None on a GET."""
        return self.request.POST if self.request.method == "POST" else None

    @cached_property
    def counted(self) -> tuple[int | None, str]:
        """How many match now, or None and why the platform could not say."""
        try:
            return self.audience.count(platform_client(self.request), self.query), ""
        except PlatformCallFailed as error:
            return None, str(error)

    def started(self, kind: str, title: str, **params: Any) -> HttpResponse:
        """Create the job on this filter (with `params`), start it, and open its page."""
        job = create_job(self.request, kind, title, {"query": self.query, **params})
        return to_job_page(self.request, job)

    def page(
        self, *, form: forms.Form, heading: str, intro: str, submit: str, **extra: Any
    ) -> HttpResponse:
        """The confirmation page; after a POST (whose form did not pass), with its errors."""
        count, count_error = self.counted
        context = {
            "heading": heading,
            "intro": intro,
            "submit": submit,
            "form": form,
            "filters": self.audience.describe(self.query),
            "count": count,
            "count_error": count_error,
            "noun": self.audience.noun,
            "back": f"{reverse(self.audience.list_url_name)}?{self.query}",
            **extra,
        }
        status = 422 if self.request.method == "POST" else 200
        return render(self.request, PAGE, context, status=status)


def confirm_and_start(
    request: AuthedRequest, audience: Audience, kind: str, *, title: str, **page: str
) -> HttpResponse:
    """A bulk action that needs nothing but a confirmation: the page, then the job on POST."""
    bulk = BulkStart(request, audience)
    form = forms.Form(bulk.posted)
    if form.is_bound and form.is_valid():
        return bulk.started(kind, title)
    return bulk.page(form=form, **page)


def export_view(audience: Audience, kind: str) -> Callable[[AuthedRequest], HttpResponse]:
    """The start page of an export of everyone matching as CSV, for an area's urls.py: confirmed,
    then written by a job of `kind` (an exports.ExportKind)."""
    noun = audience.noun

    @require_http_methods(["GET", "POST"])
    @manager_required
    @sensitive_action  # personal data leaves the platform: the session is checked first
    def export(request: AuthedRequest) -> HttpResponse:
        return confirm_and_start(
            request,
            audience,
            kind,
            title=f"Export {noun}s",  # the job's stored name (and the audit's): English
            heading=EXPORT_TITLES.get(noun, f"Export {noun}s"),
            intro=EXPORT_INTROS.get(
                noun,
                f"Every {noun} matching the filter as a CSV file, fetched page by page; "
                "download it from the job page when it is ready.",
            ),
            submit=_("Export"),
        )

    return export


def create_job(
    request: AuthedRequest,
    kind: str,
    title: str,
    params: dict[str, Any],
    *,
    items: list[ItemSpec] | None = None,
    start: bool = True,
) -> Job:
    """The job of a bulk action, as the signed-in manager, audited as `bulk.<kind>` (what, on
    which filter or rows); its outcome is audited when it ends (`job.finish`). Without `items`
    the job collects its audience itself. Started unless `start` is False (a draft to review)."""
    with transaction.atomic():  # the job, all its items and its event, or nothing
        job = engine.create_job(
            kind=kind,
            title=title,
            tenant_id=request.user.tenant_id,
            created_by=request.user,
            params=params,
            sealed_token=sealed_sign_in(request.session),
            collected=items is not None,
        )
        if items:
            engine.add_items(job, items)
        record(
            request,
            f"bulk.{kind}",
            target=Target("job", str(job.pk), title),
            changes={name: [None, value] for name, value in params.items()},
        )
        if start:
            engine.start(job)  # its tasks are sent once this commits
    return job


def to_job_page(request: AuthedRequest, job: Job) -> HttpResponse:
    url = reverse("jobs:detail", args=[job.pk])
    return redirect_after_post(request, url)
