"""The crash drill's other process: `python -m tests.jobs.drill migrate|create|worker`.

It runs against its own database and broker (given in the environment by the test), never the
test's: a worker that is killed with SIGKILL must be a real process of its own.

    migrate        create the drill database's tables
    create URL     a ConnectiveOne broadcast to every chat of the sandbox at URL, started
    create-connextlive URL
                   a Connextlive broadcast (as the sender agent) to every conversation of the
                   demo workspace of the sandbox at URL, started
    worker         a Celery worker as `make run` starts one (the threads pool: the tasks run
                   in threads of this one process) with the watchdog, on DRILL_QUEUE
"""

import os
import sys


def _app():
    from dashboard.celery import app
    from dashboard.jobs import broker

    app.conf.task_default_queue = os.environ["DRILL_QUEUE"]
    if app.conf.broker_url.startswith("filesystem://"):
        # The atomic transport, and the control folder (remote control) inside the drill's.
        folder = os.environ["DRILL_BROKER_DIR"]
        app.conf.broker_transport = broker.TRANSPORT
        app.conf.broker_transport_options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "processed_folder": folder,
            "control_folder": folder,
            "store_processed": False,
            "polling_interval": 0.1,
        }
    return app


def create(sandbox_url: str) -> None:
    from django.utils import timezone

    from dashboard.broadcasts.models import Broadcast
    from dashboard.broadcasts.sending import BroadcastKind
    from dashboard.integrations.models import Integration
    from dashboard.jobs import engine
    from sandbox.connectiveone.credentials import API_KEY, ENTRY_ALIAS, MAIN_BOT_ID

    integration = Integration(
        tenant_id="drill",
        kind=Integration.Kind.CONNECTIVEONE,
        config={"base_url": sandbox_url + "/connectiveone", "auth_mode": "api_key"},
    )
    integration.store_secrets({"api_key": API_KEY})
    integration.save()
    job = engine.create_job(
        kind=BroadcastKind.kind,
        title="Crash drill",
        tenant_id="drill",
        created_by=None,
        params={"channel": "connectiveone", "audience": "chats"},
        collected=False,
    )
    Broadcast.objects.create(
        job=job,
        name="Crash drill",
        message="Drill: exactly once, please.",
        channel=Broadcast.Channel.CONNECTIVEONE,
        audience=Broadcast.Audience.CHATS,
        chats_to=timezone.now(),
        bot_id=MAIN_BOT_ID,
        connector_alias=ENTRY_ALIAS,
    )
    engine.start(job)
    from dashboard.jobs.tasks import enqueue_runners

    enqueue_runners(job.pk)
    print(job.pk)


SENDER_EMAIL = "priya@example.com"  # an agent of the demo workspace
MANAGER_EMAIL = "manager@example.com"
DEMO_PASSWORD = "switchboard-demo"
CONNEXTLIVE_MESSAGE = "Drill: exactly once, and read back, please."


def create_connextlive(sandbox_url: str) -> None:
    from accounts import vault
    from dashboard.broadcasts.models import Broadcast
    from dashboard.broadcasts.sending import BroadcastKind
    from dashboard.integrations.models import Integration
    from dashboard.jobs import engine
    from dashboard.jobs.tasks import enqueue_runners
    from dashboard.platforms.connextlive import ConnextliveClient

    login = ConnextliveClient(sandbox_url + "/connextlive").login(MANAGER_EMAIL, DEMO_PASSWORD)
    tenant_id = login.user.tenant_id
    integration = Integration(
        tenant_id=tenant_id,
        kind=Integration.Kind.CONNEXTLIVE_SENDER,
        config={"email": SENDER_EMAIL},
    )
    integration.store_secrets({"password": DEMO_PASSWORD})
    integration.save()
    job = engine.create_job(
        kind=BroadcastKind.kind,
        title="Crash drill",
        tenant_id=tenant_id,
        created_by=None,
        params={"channel": "connextlive", "audience": "conversations"},
        sealed_token=vault.seal(login.token),
        collected=False,
    )
    Broadcast.objects.create(
        job=job,
        name="Crash drill",
        message=CONNEXTLIVE_MESSAGE,
        channel=Broadcast.Channel.CONNEXTLIVE,
        audience=Broadcast.Audience.CONVERSATIONS,
        audience_query="status=all",
    )
    engine.start(job)
    enqueue_runners(job.pk)
    print(job.pk)


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django

    django.setup()
    app = _app()
    match argv:
        case ["migrate"]:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        case ["create", sandbox_url]:
            create(sandbox_url)
        case ["create-connextlive", sandbox_url]:
            create_connextlive(sandbox_url)
        case ["worker"]:
            app.worker_main(
                ["worker", "--pool=threads", "--concurrency=4", "--without-gossip",
                 "--without-mingle", "--loglevel=INFO"]
            )  # fmt: skip
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
