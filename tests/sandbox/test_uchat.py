"""The UChat emulator (/uchat/api): platforms.md's endpoints from seeds/002, tokens per bot with
scopes, the observed envelopes, the subscriber search and paging, and each endpoint's side
effects as later reads show them."""

import re

import pytest

from sandbox.people import PEOPLE
from sandbox.uchat.credentials import (
    BOT_TOKEN,
    EVENTS_BOT_TOKEN,
    FIRST_USER_NS,
    MAIN_FLOW_NS,
    SPRING_SUB_FLOW_NS,
    TEAM_ONLY_TOKEN,
)
from tests.fixtures.sandbox import Sandbox

API = "/uchat/api"
BOT = {"Authorization": f"Bearer {BOT_TOKEN}"}


def call(sandbox: Sandbox, method: str, path: str, *, headers=BOT, **request):
    return sandbox.http.request(method, API + path, headers=headers, **request)


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    return body


def refused(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error" and body["message"], body
    return body


def subscriber(sandbox: Sandbox, user_ns: str = FIRST_USER_NS) -> dict:
    return ok(call(sandbox, "GET", "/subscriber/get-info", params={"user_ns": user_ns}))["data"]


def tag_named(sandbox: Sandbox, name: str) -> str:
    tags = ok(call(sandbox, "GET", "/flow/tags", params={"name": name}))["data"]
    return next(tag["tag_ns"] for tag in tags if tag["name"] == name)


def search(sandbox: Sandbox, **params) -> dict:
    return ok(call(sandbox, "GET", "/subscribers", params={"limit": 100, **params}))


def sent(sandbox: Sandbox, user_ns: str | None = None) -> list[dict]:
    params = {"userNs": user_ns} if user_ns else {}
    response = sandbox.http.get("/__sandbox__/uchat/sent", params=params)
    assert response.status_code == 200
    return response.json()["sent"]


def every_subscriber(sandbox: Sandbox, **params) -> list[dict]:
    people, page = [], 1
    while True:
        body = search(sandbox, page=page, **params)
        people += body["data"]
        if page * 100 >= body["meta"]["total"]:
            return people
        page += 1


# --- tokens and scopes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": BOT_TOKEN}],
    ids=["none", "unknown", "no-scheme"],
)
def test_without_a_known_token_it_answers_401(sandbox, headers):
    body = refused(call(sandbox, "GET", "/flow/tags", headers=headers), 401)

    assert body == {"status": "error", "message": "Unauthenticated."}


def test_a_token_without_the_manage_flow_scope_gets_403(sandbox):
    headers = {"Authorization": f"Bearer {TEAM_ONLY_TOKEN}"}

    refused(call(sandbox, "GET", "/subscribers", headers=headers), 403)
    refused(call(sandbox, "POST", "/flow/create-tag", headers=headers, json={"name": "x"}), 403)


def test_a_token_opens_only_its_own_bot(sandbox):
    events = {"Authorization": f"Bearer {EVENTS_BOT_TOKEN}"}

    tags = ok(call(sandbox, "GET", "/flow/tags", headers=events))["data"]
    refused(
        call(sandbox, "GET", "/subscriber/get-info", headers=events,
             params={"user_ns": FIRST_USER_NS}),
        404,
    )  # fmt: skip
    assert {tag["name"] for tag in tags} == {"Attendee", "Speaker"}
    assert not any(tag["tag_ns"].startswith(MAIN_FLOW_NS) for tag in tags)


# --- lists -------------------------------------------------------------------------------------


def test_lists_answer_the_observed_envelope(sandbox):
    body = ok(call(sandbox, "GET", "/flow/subflows"))

    assert set(body) == {"data", "meta", "status"}
    assert body["meta"] == {"current_page": 1, "per_page": 10, "total": 6}
    assert {"name": "Spring sale announcement", "sub_flow_ns": SPRING_SUB_FLOW_NS} in body["data"]


def test_ids_are_shaped_like_the_documents(sandbox):
    person = subscriber(sandbox)
    tags = ok(call(sandbox, "GET", "/flow/tags"))["data"]
    fields = ok(call(sandbox, "GET", "/flow/user-fields"))["data"]

    assert re.fullmatch(r"f190385u\d+", person["user_ns"])
    assert all(re.fullmatch(r"f190385t\d+", tag["tag_ns"]) for tag in tags)
    assert all(re.fullmatch(r"f190385v\d+", field["var_ns"]) for field in fields)


