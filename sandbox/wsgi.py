"""The sandbox's WSGI application: Django, behind the fault and request-log layer when the
control endpoints are on."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "sandbox.settings"

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from sandbox.traffic import PlatformTraffic  # noqa: E402

application = get_wsgi_application()
if settings.SANDBOX_CONTROL:
    application = PlatformTraffic(application, settings.SANDBOX_PLATFORM_PREFIXES)
