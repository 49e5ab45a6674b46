"""WSGI entry point (gunicorn learning_platform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")

application = get_wsgi_application()
