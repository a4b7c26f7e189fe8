import pytest
from django.template.backends.jinja2 import Template as JinjaPage
from django.test.signals import template_rendered

from tests.jobs.fixtures import job_settings, worker  # noqa: F401


@pytest.fixture(autouse=True)
def jinja2_pages_give_their_context(monkeypatch):
    """`response.context` for a Jinja2 page (the reports page), as Django's test setup gives it
    for its own engine's templates (django.test.utils.instrumented_test_render): the values the
    view gave the page, which these tests read (the figures, the report, the range)."""
    render = JinjaPage.render

    def instrumented(self, context=None, request=None):
        html = render(self, context, request)
        template_rendered.send(sender=self, template=self, context=context)
        return html

    monkeypatch.setattr(JinjaPage, "render", instrumented)
