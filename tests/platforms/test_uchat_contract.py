"""The UChat client against the running sandbox: typed records, page iterators, the search,
tagging and typed user fields, sending, typed errors, safe retries, and no token in the logs."""

import logging
from datetime import UTC, date, datetime

import pytest

from dashboard.platforms.errors import (
    PlatformForbidden,
    PlatformNotFound,
    PlatformRateLimited,
    PlatformUnauthorized,
    PlatformValidationError,
)
from dashboard.platforms.uchat import UChatClient
from dashboard.platforms.uchat_records import Subscriber, Tag
from sandbox.people import PEOPLE
from sandbox.uchat.credentials import (
    BOT_TOKEN,
    FIRST_USER_NS,
    SPRING_SUB_FLOW_NS,
    TEAM_ONLY_TOKEN,
)


def uchat(sandbox, token: str = BOT_TOKEN) -> UChatClient:
    return UChatClient(sandbox.url + "/uchat/api", token)


@pytest.fixture
def client(sandbox) -> UChatClient:
    return uchat(sandbox)


def tag_named(client: UChatClient, name: str) -> Tag:
    return next(tag for tag in client.iter_tags(name=name) if tag.name == name)


def sent(platform) -> list[dict]:
    return platform.http.get("/__sandbox__/uchat/sent").json()["sent"]


def test_it_walks_every_subscriber_once_into_typed_records(client):
    first = client.search_subscribers(limit=1)
    everyone = list(client.iter_subscribers(page_size=100))

    assert len(everyone) == first.total and first.total_pages == first.total
    assert len({s.user_ns for s in everyone}) == len(everyone)
    assert all(isinstance(s, Subscriber) for s in everyone)
    assert all(s.subscribed_at.tzinfo is UTC for s in everyone)
    assert any(s.tags and isinstance(s.tags[0], Tag) for s in everyone)


def test_the_catalogue_lists_are_walked_too(client):
    sub_flows = list(client.iter_sub_flows(page_size=2))
    fields = list(client.iter_user_fields())

    assert SPRING_SUB_FLOW_NS in {flow.sub_flow_ns for flow in sub_flows}
    assert {field.var_type for field in fields} == {"text", "number", "boolean", "date",
                                                    "datetime"}  # fmt: skip


def test_search_finds_a_shared_person_by_email_and_phone(client):
    jane = PEOPLE[0]

    [by_email] = client.search_subscribers(email=jane.email).items
    [by_phone] = client.search_subscribers(phone=jane.phone).items

    assert by_email == by_phone
    assert (by_email.user_ns, by_email.name, by_email.email) == (
        FIRST_USER_NS,
        jane.name,
        jane.email,
    )


def test_tagging_a_subscriber_shows_in_the_search_by_tag(platform):
    client = uchat(platform)
    tag = client.create_tag("Contract test")

    client.add_tag(FIRST_USER_NS, tag.tag_ns)
    client.add_tag(FIRST_USER_NS, tag.tag_ns)
    tagged = [s.user_ns for s in client.iter_subscribers(tag_ns=tag.tag_ns)]
    client.remove_tag(FIRST_USER_NS, tag.tag_ns)

    assert tagged == [FIRST_USER_NS]
    assert tag.tag_ns not in client.get_subscriber(FIRST_USER_NS).tag_ns_set
    assert client.create_tag("contract TEST") == tag  # the same name gives the same tag
    client.delete_tag(tag.tag_ns)
    assert tag.tag_ns not in {t.tag_ns for t in client.iter_tags()}


def test_user_field_values_are_set_and_read_back_typed(platform):
    client = uchat(platform)
    fields = {field.name: field.var_ns for field in client.iter_user_fields()}
    moment = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)

    client.set_user_field(FIRST_USER_NS, fields["Birthday"], date(1990, 2, 28))
    client.set_user_field(FIRST_USER_NS, fields["Last order at"], moment)
    client.set_user_field(FIRST_USER_NS, fields["SMS opt-in"], False)
    client.set_user_field(FIRST_USER_NS, fields["Loyalty points"], 1250)

    person = client.get_subscriber(FIRST_USER_NS)
    assert person.field(fields["Birthday"]).typed == date(1990, 2, 28)
    assert person.field(fields["Last order at"]).typed == moment
    assert person.field(fields["SMS opt-in"]).typed is False
    assert person.field(fields["Loyalty points"]).typed == 1250
    opted_out = client.iter_subscribers(user_field_ns=fields["SMS opt-in"], user_field_value=False)
    assert FIRST_USER_NS in {s.user_ns for s in opted_out}


def test_sending_and_broadcasting_are_recorded(platform):
    client = uchat(platform)
    campaign = tag_named(client, "Spring campaign")

    client.send_sub_flow(FIRST_USER_NS, SPRING_SUB_FLOW_NS)
    client.send_text(FIRST_USER_NS, "Your order is ready")
    reached = client.broadcast_by_tag([campaign.tag_ns], SPRING_SUB_FLOW_NS, name="Spring")

    records = sent(platform)
    assert [r["via"] for r in records[:2]] == ["send-sub-flow", "send-text"]
    assert reached == len(records) - 2 > 0


def test_errors_are_typed(sandbox, client):
    blocked = next(s for s in client.iter_subscribers() if not s.allow_send_message)
    points = next(f.var_ns for f in client.iter_user_fields() if f.name == "Loyalty points")

    with pytest.raises(PlatformUnauthorized):
        uchat(sandbox, "not-a-token").list_tags()
    with pytest.raises(PlatformForbidden):
        uchat(sandbox, TEAM_ONLY_TOKEN).list_tags()
    with pytest.raises(PlatformNotFound, match="Subscriber not found"):
        client.get_subscriber("f190385u1")
    with pytest.raises(PlatformValidationError, match="must be a number"):
        client.set_user_field(FIRST_USER_NS, points, "lots")
    with pytest.raises(PlatformValidationError, match="allow"):
        client.send_sub_flow(blocked.user_ns, SPRING_SUB_FLOW_NS)
    with pytest.raises(ValueError):
        client.broadcast_by_tag([], SPRING_SUB_FLOW_NS)


def test_a_429_on_a_read_is_retried_after_retry_after(platform):
    client = uchat(platform)
    platform.set_faults(rateLimitRps=1, retryAfter=1, paths="^/uchat/api/flow/tags")
    client.list_tags()

    assert client.list_tags().total > 0
    statuses = [r["status"] for r in platform.requests() if r["path"].endswith("/flow/tags")]
    assert statuses == [200, 429, 200]


def test_a_send_is_never_sent_twice(platform):
    client = uchat(platform)
    platform.set_faults(rateLimitRps=1, retryAfter=1, paths="send-sub-flow")
    client.send_sub_flow(FIRST_USER_NS, SPRING_SUB_FLOW_NS)

    with pytest.raises(PlatformRateLimited):
        client.send_sub_flow(FIRST_USER_NS, SPRING_SUB_FLOW_NS)
    assert len(sent(platform)) == 1


def test_no_token_reaches_the_log(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    client = uchat(sandbox)
    client.list_tags()
    with pytest.raises(PlatformNotFound):
        client.get_subscriber("f190385u1")

    assert BOT_TOKEN not in caplog.text + repr(client)
