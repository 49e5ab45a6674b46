"""WSGI entry point (gunicorn learning_platform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")

application = get_wsgi_application()

# Imported once Django is set up: a worker with an incomplete production configuration
# fails to boot, with the missing settings in the log, instead of serving on fallbacks.
from shared_apps.core.checks import refuse_incomplete_configuration  # noqa: E402

refuse_incomplete_configuration()
