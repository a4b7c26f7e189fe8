"""The keys pages against the sandbox: list, create, revoke, rotate, keep, revoke now, access."""

from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx
from django.utils import timezone

from dashboard.apikeys.models import KeyRotation
from dashboard.audit.models import AuditEvent
from tests.apikeys.helpers import (
    create_key,
    forget_confirmation,
    key_named,
    keys_on_platform,
    plain_keys_in,
    rotate_key,
    submission_of,
)
from tests.fixtures import sandbox as sandbox_fixtures
from tests.fixtures.console import shown_time_zone

pytestmark = pytest.mark.django_db

State = KeyRotation.State


def html_of(response) -> str:
    return response.content.decode()


# --- list --------------------------------------------------------------------------------------


def test_the_list_shows_each_key_by_name_prefix_domains_and_status(keys_manager, platform):
    create_key(keys_manager, name="Docs site", domains="docs.example.com\n*.help.example.com")
    key = key_named(platform, "Docs site")

    html = html_of(keys_manager.get("/keys/"))

    row = html[html.index(f'id="key-{key.id}"') :]
    row = row[: row.index("</tr>")]
    assert "Docs site" in row
    assert key.key_prefix.startswith("cxl_")
    assert f">{key.key_prefix}…</code>" in row  # the prefix the site owner knows, not a hash
    assert key.key_hash[:12] not in row
    assert "docs.example.com" in row and "*.help.example.com" in row
    assert "Active" in row
    assert not plain_keys_in(html)


