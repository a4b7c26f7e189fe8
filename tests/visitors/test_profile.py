"""A visitor's profile: every field, tags as chips (add/remove replace the whole array), notes,
deletion behind re-authentication; each change checked on the platform and in the audit log."""

from unittest import mock

import pytest
from django.utils.html import escape

from dashboard.audit.models import AuditEvent
from dashboard.platforms.connextlive import TenantResource
from dashboard.platforms.errors import PlatformForbidden, PlatformUnavailable
from dashboard.visitors.forms import fingerprint
from tests.accounts.helpers import platform_as
from tests.apikeys.helpers import confirm_password, forget_confirmation
from tests.fixtures import sandbox as sandbox_fixtures
from tests.visitors.helpers import calls_to, detail_links, htmx

pytestmark = pytest.mark.django_db

PATCHES = r"/api/tenant/visitors/[^/]+$"


def truth(platform):
    return platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant


@pytest.fixture
def jane(console_platform):
    return truth(console_platform).list_visitors(search="jane.cooper@example.net").items[0]


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("created_at"))


# --- the page -----------------------------------------------------------------------------


def test_the_profile_shows_every_metadata_field(manager_client, jane):
    html = manager_client.get(f"/visitors/{jane.id}/").content.decode()

    for value in (
        jane.user_name,
        jane.user_email,
        jane.ip,
        jane.country,
        jane.city,
        jane.site.name,
        jane.browser,
        jane.os,
        jane.device,
        jane.current_page,
        jane.referrer,
        jane.id,
    ):
        if value:
            assert escape(value) in html, value
    for system, external_id in jane.external_ids.items():
        assert escape(system) in html and escape(external_id) in html
    assert "Online now" in html


def test_the_profile_lists_the_visitors_conversations(manager_client, console_platform):
    conversation = truth(console_platform).list_conversations(status="all", limit=1).items[0]

    html = manager_client.get(f"/visitors/{conversation.visitor_id}/").content.decode()

    assert f'href="/conversations/{conversation.id}/"' in html


def test_a_page_or_url_from_the_visitor_is_never_a_link(manager_client, jane):
    html = manager_client.get(f"/visitors/{jane.id}/").content.decode()

    assert f'href="{escape(jane.current_page)}"' not in html


def test_another_workspaces_visitor_is_not_found(other_client, jane):
    assert other_client.get(f"/visitors/{jane.id}/").status_code == 404


def test_an_unknown_or_malformed_id_is_not_found(manager_client, console_platform):
    assert manager_client.get("/visitors/vis_nope/").status_code == 404
    assert manager_client.get(f"/visitors/{'x' * 80}/").status_code == 404
    assert manager_client.get("/visitors/..%2F..%2Fapi/").status_code == 404


def test_agents_see_the_profile_read_only(agent_client, jane):
    html = agent_client.get(f"/visitors/{jane.id}/").content.decode()

    assert "Jane Cooper" in html
    assert 'name="add"' not in html and 'name="notes"' not in html and "Delete visitor" not in html


# --- tags ---------------------------------------------------------------------------------


def test_adding_a_tag_replaces_the_array_with_it_appended(manager_client, console_platform, jane):
    response = manager_client.post(
        f"/visitors/{jane.id}/tags/", {"add": "  follow up  "}, headers=htmx("visitor-tags")
    )

    assert response.status_code == 200
    assert truth(console_platform).get_visitor(jane.id).tags == [*jane.tags, "follow up"]
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="visitor-tags"')
    assert 'value="follow up"' in html  # the new chip, with its remove button
    (event,) = events("visitor.tags")
    assert event.outcome == "success" and event.target_id == jane.id
    assert event.changes == {"tags": [jane.tags, [*jane.tags, "follow up"]]}
    assert event.actor_email == sandbox_fixtures.MANAGER_EMAIL


def test_removing_a_tag_sends_the_rest(manager_client, console_platform, jane):
    manager_client.post(f"/visitors/{jane.id}/tags/", {"remove": "vip"}, headers=htmx("x"))

    assert truth(console_platform).get_visitor(jane.id).tags == [t for t in jane.tags if t != "vip"]


def test_a_tag_edit_applies_to_the_current_tags_not_the_pages_copy(
    manager_client, console_platform, jane
):
    truth(console_platform).update_visitor(jane.id, tags=["added elsewhere"])

    manager_client.post(f"/visitors/{jane.id}/tags/", {"add": "mine"}, headers=htmx("x"))

    assert truth(console_platform).get_visitor(jane.id).tags == ["added elsewhere", "mine"]


