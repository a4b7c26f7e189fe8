from tests.jobs.fixtures import job_settings, worker  # noqa: F401