def test_user_field_values_are_typed(sandbox):
    fields = ok(call(sandbox, "GET", "/flow/user-fields"))["data"]
    values = [
        (field["var_type"], field["value"])
        for person in every_subscriber(sandbox)
        for field in person["user_fields"]
        if field["value"] is not None
    ]
    shapes = {
        "text": lambda value: isinstance(value, str),
        "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": lambda value: isinstance(value, bool),
        "date": lambda value: re.fullmatch(r"\d{4}-\d{2}-\d{2}", value),
        "datetime": lambda value: re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]{12}Z", value),
    }

    assert {field["var_type"] for field in fields} == set(shapes)
    assert {var_type for var_type, _ in values} == set(shapes)
    assert all(shapes[var_type](value) for var_type, value in values)


def test_paging_walks_every_subscriber_once(sandbox):
    first = search(sandbox, limit=7, page=1)
    second = search(sandbox, limit=7, page=2)
    everyone = every_subscriber(sandbox)

    total = first["meta"]["total"]
    assert first["meta"] == {"current_page": 1, "per_page": 7, "total": total} and total > 300
    assert second["meta"]["current_page"] == 2
    assert not {s["user_ns"] for s in first["data"]} & {s["user_ns"] for s in second["data"]}
    assert len({s["user_ns"] for s in everyone}) == total
    assert search(sandbox, page=1000)["data"] == []


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "101"}, {"page": "0"}, {"page": "1001"}, {"page": "two"},
     {"user_field_value": "5"}, {"phone": "no digits"}, {"name": "x" * 201}],
)  # fmt: skip
def test_bad_parameters_get_422_naming_them(sandbox, params):
    body = refused(call(sandbox, "GET", "/subscribers", params=params), 422)

    assert set(body["errors"]) <= {*params, "user_field_ns"}


def test_search_by_name_phone_and_email(sandbox):
    jane = PEOPLE[0]

    by_name = search(sandbox, name="cooper")["data"]
    by_phone = search(sandbox, phone="+44 7700 900101")["data"]
    by_email = search(sandbox, email=jane.email.upper())["data"]

    assert FIRST_USER_NS in {s["user_ns"] for s in by_name}
    assert all("cooper" in s["name"].lower() for s in by_name)
    assert [s["user_ns"] for s in by_phone] == [s["user_ns"] for s in by_email] == [FIRST_USER_NS]


def test_the_people_shared_across_platforms_are_subscribers(sandbox):
    for person in PEOPLE:
        [found] = search(sandbox, email=person.email)["data"]

        assert (found["name"], found["phone"]) == (person.name, person.phone)


def test_search_by_tag_and_by_user_field_value(sandbox):
    vip = tag_named(sandbox, "VIP")
    person, points = next(
        (person, field)
        for person in search(sandbox)["data"]
        for field in person["user_fields"]
        if field["name"] == "Loyalty points" and field["value"] is not None
    )

    tagged = every_subscriber(sandbox, tag_ns=vip)
    with_points = search(sandbox, user_field_ns=points["var_ns"], user_field_value=points["value"])

    assert tagged and all(vip in {t["tag_ns"] for t in s["tags"]} for s in tagged)
    assert person["user_ns"] in {s["user_ns"] for s in with_points["data"]}
    assert all(
        field["value"] == points["value"]
        for s in with_points["data"]
        for field in s["user_fields"]
        if field["var_ns"] == points["var_ns"]
    )
    assert search(sandbox, tag_ns="f190385t1")["meta"]["total"] == 0  # unknown: nobody


def test_subscriber_info_needs_a_known_user_ns(sandbox):
    refused(call(sandbox, "GET", "/subscriber/get-info"), 422)
    refused(call(sandbox, "GET", "/subscriber/get-info", params={"user_ns": "f190385u1"}), 404)


def test_an_undocumented_method_gets_405_with_allow(sandbox):
    response = call(sandbox, "POST", "/subscribers")

    refused(response, 405)
    assert response.headers["Allow"] == "GET"


# --- side effects ------------------------------------------------------------------------------


def test_tags_added_and_removed_show_in_later_reads(platform):
    vip = tag_named(platform, "VIP")
    body = {"user_ns": FIRST_USER_NS, "tag_ns": vip}

    ok(call(platform, "POST", "/subscriber/add-tag", json=body))
    ok(call(platform, "POST", "/subscriber/add-tag", json=body))  # again: no change
    tagged = [t["tag_ns"] for t in subscriber(platform)["tags"]]
    found = FIRST_USER_NS in {s["user_ns"] for s in every_subscriber(platform, tag_ns=vip)}
    ok(call(platform, "DELETE", "/subscriber/remove-tag", json=body))

    assert tagged.count(vip) == 1 and found
    assert vip not in {t["tag_ns"] for t in subscriber(platform)["tags"]}


