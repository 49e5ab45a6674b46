"""Project configuration for the Cities of Learning platform.

Imported as ``learning_platform`` (``platform/`` is only a source root).
"""

# The release string; settings.PLATFORM_VERSION carries it to the code below this package
# (health probes, backups), which must not import this top-level package.
__version__ = "0.1.0"

from learning_platform.celery import app as celery_app

__all__ = ["__version__", "celery_app"]
