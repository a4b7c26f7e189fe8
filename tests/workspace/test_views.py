"""The workspace page against the sandbox: every field saved and checked on the platform, invalid
input refused before any call, each platform failure shown in place, concurrent changes never
overwritten, access, and the audit event of each attempt."""

from typing import Any

import httpx
import pytest
import respx
from django.test import Client

from dashboard.audit.models import AuditEvent
from dashboard.platforms.connextlive import TenantResource
from dashboard.workspace import forms as workspace_forms
from dashboard.workspace.views import CONFLICT_ERROR, NOTHING_CHANGED, STALE_FORM
from tests.accounts.helpers import htmx_headers, platform_as
from tests.fixtures.sandbox import MANAGER_EMAIL, OTHER_EMAIL

pytestmark = pytest.mark.django_db

HTMX = htmx_headers("http://testserver/workspace/")
WORKSPACE_PATH = "/connextlive/api/tenant/workspace"


def truth(platform):
    return platform_as(platform, MANAGER_EMAIL).tenant.get_workspace()


def form_data(response) -> dict[str, str]:
    """What a browser posts for the form on this page, unchanged."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def edit(data: dict[str, str], **changes: Any) -> dict[str, str]:
    """The form data with changes (field names may hold dots: pass them as a dict)."""
    data = dict(data)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def save(client: Client, data: dict[str, str], *, htmx: bool = True):
    return client.post("/workspace/", data, headers=HTMX if htmx else {})


def loaded(client: Client) -> dict[str, str]:
    response = client.get("/workspace/")
    assert response.status_code == 200
    return form_data(response)


def puts(platform) -> list[dict]:
    return [r for r in platform.requests() if r["method"] == "PUT" and r["path"] == WORKSPACE_PATH]


def events(action="workspace.update"):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


@pytest.fixture
def sent_arguments(monkeypatch) -> list[dict]:
    """The keyword arguments the view gives `update_workspace` (the call itself still happens)."""
    calls: list[dict] = []
    original = TenantResource.update_workspace

    def spy(self, **kwargs):
        calls.append(kwargs)
        return original(self, **kwargs)

    monkeypatch.setattr(TenantResource, "update_workspace", spy)
    return calls


# --- the page ----------------------------------------------------------------------------------


def test_the_page_shows_every_documented_field_and_each_setting_by_type(manager_client, platform):
    workspace = truth(platform)

    response = manager_client.get("/workspace/")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"]["name"].value() == workspace.name
    assert f'value="{workspace.timezone}"' in html
    assert 'list="timezones"' in html and '<option value="Europe/Berlin">' in html
    for code in ("en", "tr", "de", "es"):
        assert f'<option value="{code}"' in html
    for section, values in workspace.settings.items():
        for key, value in values.items():
            name = f"settings.{section}.{key}"
            assert f'name="{name}"' in html
            if isinstance(value, bool):
                assert f'<input type="checkbox" name="{name}" role="switch"' in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_each_manager_sees_only_their_own_workspace(manager_client, other_client, platform):
    mine = truth(platform).name
    theirs = platform_as(platform, OTHER_EMAIL).tenant.get_workspace().name
    assert mine != theirs

    assert other_client.get("/workspace/").context["form"]["name"].value() == theirs
    assert manager_client.get("/workspace/").context["form"]["name"].value() == mine


# --- saving --------------------------------------------------------------------------------------


def test_a_manager_changes_every_setting_and_the_platform_has_it(
    manager_client, platform, sent_arguments
):
    before = truth(platform)
    data = loaded(manager_client)
    changes = {
        "name": "Acme Care",
        "company_name": "Acme Holdings",
        "contact_email": "care@acme.example",
        "language": "de",
        "timezone": "Europe/Berlin",
        "settings.notifications.visitorSound": not before.settings["notifications"]["visitorSound"],
        "settings.notifications.emailDigest": not before.settings["notifications"]["emailDigest"],
        "settings.widget.primaryColor": "#ff8800",
        "settings.widget.position": "bottom-left",
        "settings.widget.greeting": "Merhaba!",
        "settings.widget.showAgentAvatar": not before.settings["widget"]["showAgentAvatar"],
        "settings.widget.offlineMessage": "Back soon.",
    }

    response = save(manager_client, edit(data, **changes))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="workspace-form"' in html
    assert 'id="workspace-notice"' in html and "Saved:" in html
    after = truth(platform)
    assert (after.name, after.company_name, after.contact_email) == (
        "Acme Care",
        "Acme Holdings",
        "care@acme.example",
    )
    assert (after.language, after.timezone) == ("de", "Europe/Berlin")
    assert (
        after.settings["notifications"]["visitorSound"]
        is changes["settings.notifications.visitorSound"]
    )
    assert (
        after.settings["notifications"]["emailDigest"]
        is changes["settings.notifications.emailDigest"]
    )
    assert after.settings["widget"] == before.settings["widget"] | {
        "primaryColor": "#ff8800",
        "position": "bottom-left",
        "greeting": "Merhaba!",
        "showAgentAvatar": changes["settings.widget.showAgentAvatar"],
        "offlineMessage": "Back soon.",
    }
    # The fresh form in the answer shows what was saved, ready for the next change.
    assert response.context["form"]["timezone"].value() == "Europe/Berlin"
    (event,) = events()
    assert (event.outcome, event.actor_email, event.target_type, event.target_id) == (
        "success",
        MANAGER_EMAIL,
        "workspace",
        before.id,
    )
    assert event.changes["timezone"] == [before.timezone, "Europe/Berlin"]
    assert event.changes["settings.widget.greeting"] == [
        before.settings["widget"]["greeting"],
        "Merhaba!",
    ]
    assert len(event.changes) == len(changes)
    assert len(sent_arguments) == 1


def test_only_changed_keys_are_sent_and_settings_are_merged(
    manager_client, platform, sent_arguments
):
    before = truth(platform)
    flipped = not before.settings["notifications"]["agentSound"]

    response = save(
        manager_client,
        edit(loaded(manager_client), **{"settings.notifications.agentSound": flipped}),
    )

    assert response.status_code == 200
    assert sent_arguments == [{"settings": {"notifications": {"agentSound": flipped}}}]
    after = truth(platform)
    assert after.settings["notifications"] == before.settings["notifications"] | {
        "agentSound": flipped
    }
    assert after.settings["widget"] == before.settings["widget"]
    assert (after.name, after.timezone) == (before.name, before.timezone)


def test_an_unchanged_form_sends_nothing(manager_client, platform):
    data = loaded(manager_client)
    platform.clear_requests()

    response = save(manager_client, data)

    assert response.status_code == 200
    assert NOTHING_CHANGED in response.content.decode()
    assert puts(platform) == []
    assert events() == []


def test_a_rename_updates_the_workspace_name_in_the_top_bar_at_once(manager_client, platform):
    response = save(manager_client, edit(loaded(manager_client), name="Acme Care & Co"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="workspace-name"' in html and 'hx-swap-oob="true"' in html
    assert "Acme Care &amp; Co</span>" in html
    assert "Acme Care &amp; Co" in manager_client.get("/").content.decode()


def test_without_javascript_a_save_redirects_back_with_the_message(manager_client, platform):
    response = save(manager_client, edit(loaded(manager_client), timezone="Asia/Tokyo"), htmx=False)

    assert response.status_code == 303
    assert response["Location"] == "/workspace/"
    page = manager_client.get("/workspace/")
    assert "Saved: Time zone." in page.content.decode()
    assert truth(platform).timezone == "Asia/Tokyo"


# --- invalid input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"company_name": "y" * 201}, "company_name"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"language": "fr"}, "language"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"settings.widget.greeting": "z" * 501}, "settings.widget.greeting"),
        ({"settings.widget.primaryColor": "orange"}, "settings.widget.primaryColor"),
    ],
)
def test_invalid_input_is_refused_before_any_call(manager_client, platform, changes, field):
    data = loaded(manager_client)
    before = truth(platform)
    platform.clear_requests()

    response = save(manager_client, edit(data, **changes))

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert puts(platform) == []
    assert truth(platform) == before
    assert events() == []


def test_garbage_posts_never_fail(manager_client, platform):
    for data in ({}, {"snapshot": "x" * 10_000}, {"name": ["a", "b"], "snapshot": "\x00"}):
        response = manager_client.post("/workspace/", data, headers=HTMX)
        assert response.status_code == 200
        assert STALE_FORM in response.content.decode()
    assert events() == []


def test_a_tampered_snapshot_reloads_the_form_and_saves_nothing(manager_client, platform):
    data = loaded(manager_client)
    data["snapshot"] = data["snapshot"][:-3] + "abc"
    platform.clear_requests()

    response = save(manager_client, edit(data, name="Hijacked"))

    assert STALE_FORM in response.content.decode()
    assert response.context["form"]["name"].value() == truth(platform).name
    assert puts(platform) == []


def test_a_snapshot_from_another_accounts_form_is_not_accepted(
    manager_client, other_client, platform
):
    theirs = loaded(other_client)
    platform.clear_requests()

    response = save(manager_client, edit(theirs, name="Crossed over"))

    assert STALE_FORM in response.content.decode()
    assert puts(platform) == []
    assert truth(platform).name != "Crossed over"


# --- platform failures ---------------------------------------------------------------------------


def test_the_widget_position_is_a_choice_and_anything_else_is_refused_before_any_call(
    manager_client, platform
):
    page = manager_client.get("/workspace/").content.decode()
    select = page[page.index('name="settings.widget.position"') :]
    select = select[: select.index("</select>")]
    assert '<option value="bottom-right"' in select and "Bottom left" in select
    platform.clear_requests()

    response = save(
        manager_client, edit(loaded(manager_client), **{"settings.widget.position": "top-left"})
    )

    assert response.status_code == 422
    assert "Select a valid choice" in response.context["form"].errors["settings.widget.position"][0]
    assert not [r for r in platform.requests() if r["method"] == "PUT"]


def test_saved_names_the_fields_in_words(manager_client, platform):
    data = loaded(manager_client)

    response = save(
        manager_client,
        edit(data, company_name="Acme Ltd", **{"settings.widget.position": "bottom-left"}),
    )

    html = response.content.decode()
    assert "Saved: Company name, Chat widget: position." in html
    assert "companyName" not in html.split("Saved:")[1].split("</")[0]


def test_a_platform_400_lands_on_the_field_it_names(manager_client, platform, monkeypatch):
    # The form offers the positions the platform takes; without that choice, its 400 shows.
    monkeypatch.setattr(workspace_forms, "SETTING_CHOICES", {})
    before = truth(platform)

    response = save(
        manager_client, edit(loaded(manager_client), **{"settings.widget.position": "top-left"})
    )

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["settings.widget.position"]
    assert "bottom-right" in errors["settings.widget.position"][0]
    assert truth(platform) == before
    (event,) = events()
    assert event.outcome == "failure"
    assert "rejected" in event.error
    assert event.changes == {
        "settings.widget.position": [before.settings["widget"]["position"], "top-left"]
    }


@pytest.mark.parametrize(
    ("status", "answer", "words"),
    [
        (403, 403, "role does not allow"),
        (404, 404, "Not found"),
        (429, 429, "rate limiting"),
        (500, 503, "unavailable"),
    ],
)
def test_platform_failures_are_shown_in_place_and_audited(
    manager_client, platform, settings, status, answer, words
):
    settings.PLATFORM_MAX_RETRIES = 0
    data = loaded(manager_client)
    before = truth(platform)
    platform.set_faults(
        errorRate=1, errorStatus=status, retryAfter=3600, paths="/api/tenant/workspace"
    )

    response = save(manager_client, edit(data, timezone="Europe/Madrid"))

    assert response.status_code == answer
    html = response.content.decode()
    assert 'id="workspace-errors"' in html and words in html and "Nothing was saved" in html
    assert response.context["form"]["timezone"].value() == "Europe/Madrid"  # nothing retyped
    platform.clear_faults()
    assert truth(platform) == before
    (event,) = events()
    assert event.outcome == "failure" and words in event.error
    assert event.changes == {"timezone": [before.timezone, "Europe/Madrid"]}


def test_a_platform_timeout_is_shown_in_place_and_audited(manager_client, platform, settings):
    settings.PLATFORM_MAX_RETRIES = 0
    settings.PLATFORM_READ_TIMEOUT = 0.2
    data = loaded(manager_client)
    platform.set_faults(latencyMs=1000, paths="/api/tenant/workspace")

    response = save(manager_client, edit(data, timezone="Europe/Madrid"))

    assert response.status_code == 503
    assert "timeout" in response.content.decode()
    (event,) = events()
    assert event.outcome == "failure" and "timeout" in event.error


def test_an_update_whose_answer_is_lost_may_have_been_saved_and_saving_again_is_safe(
    manager_client, platform
):
    data = edit(loaded(manager_client), timezone="Europe/Madrid")
    # The sandbox delays a path, not a method: respx stands in for the lost answer to the PUT
    # alone, while the re-read still reaches the sandbox.
    with respx.mock(assert_all_called=False) as mock:
        mock.put(url__regex=r"/api/tenant/workspace$").mock(side_effect=httpx.ReadTimeout("slow"))
        mock.route().pass_through()
        response = save(manager_client, data)

    assert response.status_code == 503
    assert "may or may not have been saved" in response.content.decode()
    # Suppose it had arrived: the platform already holds the value, which is no conflict.
    platform_as(platform, MANAGER_EMAIL).tenant.update_workspace(timezone="Europe/Madrid")
    again = save(manager_client, data)

    assert again.status_code == 200
    assert "Saved: Time zone." in again.content.decode()
    assert [e.outcome for e in events()] == ["failure", "success"]


def test_a_revoked_platform_sign_in_signs_the_manager_out(manager_client, platform):
    data = loaded(manager_client)
    platform.revoke_tokens(MANAGER_EMAIL)

    response = save(manager_client, edit(data, timezone="Europe/Madrid"))

    assert response.status_code == 200 and response["HX-Redirect"].startswith("/login/")
    (event,) = events()
    assert event.outcome == "failure"


# --- concurrent changes --------------------------------------------------------------------------


def test_a_change_made_elsewhere_is_shown_not_overwritten(manager_client, platform):
    data = loaded(manager_client)
    elsewhere = platform_as(platform, MANAGER_EMAIL).tenant
    elsewhere.update_workspace(name="Renamed elsewhere", settings={"widget": {"greeting": "Yo"}})

    response = save(manager_client, edit(data, timezone="Europe/Rome"))

    html = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT_ERROR in html
    conflicts = {c.field: c for c in response.context["conflicts"]}
    assert set(conflicts) == {"Workspace name", "Chat widget: greeting"}
    renamed = conflicts["Workspace name"]
    assert renamed.current == "Renamed elsewhere" and renamed.yours is None
    assert "Renamed elsewhere" in html
    after = truth(platform)
    assert (after.name, after.timezone) == ("Renamed elsewhere", truth(platform).timezone)
    assert after.timezone != "Europe/Rome"
    (event,) = events()
    assert (event.outcome, event.error) == ("failure", CONFLICT_ERROR)

    # The form now holds the platform's values with this manager's change on top: saving it
    # again applies the change and keeps what was done elsewhere.
    again = form_data(response)
    assert again["name"] == "Renamed elsewhere" and again["timezone"] == "Europe/Rome"
    saved = save(manager_client, again)

    assert "Saved: Time zone." in saved.content.decode()
    final = truth(platform)
    assert (final.name, final.timezone) == ("Renamed elsewhere", "Europe/Rome")
    assert final.settings["widget"]["greeting"] == "Yo"
    assert [e.outcome for e in events()] == ["failure", "success"]


def test_when_both_changed_the_same_field_the_managers_value_is_kept_for_review(
    manager_client, platform
):
    data = loaded(manager_client)
    platform_as(platform, MANAGER_EMAIL).tenant.update_workspace(name="Theirs")

    response = save(manager_client, edit(data, name="Mine"))

    (conflict,) = response.context["conflicts"]
    assert (conflict.field, conflict.current, conflict.yours) == (
        "Workspace name",
        "Theirs",
        "Mine",
    )
    assert response.context["form"]["name"].value() == "Mine"
    assert truth(platform).name == "Theirs"


# --- access --------------------------------------------------------------------------------------


def test_agents_get_403_and_change_nothing(agent_client, platform):
    before = truth(platform)
    platform.clear_requests()

    page = agent_client.get("/workspace/")
    post = agent_client.post("/workspace/", {"name": "Agent was here"}, headers=HTMX)

    assert page.status_code == post.status_code == 403
    assert puts(platform) == []
    assert truth(platform) == before
    assert events() == []
