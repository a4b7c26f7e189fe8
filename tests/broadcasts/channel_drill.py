"""The crash drill's other process for the UChat and LivePerson channels (the worker and the
database come from tests/jobs/drill.py): `python -m tests.broadcasts.channel_drill uchat|liveperson
SANDBOX_URL` creates and starts a broadcast on that channel and prints its job's id.

    uchat        the Spring sale sub-flow to every subscriber of the store bot (400 at the
                 test size), the bot at 100 requests a second
    liveperson   a message to 300 consumers of a CSV, LivePerson at 300 requests a second
    multi        both at once: the UChat one (400), then a LivePerson CSV of every shared
                 person's consumer with their e-mail (all also UChat subscribers, so skipped)
                 and MULTI_LIVEPERSON_ONLY others
"""

import os
import sys

LIVEPERSON_CONSUMERS = 300
MULTI_LIVEPERSON_ONLY = 200


def create_multi(sandbox_url: str) -> None:
    """A UChat broadcast to every subscriber with a LivePerson CSV added as another channel."""
    from dashboard.broadcasts.models import Broadcast
    from dashboard.broadcasts.once import BroadcastPartKind, MultiChannelBroadcastKind
    from dashboard.integrations.models import Integration
    from dashboard.jobs import engine
    from dashboard.jobs.kinds import ItemSpec
    from dashboard.jobs.tasks import enqueue_runners
    from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, published
    from sandbox.uchat.credentials import BOT_TOKEN, SPRING_SUB_FLOW_NS

    uchat = Integration(
        tenant_id="drill", kind=Integration.Kind.UCHAT,
        config={"base_url": sandbox_url + "/uchat/api", "rate_limit": 100},
    )  # fmt: skip
    uchat.store_secrets({"bot_token": BOT_TOKEN})
    uchat.save()
    liveperson = Integration(
        tenant_id="drill", kind=Integration.Kind.LIVEPERSON,
        config={"account_id": ACCOUNT_ID, "client_id": CLIENT_ID, "rate_limit": 300},
    )  # fmt: skip
    liveperson.store_secrets({"client_secret": CLIENT_SECRET})
    liveperson.save()
    job = engine.create_job(
        kind=MultiChannelBroadcastKind.kind, title="Crash drill (multi)", tenant_id="drill",
        created_by=None, params={"channel": "uchat", "audience": "uchat_search"},
        collected=False,
    )  # fmt: skip
    first = Broadcast.objects.create(
        job=job, name="Crash drill", message="Drill: once per person.", channel="uchat",
        audience="uchat_search", sub_flow_ns=SPRING_SUB_FLOW_NS, uchat_search="",
    )  # fmt: skip
    part_job = engine.create_job(
        kind=BroadcastPartKind.kind, title="Crash drill (part)", tenant_id="drill",
        created_by=None, params={"channel": "liveperson", "audience": "csv"}, collected=True,
    )  # fmt: skip
    Broadcast.objects.create(
        job=part_job, name="Crash drill", message="Drill: once per person.",
        channel="liveperson", audience="csv", part_of=first,
    )  # fmt: skip
    shared = [
        ItemSpec(c["extConsumerId"], c["firstName"], {"email": c["email"]})
        for c in published()["consumers"]
    ]
    others = [ItemSpec(f"drill-{n:04d}") for n in range(MULTI_LIVEPERSON_ONLY)]
    engine.add_items(part_job, [*shared, *others])
    engine.start(job)
    enqueue_runners(job.pk)
    print(job.pk)


def create(channel: str, sandbox_url: str) -> None:
    from dashboard.broadcasts.channels import kind_for
    from dashboard.broadcasts.models import Broadcast
    from dashboard.integrations.models import Integration
    from dashboard.jobs import engine
    from dashboard.jobs.kinds import ItemSpec
    from dashboard.jobs.tasks import enqueue_runners
    from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
    from sandbox.uchat.credentials import BOT_TOKEN, SPRING_SUB_FLOW_NS

    if channel == "uchat":
        integration = Integration(
            tenant_id="drill", kind=Integration.Kind.UCHAT,
            config={"base_url": sandbox_url + "/uchat/api", "rate_limit": 100},
        )  # fmt: skip
        integration.store_secrets({"bot_token": BOT_TOKEN})
        audience, collected = Broadcast.Audience.UCHAT_SEARCH, False
    else:
        integration = Integration(
            tenant_id="drill", kind=Integration.Kind.LIVEPERSON,
            config={"account_id": ACCOUNT_ID, "client_id": CLIENT_ID, "rate_limit": 300},
        )  # fmt: skip
        integration.store_secrets({"client_secret": CLIENT_SECRET})
        audience, collected = Broadcast.Audience.CSV, True
    integration.save()
    job = engine.create_job(
        kind=kind_for(channel),
        title=f"Crash drill ({channel})",
        tenant_id="drill",
        created_by=None,
        params={"channel": channel, "audience": audience},
        collected=collected,
    )
    Broadcast.objects.create(
        job=job,
        name="Crash drill",
        message="Drill: exactly once, please.",
        channel=channel,
        audience=audience,
        sub_flow_ns=SPRING_SUB_FLOW_NS,
        uchat_search="",  # everyone
    )
    if channel == "liveperson":
        engine.add_items(job, [ItemSpec(f"drill-{n:04d}") for n in range(LIVEPERSON_CONSUMERS)])
    engine.start(job)
    enqueue_runners(job.pk)
    print(job.pk)


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django

    django.setup()
    from tests.jobs.drill import _app

    _app()
    match argv:
        case [("uchat" | "liveperson") as channel, sandbox_url]:
            create(channel, sandbox_url)
        case ["multi", sandbox_url]:
            create_multi(sandbox_url)
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
