"""The "your preferences" page: settings that belong to the person, not to the workspace.

For now one: the time zone every page shows and reads times in, overriding the workspace's
(accounts.zones). Saving it is an audit event like any other change."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import vault, zones
from accounts.access import AuthedRequest, signed_in
from accounts.forms import PreferencesForm
from dashboard.audit.log import Target, record
from dashboard.lib.fragments import redirect_after_post


@signed_in
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["time_zone"]
        if chosen != user.time_zone:
            before, user.time_zone = user.time_zone, chosen
            user.save(update_fields=["time_zone"])
            record(
                request,
                "user.preferences",
                target=Target("user", str(user.pk), user.email),
                changes={"time_zone": [before, chosen]},
            )
        messages.success(request, f"Times are now shown in {chosen or 'the workspace’s zone'}.")
        return redirect_after_post(request, reverse("accounts:preferences"))
    context = {
        "form": form,
        "timezones": zones.iana_timezones(),
        "workspace_zone": vault.workspace_zone(request.session) or zones.UTC_NAME,
    }
    status = 422 if form.is_bound else 200
    return render(request, "accounts/preferences.html", context, status=status)