def test_tagging_refuses_unknown_records_and_bad_bodies(sandbox):
    refused(call(sandbox, "POST", "/subscriber/add-tag",
                 json={"user_ns": FIRST_USER_NS, "tag_ns": "f190385t1"}), 404)  # fmt: skip
    body = refused(call(sandbox, "POST", "/subscriber/add-tag", json={"tag_ns": 5}), 422)

    assert set(body["errors"]) == {"user_ns", "tag_ns"}


def test_a_created_tag_is_listed_and_a_deleted_one_leaves_every_subscriber(platform):
    created = ok(call(platform, "POST", "/flow/create-tag", json={"name": "Returning"}))["data"]
    again = ok(call(platform, "POST", "/flow/create-tag", json={"name": "returning"}))["data"]
    body = {"user_ns": FIRST_USER_NS, "tag_ns": created["tag_ns"]}
    ok(call(platform, "POST", "/subscriber/add-tag", json=body))

    ok(call(platform, "DELETE", "/flow/delete-tag", json={"tag_ns": created["tag_ns"]}))

    assert re.fullmatch(r"f190385t\d+", created["tag_ns"]) and again == created
    assert created["tag_ns"] not in {t["tag_ns"] for t in subscriber(platform)["tags"]}
    refused(call(platform, "DELETE", "/flow/delete-tag", json={"tag_ns": created["tag_ns"]}), 404)
    newer = ok(call(platform, "POST", "/flow/create-tag", json={"name": "Returning"}))["data"]
    assert newer["tag_ns"] != created["tag_ns"]  # a deleted tag's namespace never returns


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [("Loyalty points", "12.5", 12.5), ("Loyalty points", 40, 40), ("SMS opt-in", "yes", True),
     ("Birthday", "1990-02-28", "1990-02-28"),
     ("Last order at", "2026-03-01T10:00:00+02:00", "2026-03-01T08:00:00.000Z"),
     ("Customer ID", "CUS-1", "CUS-1")],
)  # fmt: skip
def test_a_user_field_value_is_read_as_the_fields_type(platform, field, value, stored):
    var_ns = next(f["var_ns"] for f in subscriber(platform)["user_fields"] if f["name"] == field)

    ok(call(platform, "PUT", "/subscriber/set-user-field",
            json={"user_ns": FIRST_USER_NS, "var_ns": var_ns, "value": value}))  # fmt: skip

    values = {f["var_ns"]: f["value"] for f in subscriber(platform)["user_fields"]}
    assert values[var_ns] == stored
    found = search(platform, user_field_ns=var_ns, user_field_value=str(value))["data"]
    assert FIRST_USER_NS in {s["user_ns"] for s in found}


@pytest.mark.parametrize(
    ("field", "value"),
    [("Loyalty points", "lots"), ("SMS opt-in", "maybe"), ("Birthday", "28/02/1990"),
     ("Last order at", "yesterday"), ("Customer ID", ["a"]), ("Customer ID", None)],
)  # fmt: skip
def test_a_value_that_is_not_of_the_fields_type_gets_422(sandbox, field, value):
    var_ns = next(f["var_ns"] for f in subscriber(sandbox)["user_fields"] if f["name"] == field)

    body = refused(call(sandbox, "PUT", "/subscriber/set-user-field",
                        json={"user_ns": FIRST_USER_NS, "var_ns": var_ns, "value": value}),
                   422)  # fmt: skip

    assert list(body["errors"]) == ["value"]


# --- sending -----------------------------------------------------------------------------------


def test_a_sub_flow_and_a_text_sent_are_recorded_for_the_subscriber(platform):
    ok(call(platform, "POST", "/subscriber/send-sub-flow",
            json={"user_ns": FIRST_USER_NS, "sub_flow_ns": SPRING_SUB_FLOW_NS}))  # fmt: skip
    ok(call(platform, "POST", "/subscriber/send-text",
            json={"user_ns": FIRST_USER_NS, "content": "Your order is ready"}))  # fmt: skip

    records = sent(platform, FIRST_USER_NS)

    assert [(r["kind"], r["subFlowNs"], r["content"], r["via"]) for r in records] == [
        ("sub_flow", SPRING_SUB_FLOW_NS, None, "send-sub-flow"),
        ("text", None, "Your order is ready", "send-text"),
    ]
    assert sent(platform) == records


