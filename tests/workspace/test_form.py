"""The workspace form and its snapshot, without a platform: fields by JSON type, validation,
what counts as a change, and the signed snapshot."""

from datetime import UTC, datetime

from django.core import signing

from dashboard.platforms.connextlive_records import Workspace
from dashboard.workspace.forms import WorkspaceForm, humanize, initial_values
from dashboard.workspace.snapshot import Snapshot, differences, nested_patch

SETTINGS = {
    "notifications": {"visitorSound": True, "agentSound": False, "emailDigest": False},
    "widget": {
        "primaryColor": "#1F6FEB",
        "position": "bottom-right",
        "greeting": "Hi!",
        "offlineMessage": None,
        "maxFiles": 5,
        "opacity": 0.9,
        "allowedPages": ["/", "/pricing"],
        "theme": {"font": "Inter", "rounded": True},
    },
}


def workspace(**overrides) -> Workspace:
    fields = {
        "id": "wsp_1",
        "name": "Acme",
        "company_name": "Acme Ltd",
        "contact_email": "Support@Acme.example",
        "language": "en",
        "timezone": "UTC",
        "settings": SETTINGS,
        "created_at": datetime(2026, 11, 1, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 21, tzinfo=UTC),
    } | overrides
    return Workspace(**fields)


def form_for(ws: Workspace, data=None) -> WorkspaceForm:
    snapshot = Snapshot.of(ws)
    return WorkspaceForm(data, snapshot=snapshot, signed_snapshot=snapshot.sign(1))


def submitted(ws: Workspace, **changes) -> dict:
    """What a browser posts for the form unchanged, with `changes` applied (True/False for
    switches: an unchecked box is simply absent)."""
    form = form_for(ws)
    data = {}
    for name in form.fields:
        value = changes.get(name, form[name].value())
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def test_each_setting_becomes_a_field_of_its_json_type():
    fields = form_for(workspace()).fields

    assert fields["settings.notifications.visitorSound"].widget.input_type == "checkbox"
    assert fields["settings.notifications.visitorSound"].widget.attrs["role"] == "switch"
    assert fields["settings.widget.primaryColor"].widget.input_type == "color"
    assert type(fields["settings.widget.maxFiles"]).__name__ == "IntegerField"
    assert type(fields["settings.widget.opacity"]).__name__ == "FloatField"
    assert fields["settings.widget.greeting"].widget.input_type == "text"
    assert "settings.widget.theme.font" in fields  # nested objects recurse
    assert "settings.widget.allowedPages" not in fields  # a list is shown, not edited


def test_the_settings_tree_groups_fields_as_the_object_nests():
    tree = form_for(workspace()).settings_tree

    assert [item.label for item in tree.items] == ["Notifications", "Chat widget"]
    widget = tree.items[1]
    kinds = {getattr(item, "label", None) or item.field.label: item.kind for item in widget.items}
    assert kinds["Theme"] == "group"
    assert kinds["Allowed pages"] == "readonly"
    assert kinds["Greeting"] == "field"


def test_an_unchanged_form_changes_nothing():
    ws = workspace()
    form = form_for(ws, submitted(ws))

    assert form.is_valid(), form.errors
    assert form.changed_values() == {}


def test_only_what_the_manager_changed_is_a_change():
    ws = workspace()
    data = submitted(
        ws,
        timezone="Europe/Berlin",
        **{"settings.notifications.visitorSound": False, "settings.widget.theme.font": "Lato"},
    )
    form = form_for(ws, data)

    assert form.is_valid(), form.errors
    assert form.changed_values() == {
        ("timezone",): ("UTC", "Europe/Berlin"),
        ("settings", "notifications", "visitorSound"): (True, False),
        ("settings", "widget", "theme", "font"): ("Inter", "Lato"),
    }


def test_a_colour_picker_answering_in_lower_case_is_not_a_change():
    ws = workspace()
    form = form_for(ws, submitted(ws, **{"settings.widget.primaryColor": "#1f6feb"}))

    assert form.is_valid(), form.errors
    assert form.changed_values() == {}


def test_a_null_setting_left_blank_stays_null_and_text_areas_lose_their_crlf():
    ws = workspace(settings={"widget": {"offlineMessage": None, "note": "a\nb" + "x" * 80}})
    data = submitted(ws, **{"settings.widget.note": "a\r\nb" + "x" * 80})
    form = form_for(ws, data)

    assert form.is_valid(), form.errors
    assert form.changed_values() == {}


