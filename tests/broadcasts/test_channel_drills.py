"""Workers killed with SIGKILL in the middle of a UChat and of a LivePerson broadcast (as the
ConnectiveOne drill in tests/jobs/test_crash_drill.py does): every recipient ends done, failed
or unknown, and the sandbox's own records show that nobody got the message twice."""

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dashboard.broadcasts.channels import NOT_ALLOWED
from sandbox.liveperson.credentials import ACCOUNT_ID, published
from tests.broadcasts.channel_drill import LIVEPERSON_CONSUMERS, MULTI_LIVEPERSON_ONLY
from tests.jobs.test_crash_drill import FINAL, Drill, _query


class ChannelDrill(Drill):
    """The drill with a broadcast on `channel` (created by tests/broadcasts/channel_drill.py)."""

    channel = ""

    def _run(self, *args: str) -> str:
        if args[:1] != ("create",):
            return super()._run(*args)
        result = subprocess.run(
            [sys.executable, "-m", "tests.broadcasts.channel_drill", self.channel, *args[1:]],
            cwd=self.tmp_path, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout


@contextmanager
def drill_on(channel: str, tmp_path: Path, sandbox: Any, paths: str) -> Iterator[Drill]:
    sandbox.reset()
    sandbox.set_faults(latencyMs=25, paths=paths)  # so that a kill always finds some in flight
    sandbox.clear_requests()
    drill_class = type(f"{channel}Drill", (ChannelDrill,), {"channel": channel})
    drill = drill_class(tmp_path, sandbox, "filesystem://")
    try:
        yield drill
    finally:
        drill.stop()
        sandbox.reset()


def kill_and_finish(drill: Drill, kill_after: tuple[int, ...]) -> Counter:
    for sent in kill_after:
        drill.start_worker()
        drill.wait_for(lambda s=sent: _final(drill) >= s, f"{sent} recipients settled")
        drill.kill_worker()
    drill.start_worker()
    drill.wait_for(lambda: drill.job_state() == "done", "the broadcast to finish")
    counts = drill.counts()
    assert set(counts) <= FINAL, counts
    return counts


def _final(drill: Drill) -> int:
    counts = drill.counts()
    return sum(counts[state] for state in FINAL)


def test_a_uchat_broadcast_survives_killed_workers_without_a_duplicate(tmp_path, sandbox):
    with drill_on("uchat", tmp_path, sandbox, paths="send-sub-flow") as drill:
        counts = kill_and_finish_all(drill, (80, 200))

        sent = Counter(
            s["userNs"]
            for s in sandbox.http.get("/__sandbox__/uchat/sent").json()["sent"]
            if s["kind"] == "sub_flow"
        )
        skipped = skipped_items(drill)
    print(f"UChat crash drill: {dict(counts)}")
    assert sum(counts.values()) == 400
    # The subscribers UChat lists as not allowing messages (every 25th): skipped, never sent.
    assert counts["skipped"] == len(skipped) == 400 // 25
    assert {error for _, error, _ in skipped} == {NOT_ALLOWED}
    assert not {key for key, _, _ in skipped} & set(sent)
    assert sent and max(sent.values()) == 1, "a subscriber got the sub-flow twice"
    assert counts["done"] <= sum(sent.values()) <= counts["done"] + counts["unknown"]


def test_a_liveperson_broadcast_survives_killed_workers_without_a_duplicate(tmp_path, sandbox):
    with drill_on("liveperson", tmp_path, sandbox, paths="liveperson/api") as drill:
        counts = kill_and_finish(drill, (60, 160))

        conversations = sandbox.http.get(
            "/__sandbox__/liveperson/conversations", params={"accountId": ACCOUNT_ID}
        ).json()["conversations"]
    print(f"LivePerson crash drill: {dict(counts)}")
    assert sum(counts.values()) == LIVEPERSON_CONSUMERS
    opened = Counter(c["extConsumerId"] for c in conversations)
    messages = Counter()
    for conversation in conversations:
        messages[conversation["extConsumerId"]] += len(conversation["messages"])
    assert max(opened.values()) == 1, "a consumer got a second conversation"
    assert max(messages.values()) == 1, "a consumer got the message twice"
    delivered = sum(messages.values())
    assert counts["done"] <= delivered <= counts["done"] + counts["unknown"]


def test_a_two_channel_broadcast_survives_killed_workers_reaching_each_person_once(
    tmp_path, sandbox
):
    """UChat's 400 subscribers (the shared people among them), then LivePerson's CSV of every
    shared person and 200 others: killed while sending on each channel, nobody gets it twice,
    and no shared person is sent a LivePerson conversation."""
    with drill_on("multi", tmp_path, sandbox, paths="send-sub-flow") as drill:
        counts = kill_and_finish_all(drill, (80, 420))
        sent = Counter(
            s["userNs"]
            for s in sandbox.http.get("/__sandbox__/uchat/sent").json()["sent"]
            if s["kind"] == "sub_flow"
        )
        conversations = sandbox.http.get(
            "/__sandbox__/liveperson/conversations", params={"accountId": ACCOUNT_ID}
        ).json()["conversations"]
        skipped = skipped_items(drill)
    print(f"Two-channel crash drill: {dict(counts)}")
    consumer_of = {c["email"]: c["extConsumerId"] for c in published()["consumers"]}
    shared = set(consumer_of.values())
    # A shared person UChat would refuse (not allowing messages) is left to LivePerson.
    refused = [payload["email"] for _, error, payload in skipped if error == NOT_ALLOWED]
    left_to_liveperson = {consumer_of[email] for email in refused if email in consumer_of}
    duplicates = [error for _, error, _ in skipped if error != NOT_ALLOWED]
    assert left_to_liveperson and len(refused) == 400 // 25
    assert set(duplicates) == {"LivePerson: skipped, already reached through UChat"}
    assert len(duplicates) == len(shared - left_to_liveperson)
    assert counts["skipped"] == len(skipped)
    assert sum(counts.values()) == 400 + len(shared) + MULTI_LIVEPERSON_ONLY
    assert sent and max(sent.values()) == 1, "a subscriber got the sub-flow twice"
    opened = Counter(c["extConsumerId"] for c in conversations)
    assert set(opened) & shared == left_to_liveperson, "a shared person was reached twice"
    assert max(opened.values()) == 1, "a consumer got a second conversation"


def skipped_items(drill: Drill) -> list[tuple[str, str, dict]]:
    """(key, reason, payload) of the job's skipped items."""
    rows = _query(
        drill.database_url,
        "SELECT key, error, payload FROM jobs_jobitem WHERE job_id = %s AND state = 'skipped'",
        drill.job_id,
    )
    return [
        (key, error, payload if isinstance(payload, dict) else json.loads(payload))
        for key, error, payload in rows
    ]


def kill_and_finish_all(drill: Drill, kill_after: tuple[int, ...]) -> Counter:
    """As kill_and_finish, with items skipped at collection counted as settled."""
    for settled in kill_after:
        drill.start_worker()
        drill.wait_for(lambda s=settled: _final(drill) >= s, f"{settled} recipients settled")
        drill.kill_worker()
    drill.start_worker()
    drill.wait_for(lambda: drill.job_state() == "done", "the broadcast to finish")
    counts = drill.counts()
    assert set(counts) <= FINAL | {"skipped"}, counts
    return counts
