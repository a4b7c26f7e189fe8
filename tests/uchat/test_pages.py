"""/uchat/: the bot's subscribers through the workspace's UChat integration, against the
sandbox's store bot (400 subscribers at the test size, 40 tagged "Spring campaign")."""

import pytest

from dashboard.audit.models import AuditEvent
from dashboard.platforms.uchat import UChatClient
from sandbox.uchat.credentials import BOT_TOKEN, FIRST_USER_NS
from tests.apikeys.helpers import confirm_password, forget_confirmation
from tests.broadcasts.channels import set_up_uchat

pytestmark = pytest.mark.django_db

VIP, LEAD, SPRING = "f190385t7215001", "f190385t7215003", "f190385t7215006"
LOYALTY, BIRTHDAY, SMS_OPT_IN = "f190385v2", "f190385v3", "f190385v4"


def truth(platform) -> UChatClient:
    return UChatClient(platform.url + "/uchat/api", BOT_TOKEN)


@pytest.fixture
def uchat(manager_client, platform):
    set_up_uchat(manager_client, platform)
    return truth(platform)


def test_the_list_shows_the_bots_subscribers(manager_client, uchat):
    html = manager_client.get("/uchat/").content.decode()

    assert "400 subscribers" in html
    assert html.count('href="/uchat/f190385u') == 25  # a page of them, newest first
    assert "Spring campaign" in html  # the tag filter's options


def test_a_tag_filter_and_a_search_narrow_it(manager_client, uchat):
    assert "40 subscribers" in manager_client.get(f"/uchat/?tag={SPRING}").content.decode()
    html = manager_client.get("/uchat/?search=jane").content.decode()
    assert "Jane Cooper" in html and "400 subscribers" not in html
    assert f'href="/uchat/{FIRST_USER_NS}/"' in html


def test_the_table_fragment_answers_htmx_and_pushes_the_url(manager_client, uchat):
    response = manager_client.get(
        "/uchat/?page=2&limit=10",
        headers={"HX-Request": "true", "HX-Target": "subscriber-table"},
    )

    html = response.content.decode()
    assert response["HX-Push-Url"] == "/uchat/?page=2&limit=10"
    assert 'id="subscriber-table"' in html and "<html" not in html
    assert "11–20" in html or "11-20" in html or "11 to 20" in html or "Page 2" in html


def test_a_failed_live_refresh_keeps_the_rows_and_says_updates_are_paused(
    manager_client, uchat, platform
):
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=r"^/uchat/")

    response = manager_client.get(
        "/uchat/", headers={"HX-Request": "true", "HX-Target": "subscriber-rows"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"  # the rows the user reads stay
    assert 'id="subscriber-live-status"' in html and 'hx-swap-oob="true"' in html
    assert "Live updates paused" in html and "subscriber-rows" not in html


def test_garbage_in_the_query_string_is_clamped(manager_client, uchat):
    response = manager_client.get("/uchat/?page=-4&limit=5000&tag=%00x")

    assert response.status_code == 200


def test_without_the_integration_the_page_says_so(manager_client, platform):
    response = manager_client.get("/uchat/")

    assert response.status_code == 200
    assert "UChat is not configured" in response.content.decode()


def test_tagging_a_subscriber_and_untagging(manager_client, uchat):
    response = manager_client.post(f"/uchat/{FIRST_USER_NS}/tags/", {"add": LEAD})
    assert response.status_code == 303
    assert LEAD in uchat.get_subscriber(FIRST_USER_NS).tag_ns_set

    fragment = manager_client.post(
        f"/uchat/{FIRST_USER_NS}/tags/", {"remove": LEAD}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and 'id="subscriber-tags"' in fragment.content.decode()
    assert LEAD not in uchat.get_subscriber(FIRST_USER_NS).tag_ns_set
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("id"))
    assert actions[-2:] == ["uchat.tag_add", "uchat.tag_remove"]


def test_user_fields_are_edited_as_their_type(manager_client, uchat):
    for var_ns, value in ((LOYALTY, "1250"), (BIRTHDAY, "1990-04-02"), (SMS_OPT_IN, "false")):
        response = manager_client.post(
            f"/uchat/{FIRST_USER_NS}/fields/", {"field": var_ns, f"{var_ns}-value": value}
        )
        assert response.status_code == 303, response.content.decode()[:600]

    subscriber = uchat.get_subscriber(FIRST_USER_NS)
    assert subscriber.field(LOYALTY).value == 1250
    assert subscriber.field(BIRTHDAY).value == "1990-04-02"
    assert subscriber.field(SMS_OPT_IN).value is False
    page = manager_client.get(f"/uchat/{FIRST_USER_NS}/").content.decode()
    assert 'type="date"' in page and 'value="1990-04-02"' in page


def test_a_value_that_does_not_read_as_the_type_is_refused_in_place(manager_client, uchat):
    response = manager_client.post(
        f"/uchat/{FIRST_USER_NS}/fields/",
        {"field": LOYALTY, f"{LOYALTY}-value": "lots"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "Enter a number" in response.content.decode()


def test_an_unknown_subscriber_is_a_404(manager_client, uchat):
    assert manager_client.get("/uchat/f190385u1/").status_code == 404
    assert manager_client.get("/uchat/not-a-namespace/").status_code == 404


def test_creating_a_tag(manager_client, uchat):
    response = manager_client.post("/uchat/tags/", {"name": "Autumn  campaign"})

    assert response.status_code == 303
    assert "Autumn campaign" in {t.name for t in uchat.iter_tags()}


def test_deleting_a_tag_names_how_many_subscribers_carry_it(manager_client, uchat):
    confirm = manager_client.get(f"/uchat/tags/{SPRING}/delete/").content.decode()
    assert "take it off the 40 subscribers who carry it" in confirm
    assert "from UChat?" in confirm

    forget_confirmation(manager_client)
    confirm_password(manager_client)
    response = manager_client.post(f"/uchat/tags/{SPRING}/delete/")

    assert response.status_code == 303 and response["Location"] == "/uchat/tags/"
    assert SPRING not in {t.tag_ns for t in uchat.iter_tags()}
    assert AuditEvent.objects.filter(action="tag.delete", outcome="success").exists()


def test_agents_read_but_do_not_change(agent_client, manager_client, uchat):
    page = agent_client.get(f"/uchat/{FIRST_USER_NS}/").content.decode()
    assert "Jane Cooper" in page and 'name="add"' not in page
    assert agent_client.get("/uchat/").status_code == 200
    assert agent_client.post(f"/uchat/{FIRST_USER_NS}/tags/", {"add": LEAD}).status_code == 403
    assert agent_client.post("/uchat/tags/", {"name": "x"}).status_code == 403
    assert agent_client.get(f"/uchat/tags/{SPRING}/delete/").status_code == 403
    assert LEAD not in uchat.get_subscriber(FIRST_USER_NS).tag_ns_set


def test_another_workspace_does_not_get_this_bot(other_client, uchat):
    response = other_client.get("/uchat/")

    assert "Jane Cooper" not in response.content.decode()
