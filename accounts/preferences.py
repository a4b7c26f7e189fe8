"""The "your preferences" page: settings that belong to the person, not to the workspace.

The language of the console and the time zone every page shows and reads times in, each
overriding the workspace's (accounts.languages, accounts.zones). Saving them is an audit event
like any other change."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import languages, vault, zones
from accounts.access import AuthedRequest, signed_in
from accounts.forms import PreferencesForm
from dashboard.audit.log import Target, record
from dashboard.lib.fragments import redirect_after_post


@signed_in
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    user = request.user
    workspace_language = languages.supported(vault.workspace_language(request.session))
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": user.time_zone, "language": user.language},
        workspace_language=workspace_language,
    )
    if request.method == "POST" and form.is_valid():
        chosen = {name: form.cleaned_data[name] for name in ("language", "time_zone")}
        changes = {
            name: [getattr(user, name), value]
            for name, value in chosen.items()
            if value != getattr(user, name)
        }
        if changes:
            for name, (_before, after) in changes.items():
                setattr(user, name, after)
            user.save(update_fields=list(changes))
            record(
                request,
                "user.preferences",
                target=Target("user", str(user.pk), user.email),
                changes=changes,
            )
        # Said in the language just chosen: it is the one the next page is in.
        translation.activate(languages.language_for(user, request.session, request))
        zone = chosen["time_zone"] or _("the workspace’s zone")
        messages.success(request, _("Saved. Times are now shown in %(zone)s.") % {"zone": zone})
        return redirect_after_post(request, reverse("accounts:preferences"))
    context = {
        "form": form,
        "timezones": zones.iana_timezones(),
        "workspace_zone": vault.workspace_zone(request.session) or zones.UTC_NAME,
    }
    status = 422 if form.is_bound else 200
    return render(request, "accounts/preferences.html", context, status=status)