def test_adding_a_tag_it_has_sends_nothing(manager_client, console_platform, jane):
    console_platform.clear_requests()

    response = manager_client.post(f"/visitors/{jane.id}/tags/", {"add": "vip"}, headers=htmx("x"))

    assert response.status_code == 200
    assert calls_to(console_platform, "PATCH", PATCHES) == []


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"add": ""}, "Type a tag to add."),
        ({"add": "x" * 101}, "at most 100 characters"),
        ({"add": "bad\x07tag"}, "control characters"),
    ],
)
def test_an_invalid_tag_is_refused_before_any_call(
    manager_client, console_platform, jane, posted, message
):
    console_platform.clear_requests()

    response = manager_client.post(f"/visitors/{jane.id}/tags/", posted, headers=htmx("x"))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert calls_to(console_platform, "PATCH", PATCHES) == []
    assert events("visitor.tags") == []


def test_a_visitor_has_at_most_fifty_tags(manager_client, console_platform, jane):
    truth(console_platform).update_visitor(jane.id, tags=[f"t{i}" for i in range(50)])

    response = manager_client.post(f"/visitors/{jane.id}/tags/", {"add": "one more"})

    assert response.status_code == 400
    assert "at most 50 tags" in response.content.decode()


def failing(method: str, error: Exception):
    """The sandbox's faults match paths, not methods, and a save first reads the visitor at the
    same path: a failure of the write alone is injected in the client instead."""
    return mock.patch.object(TenantResource, method, autospec=True, side_effect=error)


def test_a_platform_failure_on_save_is_shown_and_audited(manager_client, console_platform, jane):
    with failing("update_visitor", PlatformUnavailable("error 500", status=500)):
        response = manager_client.post(
            f"/visitors/{jane.id}/tags/", {"add": "new"}, headers=htmx("visitor-tags")
        )

    assert response.status_code == 422
    assert "The platform is unavailable right now" in response.content.decode()
    assert truth(console_platform).get_visitor(jane.id).tags == jane.tags
    (event,) = events("visitor.tags")
    assert event.outcome == "failure" and "unavailable" in event.error


def test_without_javascript_a_tag_edit_redirects_back_to_the_profile(manager_client, jane):
    response = manager_client.post(f"/visitors/{jane.id}/tags/", {"add": "plain"})

    assert response.status_code == 303
    assert response["Location"] == f"/visitors/{jane.id}/"
    assert "Tags saved." in manager_client.get(response["Location"]).content.decode()


def test_agents_cannot_edit_tags(agent_client, console_platform, jane):
    console_platform.clear_requests()

    response = agent_client.post(f"/visitors/{jane.id}/tags/", {"add": "x"})

    assert response.status_code == 403
    assert calls_to(console_platform, "PATCH", PATCHES) == []


# --- notes --------------------------------------------------------------------------------


def test_saving_notes(manager_client, console_platform, jane):
    response = manager_client.post(
        f"/visitors/{jane.id}/notes/",
        {"notes": "Prefers email.\r\nCall after 5pm.", "seen": fingerprint(jane.notes or "")},
        headers=htmx("visitor-notes"),
    )

    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    assert truth(console_platform).get_visitor(jane.id).notes == "Prefers email.\nCall after 5pm."
    (event,) = events("visitor.notes")
    assert event.changes == {"notes": [jane.notes, "Prefers email.\nCall after 5pm."]}


