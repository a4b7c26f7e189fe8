"""An answer is freed the moment nothing refers to it: a report walks a thousand pages."""

import gc
import weakref

import httpx

from dashboard.platforms.connextlive import ConnextliveClient
from tests.fixtures.sandbox import MANAGER_EMAIL


class Remembering(httpx.HTTPTransport):
    """A real transport that keeps a weak reference to every response it hands back."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[weakref.ref[httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.answers.append(weakref.ref(response))
        return response


def test_a_read_answer_is_freed_without_the_cycle_collector(sandbox):
    # httpx 0.28 binds a response's stream back to the response, a reference cycle: without
    # breaking it every page's answer (its bytes too) waited for a rare full collection, and a
    # 90-day report's peak of memory grew with the number of conversations.
    transport = Remembering()
    client = ConnextliveClient(
        sandbox.connextlive_url, sandbox.login(MANAGER_EMAIL), transport=transport
    )
    gc.collect()
    gc.disable()
    try:
        first = client.tenant.list_conversations("all", limit=100)
        second = client.tenant.list_conversations("all", limit=100, offset=100)
        answers = [answer() for answer in transport.answers]
    finally:
        gc.enable()

    assert first.items and second.total == first.total
    assert len(answers) == 2
    assert answers == [None, None], "an answer outlived its page: a reference cycle holds it"
