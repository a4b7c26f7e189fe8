"""The crash drill's other process for the UChat and LivePerson channels (the worker and the
database come from tests/jobs/drill.py): `python -m tests.broadcasts.channel_drill uchat|liveperson
SANDBOX_URL` creates and starts a broadcast on that channel and prints its job's id.

    uchat        the Spring sale sub-flow to every subscriber of the store bot (400 at the
                 test size), the bot at 100 requests a second
    liveperson   a message to 300 consumers of a CSV, LivePerson at 300 requests a second
"""

import os
import sys

LIVEPERSON_CONSUMERS = 300


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
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