def test_an_htmx_refresh_gets_the_table_and_the_alerts_alone(keys_manager):
    response = keys_manager.get("/keys/", headers={"HX-Request": "true"})
    html = html_of(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="keys-table"')
    assert 'id="rotation-alerts" hx-swap-oob="true"' in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_agents_get_403_on_every_keys_page(agent_client):
    for url in ("/keys/", "/keys/new/", "/keys/key_x/rotate/", "/keys/key_x/revoke/"):
        assert agent_client.get(url).status_code == 403, url
    assert agent_client.post("/keys/rotations/1/keep/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, console_platform):
    response = client.get("/keys/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- create ------------------------------------------------------------------------------------


def test_creating_shows_the_plain_key_once_on_a_no_store_page(keys_manager, platform):
    response, plain_key = create_key(keys_manager, name="Shop", domains="shop.example.com")

    html = html_of(response)
    assert "only time this key is shown" in html
    assert f'data-key="{plain_key}"' in html  # the widget snippet
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "no-cache" in cache_control
    key = key_named(platform, "Shop")
    assert key.status == "ACTIVE"
    assert key.domains == ("shop.example.com",)


def test_reloading_the_page_that_showed_the_key_creates_no_second_key(keys_manager, platform):
    data = {"name": "Once", "domains": "once.example.com", "status": "ACTIVE"}
    data["submission"] = submission_of(keys_manager)
    first = keys_manager.post("/keys/new/", data)
    assert len(plain_keys_in(html_of(first))) >= 1

    again = keys_manager.post("/keys/new/", data)  # the browser's "resend the form"

    assert "This form was already sent" in html_of(again)
    assert not plain_keys_in(html_of(again))
    assert len([k for k in keys_on_platform(platform).values() if k.name == "Once"]) == 1


def test_creating_is_audited_without_the_key(keys_manager, platform):
    _, plain_key = create_key(keys_manager, name="Audited", domains="a.example.com")
    key = key_named(platform, "Audited")

    event = AuditEvent.objects.get(action="apikey.create")
    assert event.outcome == "success"
    assert event.target_id == key.id and event.target_label == "Audited"
    assert event.changes["domains"] == [None, ["a.example.com"]]
    assert plain_key not in str(event.changes) + event.error + event.target_label


def test_an_inactive_key_can_be_created(keys_manager, platform):
    create_key(keys_manager, name="Staging", domains="staging.example.com", status="INACTIVE")
    assert key_named(platform, "Staging").status == "INACTIVE"


def test_bad_domains_are_refused_before_calling_the_platform(keys_manager, platform):
    platform.clear_requests()
    response = keys_manager.post(
        "/keys/new/",
        {"name": "Shop", "domains": "https://shop.example.com/checkout", "status": "ACTIVE"},
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "has a path" in html
    assert not [r for r in platform.requests() if r["method"] == "POST" and "api-keys" in r["path"]]
    assert not plain_keys_in(html)


def test_names_over_100_characters_are_refused(keys_manager, platform):
    before = len(keys_on_platform(platform))
    response = keys_manager.post(
        "/keys/new/", {"name": "n" * 101, "domains": "shop.example.com", "status": "ACTIVE"}
    )
    assert "at most 100 characters" in html_of(response)
    assert len(keys_on_platform(platform)) == before


def test_a_platform_error_is_shown_in_place_and_audited_as_a_failure(keys_manager, platform):
    submission = submission_of(keys_manager)
    platform.set_faults(errorRate=1, errorStatus=500, paths="api-keys")
    response = keys_manager.post(
        "/keys/new/",
        {
            "name": "Shop",
            "domains": "shop.example.com",
            "status": "ACTIVE",
            "submission": submission,
        },
    )
    platform.clear_faults()
    html = html_of(response)
    assert response.status_code == 200
    assert "Connextlive did not create the key" in html
    assert 'value="Shop"' in html  # what was typed stays
    event = AuditEvent.objects.get(action="apikey.create")
    assert event.outcome == "failure" and event.error


def test_a_platform_400_lands_on_the_field_it_names(keys_manager, settings):
    # The sandbox accepts whatever our form lets through, so the platform's own field error is
    # produced here with respx (an edge case the sandbox cannot be asked for).
    body = {
        "statusCode": 400,
        "statusMessage": "Validation failed",
        "data": {"fieldErrors": {"domains": ["Domain not allowed"]}, "formErrors": []},
    }
    data = {"name": "Shop", "domains": "shop.example.com", "status": "ACTIVE"}
    data["submission"] = submission_of(keys_manager)
    with respx.mock(base_url=settings.PLATFORM_URL, assert_all_called=False) as mock:
        mock.post("/api/tenant/api-keys").mock(return_value=httpx.Response(400, json=body))
        # The session check of a sensitive action still asks the sandbox.
        mock.get("/api/tenant/workspace").pass_through()
        response = keys_manager.post("/keys/new/", data)
    html = html_of(response)
    assert response.status_code == 200
    assert "Domain not allowed" in html
    assert 'id="id_domains_error"' in html


# --- revoke ------------------------------------------------------------------------------------


def test_the_revoke_confirmation_names_the_key_and_the_domains_that_stop(keys_manager, platform):
    create_key(keys_manager, name="Blog", domains="blog.example.com\nnews.example.com")
    key = key_named(platform, "Blog")

    html = html_of(keys_manager.get(f"/keys/{key.id}/revoke/"))

    assert "Revoke “Blog”?" in html
    consequences = html[html.index('id="revoke-consequences"') :]
    assert "blog.example.com" in consequences and "news.example.com" in consequences
    assert key.id in keys_on_platform(platform)  # asking is not revoking


def test_revoking_deletes_the_key_on_the_platform_and_audits_it(keys_manager, platform):
    create_key(keys_manager, name="Old", domains="old.example.com")
    key = key_named(platform, "Old")

    response = keys_manager.post(f"/keys/{key.id}/revoke/")

    assert response.status_code == 303 and response["Location"] == "/keys/"
    assert key.id not in keys_on_platform(platform)
    event = AuditEvent.objects.get(action="apikey.revoke")
    assert event.outcome == "success" and event.target_id == key.id
    assert "is revoked" in html_of(keys_manager.get("/keys/"))


def test_revoking_a_key_that_is_gone_says_so(keys_manager, platform):
    create_key(keys_manager, name="Gone", domains="gone.example.com")
    key = key_named(platform, "Gone")
    keys_manager.post(f"/keys/{key.id}/revoke/")

    response = keys_manager.get(f"/keys/{key.id}/revoke/")
    assert response.status_code == 404
    assert "This key does not exist" in html_of(response)


def test_a_failed_revocation_is_shown_in_place(keys_manager, platform):
    create_key(keys_manager, name="Sticky", domains="sticky.example.com")
    key = key_named(platform, "Sticky")
    platform.set_faults(errorRate=1, errorStatus=403, paths="api-keys/key_")

    response = keys_manager.post(f"/keys/{key.id}/revoke/")
    platform.clear_faults()

    assert response.status_code == 502
    assert "Connextlive did not revoke the key" in html_of(response)
    assert key.id in keys_on_platform(platform)
    assert AuditEvent.objects.get(action="apikey.revoke").outcome == "failure"


def test_another_workspaces_key_cannot_be_revoked_or_rotated(
    keys_manager, other_keys_manager, platform
):
    create_key(keys_manager, name="Mine", domains="mine.example.com")
    key = key_named(platform, "Mine")

    assert other_keys_manager.get(f"/keys/{key.id}/revoke/").status_code == 404
    assert other_keys_manager.post(f"/keys/{key.id}/revoke/").status_code == 404
    assert other_keys_manager.post(f"/keys/{key.id}/rotate/", {"window": "now"}).status_code == 404
    assert key.id in keys_on_platform(platform)


# --- rotate ------------------------------------------------------------------------------------


def manager_zone(client) -> ZoneInfo:
    """The time zone the console shows this user's times in."""
    return ZoneInfo(shown_time_zone(client.get("/keys/").content.decode()))


def test_rotating_creates_an_active_successor_and_keeps_the_old_key_during_the_window(
    keys_manager, platform
):
    create_key(keys_manager, name="Shop", domains="shop.example.com\n*.shop.example.com")
    old = key_named(platform, "Shop")
    before = timezone.now()

    response, plain_key = rotate_key(keys_manager, old.id, "24h")

    keys = keys_on_platform(platform)
    # The date in the manager's zone, as the console names the key (not the test's UTC: the two
    # days differ for a few hours after midnight).
    today = timezone.localdate(before, manager_zone(keys_manager))
    successor = key_named(platform, f"Shop (rotated {today:%Y-%m-%d})")
    assert successor.status == "ACTIVE"
    assert successor.domains == old.domains
    assert keys[old.id].status == "ACTIVE"  # still working during the window
    rotation = KeyRotation.objects.get()
    assert rotation.state == State.SCHEDULED
    assert rotation.old_key_id == old.id and rotation.successor_key_id == successor.id
    assert (
        before + timedelta(hours=24) <= rotation.revoke_at <= timezone.now() + timedelta(hours=24)
    )
    assert rotation.old_key_domains == ["shop.example.com", "*.shop.example.com"]
    assert "no-store" in response["Cache-Control"]
    assert "keeps working until" in html_of(response)
    assert plain_key not in rotation.sealed_token


def test_the_list_shows_the_replacement_with_a_countdown(keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    rotate_key(keys_manager, old.id, "24h")

    html = html_of(keys_manager.get("/keys/"))

    row = html[html.index(f'id="key-{old.id}"') :]
    row = row[: row.index("</tr>")]
    assert "Replaced by “Shop (rotated" in row
    assert "revoked in <time" in row and "data-countdown>23 h 59 min<" in row
    assert "Revoke now" in row and "Keep the old key" in row


def test_revoke_now_in_the_list_asks_for_a_confirmation_first(keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    rotate_key(keys_manager, old.id, "24h")
    rotation = KeyRotation.objects.get()
    confirm_url = f"/keys/rotations/{rotation.pk}/revoke-now/"

    html = html_of(keys_manager.get("/keys/"))
    row = html[html.index(f'id="key-{old.id}"') :]
    row = row[: row.index("</tr>")]

    # A link to the confirmation page: no form in the row that would revoke on one click.
    assert f'<a class="btn btn-sm btn-danger" href="{confirm_url}"' in row
    assert f'action="{confirm_url}"' not in row
    confirm = html_of(keys_manager.get(confirm_url))
    assert "stop working at once" in confirm and f'action="{confirm_url}"' in confirm
    rotation.refresh_from_db()
    assert rotation.state == State.SCHEDULED and old.id in keys_on_platform(platform)


def test_a_key_already_being_replaced_cannot_be_rotated_again(keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    rotate_key(keys_manager, old.id, "1h")
    count = len(keys_on_platform(platform))

    response = keys_manager.post(f"/keys/{old.id}/rotate/", {"window": "1h"})

    assert "already being replaced" in html_of(response)
    assert not plain_keys_in(html_of(response))
    assert len(keys_on_platform(platform)) == count
    assert KeyRotation.objects.count() == 1


def test_rotating_with_no_window_revokes_the_old_key_at_once(keys_manager, platform):
    create_key(keys_manager, name="Leaked", domains="leaked.example.com")
    old = key_named(platform, "Leaked")

    response, _ = rotate_key(keys_manager, old.id, "now")

    assert old.id not in keys_on_platform(platform)
    rotation = KeyRotation.objects.get()
    assert rotation.state == State.REVOKED and rotation.revoked_at is not None
    assert rotation.sealed_token == ""
    assert "is revoked" in html_of(response)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"apikey.rotate", "apikey.rotation.revoke_now"} <= actions


def test_a_failed_successor_creation_changes_nothing(keys_manager, platform, settings):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    before = set(keys_on_platform(platform))

    # Only the create fails (the sandbox's faults match paths, and listing shares this one).
    with respx.mock(base_url=settings.PLATFORM_URL) as mock:
        mock.post("/api/tenant/api-keys").respond(503, json={"statusCode": 503, "data": None})
        mock.route().pass_through()
        response = keys_manager.post(f"/keys/{old.id}/rotate/", {"window": "24h"})

    assert "Connextlive did not create the new key" in html_of(response)
    assert not plain_keys_in(html_of(response))
    assert not KeyRotation.objects.exists()
    assert set(keys_on_platform(platform)) == before
    assert AuditEvent.objects.get(action="apikey.rotate").outcome == "failure"


def test_keep_cancels_the_scheduled_revocation(keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    rotate_key(keys_manager, old.id, "1h")
    rotation = KeyRotation.objects.get()

    response = keys_manager.post(f"/keys/rotations/{rotation.pk}/keep/")

    assert response.status_code == 303
    rotation.refresh_from_db()
    assert rotation.state == State.CANCELLED and rotation.sealed_token == ""
    assert keys_on_platform(platform)[old.id].status == "ACTIVE"
    assert AuditEvent.objects.get(action="apikey.rotation.keep").outcome == "success"
    assert "stays active" in html_of(keys_manager.get("/keys/"))


def test_revoke_now_revokes_the_old_key_at_once(keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    rotate_key(keys_manager, old.id, "7d")
    rotation = KeyRotation.objects.get()

    response = keys_manager.post(f"/keys/rotations/{rotation.pk}/revoke-now/")

    assert response.status_code == 303
    rotation.refresh_from_db()
    assert rotation.state == State.REVOKED
    assert rotation.closed_by_email == "manager@example.com"
    assert old.id not in keys_on_platform(platform)
    assert rotation.successor_key_id in keys_on_platform(platform)
    event = AuditEvent.objects.get(action="apikey.rotation.revoke_now")
    assert event.outcome == "success"


def test_revoking_the_old_key_from_its_row_closes_its_rotation(keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    rotate_key(keys_manager, old.id, "1h")

    keys_manager.post(f"/keys/{old.id}/revoke/")

    rotation = KeyRotation.objects.get()
    assert rotation.state == State.REVOKED and rotation.sealed_token == ""


def test_another_workspaces_rotation_is_404(keys_manager, other_keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    rotate_key(keys_manager, key_named(platform, "Shop").id, "1h")
    rotation = KeyRotation.objects.get()

    assert other_keys_manager.post(f"/keys/rotations/{rotation.pk}/keep/").status_code == 404
    assert other_keys_manager.post(f"/keys/rotations/{rotation.pk}/revoke-now/").status_code == 404
    rotation.refresh_from_db()
    assert rotation.state == State.SCHEDULED
    assert "Shop" not in html_of(other_keys_manager.get("/keys/"))


def test_revoke_now_without_a_recent_password_asks_first_and_re_offers_it(keys_manager, platform):
    create_key(keys_manager, name="Shop", domains="shop.example.com")
    old = key_named(platform, "Shop")
    rotate_key(keys_manager, old.id, "1h")
    rotation = KeyRotation.objects.get()
    forget_confirmation(keys_manager)
    action = f"/keys/rotations/{rotation.pk}/revoke-now/"

    response = keys_manager.post(action)

    assert response.status_code == 303
    assert response["Location"] == f"/confirm/?next={quote(action, safe='')}"
    assert keys_on_platform(platform)[old.id].status == "ACTIVE"
    confirmed = keys_manager.post(
        "/confirm/", {"password": sandbox_fixtures.DEMO_PASSWORD, "next": action}
    )
    assert confirmed["Location"] == action
    page = html_of(keys_manager.get(action))
    assert "Revoke “Shop” now?" in page
    assert f'action="{action}"' in page
    rotation.refresh_from_db()
    assert rotation.state == State.SCHEDULED  # re-offered, not done
    assert old.id in keys_on_platform(platform)
