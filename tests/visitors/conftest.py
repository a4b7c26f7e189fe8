from tests.jobs.fixtures import celery_app, job_settings, running_worker, worker  # noqa: F401