def test_a_subscriber_who_does_not_allow_messages_is_refused(platform):
    blocked = next(s for s in every_subscriber(platform) if not s["allow_send_message"])

    body = refused(call(platform, "POST", "/subscriber/send-sub-flow",
                        json={"user_ns": blocked["user_ns"], "sub_flow_ns": SPRING_SUB_FLOW_NS}),
                   400)  # fmt: skip

    assert "allow" in body["message"]
    assert sent(platform) == []


@pytest.mark.parametrize(
    ("body", "status"),
    [({"user_ns": FIRST_USER_NS, "sub_flow_ns": "f190385s1"}, 404),
     ({"user_ns": "f190385u1", "sub_flow_ns": SPRING_SUB_FLOW_NS}, 404),
     ({"user_ns": FIRST_USER_NS}, 422), ({}, 422)],
)  # fmt: skip
def test_sending_refuses_unknown_records_and_bad_bodies(sandbox, body, status):
    refused(call(sandbox, "POST", "/subscriber/send-sub-flow", json=body), status)


def test_a_broadcast_by_tag_reaches_everyone_tagged_who_allows_messages(platform):
    campaign, vip = tag_named(platform, "Spring campaign"), tag_named(platform, "VIP")
    audience = [
        s for s in every_subscriber(platform, tag_ns=campaign)
        if s["allow_send_message"] and vip not in {t["tag_ns"] for t in s["tags"]}
    ]  # fmt: skip

    body = ok(call(platform, "POST", "/subscriber/broadcast-by-tag",
                   json={"tags": [campaign], "exclude_tags": [vip],
                         "sub_flow_ns": SPRING_SUB_FLOW_NS, "name": "Spring"}))  # fmt: skip

    records = sent(platform)
    assert body["data"] == {"recipients": len(audience)} and audience
    assert sorted(r["userNs"] for r in records) == sorted(s["user_ns"] for s in audience)
    assert {(r["via"], r["subFlowNs"]) for r in records} == {
        ("broadcast-by-tag", SPRING_SUB_FLOW_NS)
    }


@pytest.mark.parametrize(
    ("body", "status"),
    [({"tags": [], "sub_flow_ns": SPRING_SUB_FLOW_NS}, 422),
     ({"tags": ["f190385t7215001"] * 11, "sub_flow_ns": SPRING_SUB_FLOW_NS}, 422),
     ({"tags": ["f190385t1"], "sub_flow_ns": SPRING_SUB_FLOW_NS}, 404),
     ({"tags": ["f190385t7215001"], "sub_flow_ns": "f190385s1"}, 404)],
)  # fmt: skip
def test_a_broadcast_refuses_bad_tag_lists_and_unknown_records(platform, body, status):
    refused(call(platform, "POST", "/subscriber/broadcast-by-tag", json=body), status)

    assert sent(platform) == []


def test_a_reset_undoes_every_side_effect(platform):
    vip = tag_named(platform, "VIP")
    ok(
        call(
            platform, "POST", "/subscriber/add-tag", json={"user_ns": FIRST_USER_NS, "tag_ns": vip}
        )
    )
    ok(call(platform, "POST", "/subscriber/send-text",
            json={"user_ns": FIRST_USER_NS, "content": "hi"}))  # fmt: skip

    platform.reset()

    assert vip not in {t["tag_ns"] for t in subscriber(platform)["tags"]}
    assert sent(platform) == []


def test_faults_and_the_request_log_cover_uchat(platform):
    platform.set_faults(errorRate=1, errorStatus=503, paths="^/uchat/")

    response = call(platform, "GET", "/flow/tags")

    assert response.status_code == 503
    assert [(r["path"], r["status"]) for r in platform.requests()] == [
        ("/uchat/api/flow/tags", 503)
    ]


def test_the_published_credentials_open_the_bots_they_name(sandbox):
    published = sandbox.http.get("/__sandbox__/credentials").json()["uchat"]
    tokens = published["tokens"]

    def tags_with(name: str):
        headers = {"Authorization": f"Bearer {tokens[name]['token']}"}
        return sandbox.http.get(published["baseUrl"] + "/flow/tags", headers=headers)

    assert published["baseUrl"] == API and published["firstUserNs"] == FIRST_USER_NS
    for name in ("bot", "eventsBot", "otherWorkspace"):
        tags = ok(tags_with(name))["data"]
        assert all(tag["tag_ns"].startswith(tokens[name]["bot"]) for tag in tags), name
    refused(tags_with("teamOnly"), 403)
