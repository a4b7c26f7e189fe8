"""The engine knows no kind by name: each area app registers its own when Django is set up, in
the web process and in a worker process alike, and the job pages take a kind's label from it."""

import os
import subprocess
import sys

import pytest

from accounts.models import User
from dashboard.jobs import engine
from dashboard.jobs.kinds import KINDS
from tests.fixtures import sandbox as sandbox_fixtures
from tests.fixtures.sandbox import PROJECT_ROOT

# What a worker does before its first task: `celery --app dashboard worker` imports the app,
# whose Django fix-up sets Django up (every app's ready()) when the worker loads its modules.
WORKER_START = """
from dashboard.celery import app
app.loader.import_default_modules()
from dashboard.jobs.kinds import KINDS
print(" ".join(sorted(KINDS)))
"""


def test_a_worker_process_knows_every_kind_the_console_starts():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    result = subprocess.run(
        [sys.executable, "-c", WORKER_START],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == sorted(KINDS)
    assert {"visitors.delete", "conversations.assign", "agents.invite", "broadcast"} <= set(KINDS)


@pytest.mark.django_db
def test_the_job_pages_name_a_kind_by_its_label(manager_client, platform):
    user = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    kept = engine.create_job(kind="visitors.delete", title="Clean up", tenant_id=user.tenant_id,
                             created_by=user, params={})  # fmt: skip
    # A kind no app registers any more (a job from before an upgrade) shows its stored name.
    gone = engine.create_job(kind="visitors.retired", title="Old", tenant_id=user.tenant_id,
                             created_by=user, params={})  # fmt: skip

    listing = manager_client.get("/jobs/").content.decode()
    page = manager_client.get(f"/jobs/{gone.pk}/").content.decode()

    assert "<td>Delete visitors</td>" in listing and "<td>visitors.retired</td>" in listing
    assert "visitors.retired · job" in page
    assert manager_client.get(f"/jobs/{kept.pk}/").status_code == 200