def test_notes_changed_by_someone_else_are_not_overwritten(manager_client, console_platform, jane):
    truth(console_platform).update_visitor(jane.id, notes="Theirs")

    response = manager_client.post(
        f"/visitors/{jane.id}/notes/",
        {"notes": "Mine", "seen": fingerprint(jane.notes or "")},
        headers=htmx("visitor-notes"),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Someone changed these notes" in html and "Theirs" in html and "Mine</textarea>" in html
    assert truth(console_platform).get_visitor(jane.id).notes == "Theirs"
    # Saving again, having seen their version, goes through.
    again = manager_client.post(
        f"/visitors/{jane.id}/notes/",
        {"notes": "Mine", "seen": fingerprint("Theirs")},
        headers=htmx("visitor-notes"),
    )
    assert again.status_code == 200
    assert truth(console_platform).get_visitor(jane.id).notes == "Mine"


def test_notes_longer_than_the_platform_allows_are_refused(manager_client, console_platform, jane):
    console_platform.clear_requests()

    response = manager_client.post(
        f"/visitors/{jane.id}/notes/",
        {"notes": "x" * 10_001, "seen": fingerprint(jane.notes or "")},
        headers=htmx("visitor-notes"),
    )

    assert response.status_code == 422
    assert calls_to(console_platform, "PATCH", PATCHES) == []


# --- deletion -----------------------------------------------------------------------------


def test_the_confirmation_names_the_visitor(manager_client, jane):
    page = manager_client.get(f"/visitors/{jane.id}/delete/").content.decode()
    fragment = manager_client.get(
        f"/visitors/{jane.id}/delete/", headers=htmx("visitor-delete")
    ).content.decode()

    for html in (page, fragment):
        assert 'Delete <strong class="text-break">Jane Cooper</strong>' in html


def test_deleting_needs_a_recent_password(manager_client, console_platform, jane):
    forget_confirmation(manager_client)

    response = manager_client.post(f"/visitors/{jane.id}/delete/")

    assert response.status_code == 303
    assert response["Location"] == f"/confirm/?next=%2Fvisitors%2F{jane.id}%2Fdelete%2F"
    assert truth(console_platform).get_visitor(jane.id).id == jane.id  # not deleted
    assert events("visitor.delete") == []


def test_an_htmx_delete_without_a_recent_password_is_an_htmx_redirect(manager_client, jane):
    forget_confirmation(manager_client)

    response = manager_client.post(
        f"/visitors/{jane.id}/delete/",
        headers=htmx("visitor-delete", f"http://testserver/visitors/{jane.id}/"),
    )

    assert response["HX-Redirect"] == f"/confirm/?next=%2Fvisitors%2F{jane.id}%2F"


def test_deleting_after_confirming_the_password(manager_client, console_platform, jane):
    forget_confirmation(manager_client)
    confirm_password(manager_client)

    response = manager_client.post(f"/visitors/{jane.id}/delete/", headers=htmx("visitor-delete"))

    assert response["HX-Redirect"] == "/visitors/"
    listed = detail_links(manager_client.get("/visitors/?search=jane").content.decode(), "visitors")
    assert jane.id not in listed
    assert manager_client.get(f"/visitors/{jane.id}/").status_code == 404
    (event,) = events("visitor.delete")
    assert event.outcome == "success" and event.target_label == "Jane Cooper"


def test_a_failed_delete_is_shown_in_place_and_audited(manager_client, console_platform, jane):
    confirm_password(manager_client)

    with failing("delete_visitor", PlatformForbidden("Forbidden", status=403)):
        response = manager_client.post(
            f"/visitors/{jane.id}/delete/", headers=htmx("visitor-delete")
        )

    assert response.status_code == 422
    assert "Your platform role does not allow this" in response.content.decode()
    (event,) = events("visitor.delete")
    assert event.outcome == "failure"


def test_agents_cannot_delete(agent_client, jane):
    assert agent_client.post(f"/visitors/{jane.id}/delete/").status_code == 403


def test_a_platform_failure_while_reading_the_visitor_is_the_banner(
    manager_client, console_platform, jane
):
    console_platform.set_faults(errorRate=1, errorStatus=500, paths=PATCHES)

    response = manager_client.get(f"/visitors/{jane.id}/")

    assert response.status_code == 503
    assert "Connextlive could not complete this request" in response.content.decode()


def test_a_tag_spelt_like_an_existing_one_but_for_case_gets_a_hint_first(
    manager_client, console_platform
):
    api = truth(console_platform)
    assert api.list_visitors(tags=["vip"]).items  # the seed's spelling is "vip"
    other = next(v for v in api.iter_visitors() if "vip" not in v.tags and len(v.tags) < 10)
    manager_client.get("/visitors/?limit=100")  # the workspace's tags, as the list has seen them
    url = f"/visitors/{other.id}/tags/"
    console_platform.clear_requests()

    asked = manager_client.post(url, {"add": "VIP"}, headers=htmx("visitor-tags"))

    html = asked.content.decode()
    assert 'id="tag-case-hint"' in html
    assert "already has the tag “vip”" in html and "Add “VIP” anyway" in html
    assert calls_to(console_platform, "PATCH", PATCHES) == []  # nothing saved yet

    used = manager_client.post(
        url, {"add": "VIP", "use_existing": "on"}, headers=htmx("visitor-tags")
    )
    assert used.status_code == 200
    assert api.get_visitor(other.id).tags == [*other.tags, "vip"]

    anyway = manager_client.post(
        url, {"add": "Vip", "same_case_ok": "on"}, headers=htmx("visitor-tags")
    )
    assert anyway.status_code == 200 and 'id="tag-case-hint"' not in anyway.content.decode()
    assert api.get_visitor(other.id).tags == [*other.tags, "vip", "Vip"]
