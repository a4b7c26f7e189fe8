"""The request a platform call sends is the one httpx's `Client.build_request` would build."""

import pytest

from dashboard.platforms import base

PATHS = [
    "/api/tenant/visitors",
    "api/tenant/visitors/",
    "//api/tenant/visitors",
    "/api/tenant/visitors/vis%20one%2F..",
    "/api/tenant/visitors/vis_01H~x.y-z",
    "/api/ünïcode path",
    "/api/tenant/visitors?page=2",
    "/api/tenant/visitors#top",
]
PARAMS = [
    [],
    [("page", "1"), ("limit", "100")],
    [("tags", "vip"), ("page", "1"), ("tags", "beta"), ("search", "a b&c=d+e/é?#%")],
    [("isOnline", "true"), ("search", "")],
]
CONTENTS = [{}, {"json": {"status": "CLOSED", "note": "é"}}, {"data": {"a": "1 2"}}]


@pytest.mark.parametrize(
    "base_url", ["https://platform.example", "http://127.0.0.1:8123/connextlive"]
)
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("content", CONTENTS)
def test_the_request_is_the_one_build_request_builds(base_url, path, params, content):
    client = base._new_pooled_client(base_url)
    headers = {"Authorization": "Bearer a-token"}
    timeout = base.make_timeout(1.5, 4.0)
    expected = client.build_request(
        "POST", path, params=params, headers=headers, timeout=timeout, **content
    )

    request = base._request_for(
        client,
        "POST",
        base_url,
        path,
        params,
        headers,
        timeout,
        content,
    )

    assert request.method == expected.method
    assert str(request.url) == str(expected.url)
    assert request.url == expected.url
    assert request.headers.raw == expected.headers.raw
    assert request.extensions == expected.extensions
    assert request.read() == expected.read()
    client.close()