def test_invalid_inputs_are_caught_before_any_call():
    ws = workspace()
    data = submitted(
        ws,
        name="",
        contact_email="not-an-email",
        language="fr",
        timezone="Mars/Olympus",
        **{"settings.widget.maxFiles": "many", "settings.widget.greeting": "x" * 501},
    )
    form = form_for(ws, data)

    assert not form.is_valid()
    assert set(form.errors) == {
        "name",
        "contact_email",
        "language",
        "timezone",
        "settings.widget.maxFiles",
        "settings.widget.greeting",
    }
    rendered = form["timezone"].as_field_group()
    assert 'class="form-control is-invalid"' in rendered
    assert 'aria-invalid="true"' in rendered and 'id="id_timezone_error"' in rendered


def test_a_name_longer_than_the_platform_allows_is_refused():
    ws = workspace()
    form = form_for(ws, submitted(ws, name="x" * 101, company_name="y" * 201))

    assert not form.is_valid()
    assert set(form.errors) == {"name", "company_name"}


def test_platform_errors_land_on_the_fields_they_name():
    ws = workspace()
    form = form_for(ws, submitted(ws))
    assert form.is_valid()

    form.add_platform_error("contactEmail", "Invalid email address")
    form.add_platform_error("settings", "settings.widget.position: expected 'bottom-right'")
    form.add_platform_error("settings", "settings: at most 65536 bytes of JSON")
    form.add_platform_error("somethingNew", "Bad")

    assert form.errors["contact_email"] == ["Invalid email address"]
    assert form.errors["settings.widget.position"] == ["Expected 'bottom-right'"]
    assert form.non_field_errors() == [
        "settings: settings: at most 65536 bytes of JSON",
        "somethingNew: Bad",
    ]


def test_keys_that_are_not_plain_names_are_shown_but_never_fields():
    ws = workspace(settings={"widget": {"a.b": True, "<script>": "x", "ok": True}})
    form = form_for(ws)

    assert [name for name in form.fields if name.startswith("settings.")] == ["settings.widget.ok"]


def test_the_snapshot_round_trips_and_refuses_tampering_and_other_users():
    snapshot = Snapshot.of(workspace())
    token = snapshot.sign(user_id=7)

    assert Snapshot.unsign(token, user_id=7) == snapshot
    assert Snapshot.unsign(token, user_id=8) is None
    assert Snapshot.unsign(token[:-2] + "xx", user_id=7) is None
    assert Snapshot.unsign("", user_id=7) is None
    assert Snapshot.unsign("garbage:::", user_id=7) is None
    forged = signing.dumps(["not", "a", "dict"], salt="workspace.snapshot:7", compress=True)
    assert Snapshot.unsign(forged, user_id=7) is None


def test_differences_name_changed_added_and_removed_leaves():
    before = Snapshot.of(workspace()).leaves()
    after_settings = {**SETTINGS, "widget": {"greeting": "Hello"}, "new": {"flag": True}}
    after = Snapshot.of(workspace(name="Acme 2", settings=after_settings)).leaves()

    moved = differences(before, after)

    assert moved[("name",)] == ("Acme", "Acme 2")
    assert moved[("settings", "widget", "greeting")] == ("Hi!", "Hello")
    assert moved[("settings", "new", "flag")] == (None, True)
    assert moved[("settings", "widget", "position")] == ("bottom-right", None)
    assert ("settings", "notifications", "visitorSound") not in moved


def test_the_patch_holds_only_the_changed_keys_nested():
    patch = nested_patch(
        {("timezone",): "UTC", ("settings", "widget", "greeting"): "Hi", ("settings", "a", "b"): 1}
    )

    assert patch == {"timezone": "UTC", "settings": {"widget": {"greeting": "Hi"}, "a": {"b": 1}}}


def test_labels_and_initial_values():
    assert humanize("emailOnNewConversation") == "Email on a new conversation"  # a known one
    assert humanize("emailOnNewThing") == "Email on new thing"
    assert humanize("show_agent_avatar") == "Show agent avatar"
    initial = initial_values(Snapshot.of(workspace()))
    assert initial["contact_email"] == "Support@Acme.example"
    assert initial["settings.widget.theme.rounded"] is True
